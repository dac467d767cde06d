import type { components } from '../../../lib/api/schema';
import { amountIn, type MoneyFigure } from './report-data';

export type RevenueReport = components['schemas']['RevenueResponse'];

export interface RevenuePoint {
  month: string;
  /** The period's name: `1405-10`, `1405-Q4` or `1405`. */
  period: string;
  invoiced: number;
  paid: number;
}

export interface RevenueSeries {
  /** The one currency every figure below is in. */
  currency: string;
  /** Whether the figures are converted totals (every currency together) or one currency's own. */
  converted: boolean;
  invoiced: number;
  paid: number;
  points: RevenuePoint[];
}

/**
 * The revenue report in one currency: the converted totals when the API could convert (into the
 * workspace currency), else only what was invoiced and paid in the workspace currency itself,
 * since amounts in different currencies are never added up here.
 */
export function revenueSeries(report: RevenueReport, workspaceCurrency: string): RevenueSeries {
  const target = report.invoiced.converted ?? report.paid.converted;
  const converted = target != null;
  const currency = target?.currency ?? workspaceCurrency;
  const figure = (money: MoneyFigure) => (converted && money.converted?.currency === currency ? money.converted.amount_minor : amountIn(money, currency));
  return {
    currency,
    converted,
    invoiced: figure(report.invoiced),
    paid: figure(report.paid),
    points: report.periods.map((period) => ({ month: period.month, period: period.period, invoiced: figure(period.invoiced), paid: figure(period.paid) })),
  };
}

/** Whether nothing was invoiced nor paid in the period. */
export function revenueIsEmpty(report: RevenueReport): boolean {
  return report.invoices === 0 && report.payments === 0;
}
