import type { Lead } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';

/** What tells two leads of the same name apart, in this order. */
const comparedFields = ['email', 'phone', 'company', 'created', 'owner'] as const;

type ComparedField = (typeof comparedFields)[number];

/**
 * The two leads of a merge side by side — email, phone, company, when each came in and whose it
 * is — so that two people of the same name are told apart before one is merged into the other.
 */
export function LeadComparison({ kept, other, i18n }: { kept: Lead; other: Lead; i18n: I18n }) {
  const { t } = i18n;
  const members = useMembers();
  const label: Record<ComparedField, string> = {
    email: t('leads.fields.email'),
    phone: t('leads.fields.phone'),
    company: t('leads.fields.company'),
    created: t('leads.fields.created'),
    owner: t('leads.fields.owner'),
  };
  const value = (lead: Lead, field: ComparedField): string => {
    switch (field) {
      case 'email':
        return lead.email ?? '';
      case 'phone':
        return lead.phone ? localizeDigits(lead.phone, i18n.locale) : '';
      case 'company':
        return lead.company ?? '';
      case 'created':
        return i18n.date(lead.created_at);
      case 'owner':
        return lead.owner_id ? (members.byId.get(lead.owner_id)?.name ?? '') : t('leads.drawer.noOwner');
    }
  };
  return (
    <table className="lead-comparison" data-testid="merge-comparison">
      <caption className="subsection-title">{t('leads.merge.compare')}</caption>
      <thead>
        <tr>
          <td />
          <th scope="col" dir="auto">
            {t('leads.merge.keptColumn', { name: kept.name })}
          </th>
          <th scope="col" dir="auto">
            {t('leads.merge.otherColumn', { name: other.name })}
          </th>
        </tr>
      </thead>
      <tbody>
        {comparedFields.map((field) => (
          <tr key={field} data-field={field}>
            <th scope="row">{label[field]}</th>
            {[kept, other].map((lead) => (
              <td key={lead.id} data-lead-id={lead.id}>
                {value(lead, field) ? (
                  <bdi dir={field === 'email' || field === 'phone' ? 'ltr' : undefined}>{value(lead, field)}</bdi>
                ) : (
                  <span className="muted">{t('leads.merge.empty')}</span>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
