import { Link } from 'react-router';
import { formatDateOn } from '../../../lib/format/dates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { ReportCalendar } from '../utils/report-periods';
import { customerPath, type RfmReport, type RfmSource, rfmSources, segmentCounts } from '../utils/rfm-data';

/** Paid invoices or won deals: what counts as a purchase, a switch in the card's header. */
export function RfmSourceSwitch({ source, setSource, i18n }: { source: RfmSource; setSource: (source: RfmSource) => void; i18n: I18n }) {
  const { t } = i18n;
  return (
    <div className="segmented" role="group" aria-label={t('reports.rfm.source')}>
      {rfmSources.map((option) => (
        <button key={option} type="button" className="segmented__option" aria-pressed={option === source} onClick={() => setSource(option)}>
          {t(`reports.rfm.sources.${option}`)}
        </button>
      ))}
    </div>
  );
}

/**
 * Customers by recency, frequency and money: how many fall in each segment, then the best ones
 * with their scores (1–5), segment, last purchase (on the workspace's calendar), what they spent
 * in the workspace currency and whether they are overdue for their usual next purchase.
 */
export function RfmTable({ report, calendar, currency, i18n }: { report: RfmReport; calendar: ReportCalendar; currency: string; i18n: I18n }) {
  const { t, number, money, locale } = i18n;
  return (
    <div className="rfm">
      <ul className="rfm__segments" data-testid="rfm-segments">
        {segmentCounts(report).map(({ segment, customers }) => (
          <li key={segment} className={`rfm__segment rfm--${segment}`} data-testid="rfm-segment" data-segment={segment}>
            <span className="rfm__segment-name">{t(`reports.rfm.segments.${segment}`)}</span>
            <span className="rfm__segment-count">{number(customers)}</span>
          </li>
        ))}
      </ul>
      <div className="table-scroll" role="region" aria-labelledby="report-rfm-title" tabIndex={0}>
        <table className="report-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.rfm.customer')}</th>
              <th scope="col">
                <abbr title={t('reports.rfm.recency')}>{t('reports.rfm.r')}</abbr>
              </th>
              <th scope="col">
                <abbr title={t('reports.rfm.frequency')}>{t('reports.rfm.f')}</abbr>
              </th>
              <th scope="col">
                <abbr title={t('reports.rfm.monetary')}>{t('reports.rfm.m')}</abbr>
              </th>
              <th scope="col">{t('reports.rfm.segment')}</th>
              <th scope="col">{t('reports.rfm.lastPurchase')}</th>
              <th scope="col">{t('reports.rfm.spent')}</th>
            </tr>
          </thead>
          <tbody>
            {report.customers.map((customer) => {
              const path = customerPath(customer);
              return (
                <tr key={customer.organization_id ?? customer.contact_id ?? customer.name} data-testid="rfm-row" data-segment={customer.segment}>
                  <th scope="row" data-testid="rfm-name">
                    {path ? <Link to={path}>{customer.name}</Link> : customer.name}
                    {customer.churn_risk && (
                      <span className="rfm__churn" data-testid="rfm-churn" title={t('reports.rfm.churnHint')}>
                        {t('reports.rfm.churn')}
                      </span>
                    )}
                  </th>
                  <td data-testid="rfm-r" data-label={t('reports.rfm.recency')}>
                    {number(customer.recency_score)}
                  </td>
                  <td data-testid="rfm-f" data-label={t('reports.rfm.frequency')}>
                    {number(customer.frequency_score)}
                  </td>
                  <td data-testid="rfm-m" data-label={t('reports.rfm.monetary')}>
                    {number(customer.monetary_score)}
                  </td>
                  <td data-testid="rfm-segment-name" data-label={t('reports.rfm.segment')}>
                    {t(`reports.rfm.segments.${customer.segment}`)}
                  </td>
                  <td data-testid="rfm-last" data-label={t('reports.rfm.lastPurchase')}>
                    {formatDateOn(customer.last_purchase, locale, calendar)}
                  </td>
                  <td data-testid="rfm-spent" data-label={t('reports.rfm.spent')}>
                    {money(customer.monetary_minor, currency)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {report.total_customers > report.customers.length && (
        <p className="muted rotting__more">{t('reports.rfm.more', { count: report.total_customers - report.customers.length })}</p>
      )}
    </div>
  );
}
