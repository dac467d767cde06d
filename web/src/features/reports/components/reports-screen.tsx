import { useMemo, useState } from 'react';
import type { Pipeline } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import {
  useCohorts,
  useForecast,
  useFunnel,
  useLeaderboard,
  useLostReasons,
  useRevenue,
  useRfm,
  useRotting,
  useStageConversion,
  useWinRate,
  useWinRates,
} from '../api/reports';
import { useReportFilters } from '../hooks/use-report-filters';
import { funnelRows } from '../utils/report-data';
import { lastMonths, periodRange, reportQuery } from '../utils/report-filters';
import { revenueIsEmpty } from '../utils/revenue-data';
import type { RfmSource } from '../utils/rfm-data';
import { CohortsTable } from './cohorts-table';
import { RottingList } from './rotting-list';
import { FunnelChart } from './funnel-chart';
import { ForecastChart } from './forecast-chart';
import { LeaderboardTable } from './leaderboard-table';
import { LostReasonsChart } from './lost-reasons-chart';
import { ReportCard } from './report-card';
import { ReportFiltersBar } from './report-filters-bar';
import { RevenueChart } from './revenue-chart';
import { RfmSourceSwitch, RfmTable } from './rfm-table';
import { StageConversionTable } from './stage-conversion-table';
import { WinRatePanel } from './win-rate-panel';
import { monthWinRate, WinRateTrendChart } from './win-rate-trend-chart';
import './reports.css';

/** How many calendar months the win-rate trend shows, the current one included. */
const trendLength = 6;

/**
 * The reports dashboard: filters (in the URL), then the funnel, win rate, win-rate trend, forecast,
 * revenue, customers by RFM, lost reasons, leaderboard, rotting deals, cohorts and stage
 * conversion, each loading, failing and
 * empty on its own. The app hands the pipeline list over.
 */
