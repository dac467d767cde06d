import type { Pipeline, User } from '../../../lib/api/types';
import { formatDateOn } from '../../../lib/format/dates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { ReportCalendar } from '../utils/report-periods';
import { reportIntervals } from '../../../lib/api/vocabularies';
import { type DateRange, type PeriodPreset, periodPresets, type ReportFilters } from '../utils/report-filters';
import { CustomPeriodFields } from './custom-period-fields';

interface ReportFiltersBarProps {
  filters: ReportFilters;
  setFilters: (patch: Partial<ReportFilters>) => void;
  pipelines: Pipeline[];
  members: User[];
  range: DateRange;
  /** The workspace's: the period's days are shown on it, in the language's words and digits. */
  calendar: ReportCalendar;
  i18n: I18n;
}

/**
 * Pipeline (all by default), period (on the workspace's calendar; a custom one shows its two date
 * fields), owner (anyone by default), and how long the forecast's and cohorts' periods are.
 */
export function ReportFiltersBar({ filters, setFilters, pipelines, members, range, calendar, i18n }: ReportFiltersBarProps) {
  const { t, locale } = i18n;
  const date = (day: string) => formatDateOn(day, locale, calendar);
  return (
    <div className="filters" role="search" aria-label={t('reports.filters.label')}>
      <label>
        <span className="visually-hidden">{t('reports.filters.pipeline')}</span>
        <select
          className="input input--compact"
          name="pipeline"
          value={filters.pipelineId ?? ''}
          onChange={(event) => setFilters({ pipelineId: event.target.value || null })}
        >
          <option value="">{t('reports.filters.allPipelines')}</option>
          {pipelines.map((pipeline) => (
            <option key={pipeline.id} value={pipeline.id}>
              {pipeline.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('reports.filters.period')}</span>
        <select
          className="input input--compact"
          name="period"
          value={filters.period}
          onChange={(event) => {
            const period = event.target.value as PeriodPreset;
            // A custom period starts from the days shown, to be narrowed from there.
            setFilters(period === 'custom' ? { period, from: range.from, to: range.to } : { period });
          }}
        >
          {periodPresets.map((preset) => (
            <option key={preset} value={preset}>
              {t(`reports.periods.${preset}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('reports.filters.owner')}</span>
        <select
          className="input input--compact"
          name="owner"
          value={filters.ownerId ?? ''}
          onChange={(event) => setFilters({ ownerId: event.target.value || null })}
        >
          <option value="">{t('reports.filters.anyOwner')}</option>
          {members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
        </select>
      </label>
      {filters.period === 'custom' && <CustomPeriodFields range={{ from: filters.from, to: filters.to }} onChange={(days) => setFilters(days)} i18n={i18n} />}
      <div className="segmented" role="group" aria-label={t('reports.filters.interval')} data-testid="report-interval">
        {reportIntervals.map((interval) => (
          <button
            key={interval}
            type="button"
            className="segmented__option"
            aria-pressed={filters.interval === interval}
            onClick={() => setFilters({ interval })}
          >
            {t(`reports.intervals.${interval}`)}
          </button>
        ))}
      </div>
      {filters.period !== 'custom' && range.from && range.to && (
        <span className="muted reports__range" data-testid="report-range">
          {t('reports.filters.range', { from: date(range.from), to: date(range.to) })}
        </span>
      )}
    </div>
  );
}
