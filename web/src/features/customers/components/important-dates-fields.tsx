import { Button } from '../../../components/button';
import { SelectField, TextField } from '../../../components/field';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type DateCalendar, type DateKind, type DateRowValues, dateCalendars, emptyDateRow } from '../utils/important-dates';

interface ImportantDatesFieldsProps {
  rows: DateRowValues[];
  kinds: readonly DateKind[];
  onChange: (rows: DateRowValues[]) => void;
  /** By `important_dates.<index>.<field>` (and `important_dates`), like the server's. */
  errors: Record<string, string>;
  i18n: I18n;
}

const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

/**
 * Yearly dates: a kind (a birthday at most once), a label, the calendar it recurs in, the month
 * by name in that calendar (Jalali months by their Persian names, in English too), the day and,
 * when known, the year in that calendar.
 */
export function ImportantDatesFields({ rows, kinds, onChange, errors, i18n }: ImportantDatesFieldsProps) {
  const { t, locale } = i18n;
  const defaultCalendar: DateCalendar = locale === 'fa' ? 'jalali' : 'gregorian';
  const update = (index: number, patch: Partial<DateRowValues>) => onChange(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  const hasBirthday = rows.some((row) => row.kind === 'birthday');
  const nextKind = kinds.find((kind) => kind !== 'birthday' || !hasBirthday) ?? 'custom';

  return (
    <fieldset className="fieldset customers-form__dates" data-testid="important-dates">
      <legend>{t('customers.dates.title')}</legend>
      {errors.important_dates && (
        <p className="field__error" dir="auto">
          {errors.important_dates}
        </p>
      )}
      {rows.map((row, index) => {
        const error = (field: string) => errors[`important_dates.${index}.${field}`];
        return (
          <div key={index} className="customers-date" data-testid="important-date">
            <SelectField label={t('customers.dates.kind')} value={row.kind} onChange={(event) => update(index, { kind: event.target.value as DateKind })}>
              {kinds.map((kind) => (
                <option key={kind} value={kind} disabled={kind === 'birthday' && hasBirthday && row.kind !== 'birthday'}>
                  {t(`customers.dates.kinds.${kind}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              label={row.kind === 'custom' ? t('customers.dates.label') : `${t('customers.dates.label')} (${t('common.optional')})`}
              dir="auto"
              value={row.label}
              error={error('label')}
              onChange={(event) => update(index, { label: event.target.value })}
            />
            <SelectField
              label={t('customers.dates.calendar')}
              value={row.calendar}
              onChange={(event) => update(index, { calendar: event.target.value as DateCalendar })}
            >
              {dateCalendars.map((calendar) => (
                <option key={calendar} value={calendar}>
                  {t(`customers.dates.calendars.${calendar}`)}
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t('customers.dates.month')}
              value={row.month}
              error={error('month')}
              onChange={(event) => update(index, { month: event.target.value })}
            >
              <option value="">{t('customers.dates.chooseMonth')}</option>
              {months.map((month) => (
                <option key={month} value={String(month)}>
                  {t('customers.dates.monthOption', { number: month, name: t(`customers.dates.${row.calendar}Months.m${month}`) })}
                </option>
              ))}
            </SelectField>
            <TextField
              label={t('customers.dates.day')}
              inputMode="numeric"
              className="customers-date__day"
              value={row.day}
              error={error('day')}
              onChange={(event) => update(index, { day: event.target.value })}
            />
            <TextField
              label={t('customers.dates.year')}
              placeholder={t('common.optional')}
              inputMode="numeric"
              className="customers-date__year"
              value={row.year}
              error={error('year')}
              onChange={(event) => update(index, { year: event.target.value })}
            />
            <Button size="sm" variant="ghost" className="customers-date__remove" onClick={() => onChange(rows.filter((_, at) => at !== index))}>
              {t('customers.dates.remove')}
            </Button>
          </div>
        );
      })}
      <div>
        <Button size="sm" onClick={() => onChange([...rows, emptyDateRow(nextKind, defaultCalendar)])}>
          {`+ ${t('customers.dates.add')}`}
        </Button>
      </div>
    </fieldset>
  );
}