export function ReportsScreen({ pipelines }: { pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('reports.title'));
  const { filters, setFilters } = useReportFilters();
  const { members } = useMembers();
  const workspace = useMe().data?.workspace;
  const workspaceCurrency = workspace?.default_currency;
  // Periods and reports grouped by time follow the workspace's calendar, not the language (Jalali
  // months, quarters and years from 1 Farvardin); the forecast groups by the interval chosen, the
  // cohorts always by month. The period is recomputed per render from today.
  const calendar = workspace?.calendar ?? 'gregorian';
  const range = useMemo(
    () => periodRange(filters.period, calendar, new Date(), { from: filters.from, to: filters.to }),
    [filters.period, filters.from, filters.to, calendar],
  );
  const query = useMemo(() => reportQuery(filters, range), [filters, range]);
  const byMonth = useMemo(() => ({ ...query, calendar }), [query, calendar]);
  const grouped = useMemo(() => ({ ...byMonth, interval: filters.interval }), [byMonth, filters.interval]);
  // The trend ignores the period: always the last six months, with the pipeline and owner chosen.
  const trendMonths = useMemo(() => lastMonths(trendLength, calendar), [calendar]);
  const trendQueries = useMemo(() => trendMonths.map((month) => reportQuery(filters, month)), [filters, trendMonths]);
  const pipeline = pipelines.find((candidate) => candidate.id === filters.pipelineId);
  // Stage conversion needs one pipeline: the chosen one, else the first.
  const stagePipeline = pipeline ?? pipelines[0] ?? null;

  const funnel = useFunnel(query);
  const winRate = useWinRate(query);
  const winRateTrend = useWinRates(trendQueries);
  const forecast = useForecast(grouped);
  const cohorts = useCohorts(byMonth);
  const rotting = useRotting(query);
  const lostReasons = useLostReasons(query);
  const leaderboard = useLeaderboard(query);
  const stages = useStageConversion(query, stagePipeline?.id ?? null);
  const revenue = useRevenue(grouped);
  // What counts as a purchase is the card's own choice, not a filter of the whole dashboard.
  const [rfmSource, setRfmSource] = useState<RfmSource>('paid_invoices');
  const rfm = useRfm(query, rfmSource);
  const moneyCurrency = workspaceCurrency ?? pipeline?.currency ?? 'USD';

  return (
    <main className="page reports" id="main">
      <div className="reports__toolbar">
        <h1 className="page__title">{t('reports.title')}</h1>
        <ReportFiltersBar filters={filters} setFilters={setFilters} pipelines={pipelines} members={members} range={range} calendar={calendar} i18n={i18n} />
      </div>
      <div className="reports__grid">
        <ReportCard
          title={t('reports.funnel.title')}
          query={funnel}
          isEmpty={(data) => funnelRows(data)[0]!.count === 0}
          empty={t('reports.funnel.empty')}
          i18n={i18n}
          testId="report-funnel"
        >
          {(data) => <FunnelChart rows={funnelRows(data)} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.winRate.title')}
          query={winRate}
          isEmpty={(data) => data.won.count + data.lost.count === 0}
          empty={t('reports.winRate.empty')}
          i18n={i18n}
          testId="report-win-rate"
        >
          {(data) => <WinRatePanel report={data} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.winRateTrend.title')}
          query={winRateTrend}
          isEmpty={(data) => data.every((report) => monthWinRate(report) === null)}
          empty={t('reports.winRateTrend.empty', { count: trendLength })}
          i18n={i18n}
          testId="report-win-rate-trend"
        >
          {(data) => <WinRateTrendChart months={trendMonths} reports={data} calendar={calendar} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t(`reports.forecast.title.${filters.interval}`)}
          query={forecast}
          isEmpty={(data) => data.months.length === 0 && !data.undated?.open_deals}
          empty={t('reports.forecast.empty')}
          i18n={i18n}
          testId="report-forecast"
          className="report--wide"
        >
          {(data) => <ForecastChart report={data} preferredCurrencies={[pipeline?.currency, workspaceCurrency]} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t(`reports.revenue.title.${filters.interval}`)}
          query={revenue}
          isEmpty={revenueIsEmpty}
          empty={t('reports.revenue.empty')}
          i18n={i18n}
          testId="report-revenue"
          className="report--wide"
        >
          {(data) => <RevenueChart report={data} workspaceCurrency={moneyCurrency} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.rfm.title')}
          query={rfm}
          isEmpty={(data) => data.total_customers === 0}
          empty={t(`reports.rfm.empty.${rfmSource}`)}
          i18n={i18n}
          testId="report-rfm"
          className="report--wide"
          actions={<RfmSourceSwitch source={rfmSource} setSource={setRfmSource} i18n={i18n} />}
        >
          {(data) => <RfmTable report={data} calendar={calendar} currency={moneyCurrency} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.lostReasons.title')}
          query={lostReasons}
          isEmpty={(data) => data.lost_deals.count === 0 && data.disqualified_leads.count === 0}
          empty={t('reports.lostReasons.empty')}
          i18n={i18n}
          testId="report-lost-reasons"
        >
          {(data) => <LostReasonsChart report={data} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.leaderboard.title')}
          query={leaderboard}
          isEmpty={(data) => data.data.length === 0}
          empty={t('reports.leaderboard.empty')}
          i18n={i18n}
          testId="report-leaderboard"
          className="report--wide"
        >
          {(data) => <LeaderboardTable rows={data.data} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.rotting.title')}
          query={rotting}
          isEmpty={(data) => data.count === 0}
          empty={t('reports.rotting.empty')}
          i18n={i18n}
          testId="report-rotting"
        >
          {(data) => <RottingList report={data} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.cohorts.title')}
          query={cohorts}
          isEmpty={(data) => data.cohorts.length === 0}
          empty={t('reports.cohorts.empty')}
          i18n={i18n}
          testId="report-cohorts"
        >
          {(data) => <CohortsTable report={data} i18n={i18n} />}
        </ReportCard>
        <ReportCard
          title={t('reports.stages.title', { pipeline: stagePipeline?.name ?? '' })}
          query={stages}
          isEmpty={(data) => data.stages.every((row) => row.entered === 0)}
          empty={stagePipeline ? t('reports.stages.empty') : t('reports.stages.noPipeline')}
          i18n={i18n}
          testId="report-stages"
          className="report--wide"
        >
          {(data) => <StageConversionTable rows={data.stages} i18n={i18n} />}
        </ReportCard>
      </div>
    </main>
  );
}
