import { format as formatGregorian } from 'date-fns';
import { useEffect, useState } from 'react';
import { DateField } from '../../../components/date-field';
import { dateText, parseDateText } from '../../../lib/format/calendar';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { DateRange } from '../utils/report-filters';

const isoOf = (date: Date) => formatGregorian(date, 'yyyy-MM-dd');

/** What a date field shows for a YYYY-MM-DD day (Jalali in Persian), or nothing. */
function fieldText(day: string | null, locale: string): string {
  return day ? dateText(new Date(`${day}T12:00:00`), locale) : '';
}

/**
 * The first and last days of a custom period, typed or picked in the language's calendar
 * (Jalali in Persian). A day is applied once the text names one; an emptied field opens that end.
 */
export function CustomPeriodFields({ range, onChange, i18n }: { range: DateRange; onChange: (range: DateRange) => void; i18n: I18n }) {
  const { t, locale } = i18n;
  const [text, setText] = useState({ from: fieldText(range.from, locale), to: fieldText(range.to, locale) });
  // The URL (back button, language switch) is the truth; the fields follow it.
  useEffect(() => setText({ from: fieldText(range.from, locale), to: fieldText(range.to, locale) }), [range.from, range.to, locale]);

  const change = (end: keyof DateRange, value: string) => {
    setText((current) => ({ ...current, [end]: value }));
    if (value.trim() === '') return onChange({ ...range, [end]: null });
    const date = parseDateText(value, locale);
    if (date) onChange({ ...range, [end]: isoOf(date) });
  };
  const invalid = (end: keyof DateRange) => (text[end].trim() !== '' && !parseDateText(text[end], locale) ? t('reports.filters.badDate') : undefined);

  return (
    <div className="reports__custom" data-testid="report-custom-period">
      <DateField label={t('reports.filters.from')} name="from" value={text.from} onChange={(value) => change('from', value)} error={invalid('from')} />
      <DateField label={t('reports.filters.to')} name="to" value={text.to} onChange={(value) => change('to', value)} error={invalid('to')} />
    </div>
  );
}
