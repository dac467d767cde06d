import { useEffect, useState } from 'react';
import { DateField } from '../../../components/date-field';
import { type DateEntry, isoDateText, isoOfDateText } from '../../../lib/format/calendar';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import type { DateRange } from '../utils/report-filters';

/** What a date field shows for a YYYY-MM-DD day, or nothing. */
const fieldText = (day: string | null, entry: DateEntry) => isoDateText(day, entry);

/**
 * The first and last days of a custom period, typed or picked on the workspace's calendar. A day is applied once the text names one; an emptied field opens that end.
 */
export function CustomPeriodFields({ range, onChange, i18n }: { range: DateRange; onChange: (range: DateRange) => void; i18n: I18n }) {
  const { t } = i18n;
  const entry = useDateEntry();
  const [text, setText] = useState({ from: fieldText(range.from, entry), to: fieldText(range.to, entry) });
  // The URL (back button, language switch) is the truth; the fields follow it.
  useEffect(() => setText({ from: fieldText(range.from, entry), to: fieldText(range.to, entry) }), [range.from, range.to, entry]);

  const change = (end: keyof DateRange, value: string) => {
    setText((current) => ({ ...current, [end]: value }));
    if (value.trim() === '') return onChange({ ...range, [end]: null });
    const day = isoOfDateText(value);
    if (day) onChange({ ...range, [end]: day });
  };
  const invalid = (end: keyof DateRange) => (text[end].trim() !== '' && !isoOfDateText(text[end]) ? t('reports.filters.badDate') : undefined);

  return (
    <div className="reports__custom" data-testid="report-custom-period">
      <DateField label={t('reports.filters.from')} name="from" value={text.from} onChange={(value) => change('from', value)} error={invalid('from')} />
      <DateField label={t('reports.filters.to')} name="to" value={text.to} onChange={(value) => change('to', value)} error={invalid('to')} />
    </div>
  );
}
