import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Button } from '../../../components/button';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import type { Lead } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useLeadDuplicates } from '../api/leads';
import { matchLabel } from '../utils/lead-vocabulary';
import { LeadContact, LeadStatusBadge, ScoreBadge } from './lead-badges';
import { MergeLeadDialog } from './merge-lead-dialog';

/**
 * Leads and contacts that look like the same person, each with what matched. A duplicate lead
 * can be merged into this one (after a preview); a qualified one cannot be merged away.
 */
export function LeadDuplicates({ lead, i18n }: { lead: Lead; i18n: I18n }) {
  const { t } = i18n;
  const duplicates = useLeadDuplicates(lead);
  const [merging, setMerging] = useState<Lead | null>(null);
  // A duplicate opens in this drawer, keeping the inbox's filters.
  const { search } = useLocation();
  const matchedOn = (matches: string[]) =>
    t('leads.duplicates.matchedOn', { fields: matches.map((match) => matchLabel(match, t)).join(t('common.listSeparator')) });

  return (
    <section aria-labelledby="duplicates-title" data-testid="lead-duplicates">
      <h3 id="duplicates-title" className="subsection-title">
        {t('leads.duplicates.title')}
      </h3>
      {duplicates.isPending && <Skeleton className="skeleton--line" />}
      {duplicates.isError && <ErrorState title={t('leads.duplicates.loadFailed')} error={duplicates.error} onRetry={() => void duplicates.refetch()} />}
      {duplicates.data && duplicates.data.leads.length + duplicates.data.contacts.length === 0 && <p className="muted">{t('leads.duplicates.none')}</p>}
      {duplicates.data && duplicates.data.leads.length > 0 && (
        <>
          <h4 className="duplicates__kind">{t('leads.duplicates.leads')}</h4>
          <ul className="duplicates">
            {duplicates.data.leads.map(({ lead: other, matched_on }) => (
              <li key={other.id} className="duplicate" data-testid="duplicate-lead" data-lead-id={other.id}>
                <p className="duplicate__head">
                  <Link to={`${paths.lead(other.id)}${search}`} dir="auto">
                    {other.name}
                  </Link>
                  <LeadStatusBadge status={other.status} i18n={i18n} />
                  <ScoreBadge score={other.score} i18n={i18n} />
                </p>
                <LeadContact lead={other} i18n={i18n} />
                <p className="muted">{matchedOn(matched_on)}</p>
                {other.status === 'qualified' ? (
                  <p className="muted">{t('leads.duplicates.qualified')}</p>
                ) : (
                  <Button size="sm" onClick={() => setMerging(other)}>
                    {t('leads.duplicates.merge')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {duplicates.data && duplicates.data.contacts.length > 0 && (
        <>
          <h4 className="duplicates__kind">{t('leads.duplicates.contacts')}</h4>
          <ul className="duplicates">
            {duplicates.data.contacts.map((contact) => (
              <li key={contact.id} className="duplicate" data-testid="duplicate-contact">
                <p className="duplicate__head">
                  <bdi>{contact.name}</bdi>
                </p>
                <LeadContact lead={contact} i18n={i18n} />
                <p className="muted">{matchedOn(contact.matched_on)}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      {merging && (
        <MergeLeadDialog
          lead={lead}
          other={merging}
          i18n={i18n}
          onClose={() => setMerging(null)}
          onMerged={(merged) => {
            setMerging(null);
            toast.success(t('leads.merge.merged', { other: merging.name, name: merged.name }));
          }}
        />
      )}
    </section>
  );
}
