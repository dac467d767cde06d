import type { components } from '../../../lib/api/schema';
import { funnelSteps } from '../../../lib/api/vocabularies';

type Schemas = components['schemas'];
export type MoneyFigure = Schemas['MoneyFigure'];
export type FunnelReport = Schemas['FunnelResponse'];
export type FunnelStep = Schemas['FunnelStep'];
export type ForecastReport = Schemas['ForecastResponse'];
export type CohortsReport = Schemas['CohortsResponse'];
export type CohortRow = Schemas['CohortRow'];
export type RottingReport = Schemas['RottingResponse'];

/** The funnel's steps in their order (the API's `FunnelStep`), whatever order the rows come in. */
export { funnelSteps };

export interface FunnelRow {
  step: FunnelStep;
  count: number;
  percentOfPrevious: number | null;
  percentOfLeads: number | null;
}

/** Every step of the funnel once, in order; a step the API left out counts zero. */
export function funnelRows(report: FunnelReport): FunnelRow[] {
  return funnelSteps.map((step) => {
    const row = report.steps.find((candidate) => candidate.step === step);
    return { step, count: row?.count ?? 0, percentOfPrevious: row?.percent_of_previous ?? null, percentOfLeads: row?.percent_of_leads ?? null };
  });
}

/** The amount of one currency in a money figure (0 when it has none): currencies are never added. */
export function amountIn(figure: MoneyFigure, currency: string): number {
  return figure.by_currency.find((entry) => entry.currency === currency)?.amount_minor ?? 0;
}

/** The currencies any of the figures has an amount in, alphabetically. */
export function currenciesOf(figures: MoneyFigure[]): string[] {
  return [...new Set(figures.flatMap((figure) => figure.by_currency.map((entry) => entry.currency)))].sort();
}

/** The currencies the forecast has figures in: the months' and the undated deals'. */
export function forecastCurrencies(report: ForecastReport): string[] {
  const figures = report.months.flatMap((month) => [month.amount, month.weighted, month.won]);
  if (report.undated) figures.push(report.undated.amount, report.undated.weighted);
  return currenciesOf(figures);
}

/** The first of `preferred` that is available (the pipeline's, the workspace's), else the first available. */
export function pickCurrency(available: string[], preferred: (string | null | undefined)[]): string | null {
  return preferred.find((currency): currency is string => !!currency && available.includes(currency)) ?? available[0] ?? null;
}

export interface ForecastPoint {
  month: string;
  /** The period's name: `1405-10`, `1405-Q4` or `1405`. */
  period: string;
  weighted: number;
  amount: number;
  won: number;
}

/** One currency of the forecast, month by month: weighted, unweighted and won. */
export function forecastSeries(report: ForecastReport, currency: string): ForecastPoint[] {
  return report.months.map((month) => ({
    month: month.month,
    period: month.period,
    weighted: amountIn(month.weighted, currency),
    amount: amountIn(month.amount, currency),
    won: amountIn(month.won, currency),
  }));
}

/** Percentages as the dashboard shows them: one decimal at most. */
export function roundPercent(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The months after its own in which a cohort's leads were first won, as many columns as the
 * longest cohort has (the API leaves trailing months out), each cohort's figures padded with 0.
 */
export function cohortColumns(rows: CohortRow[]): { afterMonths: number[]; counts: number[][] } {
  const width = Math.max(0, ...rows.map((row) => row.won_after_months.length));
  const afterMonths = Array.from({ length: width }, (_, index) => index);
  return { afterMonths, counts: rows.map((row) => afterMonths.map((index) => row.won_after_months[index] ?? 0)) };
}

/** The share of a cohort's leads that were won, in percent, or null without leads. */
export function cohortWinRate(row: CohortRow): number | null {
  return row.leads === 0 ? null : (row.won / row.leads) * 100;
}
