import type { Lead } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import type { I18n } from '../../../lib/i18n/use-i18n';

/** The score, in the locale's digits; warmer colours for better scores. */
export function ScoreBadge({ score, i18n }: { score: number; i18n: I18n }) {
  const tier = score >= 50 ? 'hot' : score > 0 ? 'warm' : 'cold';
  return (
    <span className={`badge badge--score badge--score-${tier}`} data-testid="lead-score" title={i18n.t('leads.drawer.score', { score })}>
      {i18n.number(score)}
    </span>
  );
}

export function LeadStatusBadge({ status, i18n }: { status: Lead['status']; i18n: I18n }) {
  return <span className={`badge badge--lead-${status}`}>{i18n.t(`leads.statuses.${status}`)}</span>;
}

/** Phone (in the locale's digits) and email as links, each read left to right but aligned with the page. */
export function LeadContact({ lead, i18n }: { lead: Pick<Lead, 'phone' | 'email'>; i18n: I18n }) {
  return (
    <>
      {lead.phone && (
        <span className="lead-contact">
          <a href={`tel:${lead.phone}`} dir="ltr">
            {localizeDigits(lead.phone, i18n.locale)}
          </a>
        </span>
      )}
      {lead.email && (
        <span className="lead-contact">
          <a href={`mailto:${lead.email}`} dir="ltr">
            {lead.email}
          </a>
        </span>
      )}
    </>
  );
}
