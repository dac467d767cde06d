import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Lead } from '../../../lib/api/types';
import { localizeDigits } from '../../../lib/format/digits';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { isMergedAway, useMergeLeads, useMergePreview } from '../api/leads';
import { LeadComparison } from './lead-comparison';
import { mergeChanges, type MergePreviewField, mergePreviewFields } from '../utils/lead-merge';

interface MergeLeadDialogProps {
  /** The lead in the drawer, which is kept. */
  lead: Lead;
  /** The duplicate merged into it, then deleted. */
  other: Lead;
  i18n: I18n;
  onClose: () => void;
  onMerged: (lead: Lead) => void;
}

/**
 * Merging a duplicate into the drawer's lead: the API's preview of the merged lead first (a dry
 * run), then, on confirmation, the merge with the version the preview was made from. When the
 * lead changed meanwhile (412), it is reloaded, the preview follows, and the user confirms again.
 */
export function MergeLeadDialog({ lead, other, i18n, onClose, onMerged }: MergeLeadDialogProps) {
  const { t } = i18n;
  const preview = useMergePreview(lead, other.id);
  const merge = useMergeLeads();
  const stale = isApiError(merge.error) && merge.error.isStale;

  return (
    <Dialog title={t('leads.merge.title', { other: other.name, name: lead.name })} onClose={onClose}>
      <div className="form" data-testid="merge-lead-dialog">
        <p className="muted">{t('leads.merge.intro', { other: other.name, name: lead.name })}</p>
        <LeadComparison kept={lead} other={other} i18n={i18n} />
        {preview.isPending && <Skeleton className="skeleton--block" />}
        {preview.isError && <ErrorState title={t('leads.merge.previewFailed')} error={preview.error} onRetry={() => void preview.refetch()} />}
        {preview.data && <MergePreview kept={lead} merged={preview.data} i18n={i18n} />}
        {stale && <FormAlert>{t('leads.merge.stale', { name: lead.name })}</FormAlert>}
        {merge.error && !stale && <FormAlert>{isMergedAway(merge.error) ? t('leads.merge.gone') : describeError(merge.error, t)}</FormAlert>}
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            variant="danger"
            disabled={!preview.data || preview.isFetching}
            busy={merge.isPending}
            onClick={() => merge.mutate({ lead, otherId: other.id }, { onSuccess: (result) => onMerged(result.lead) })}
          >
            {merge.isPending ? t('leads.merge.submitting') : t('leads.merge.submit')}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

/** The merged lead's name, email, phone, tags, submissions and score, marking what the merge changes. */
function MergePreview({ kept, merged, i18n }: { kept: Lead; merged: Lead; i18n: I18n }) {
  const { t } = i18n;
  const changes = mergeChanges(kept, merged);
  const label: Record<MergePreviewField, string> = {
    name: t('leads.fields.name'),
    email: t('leads.fields.email'),
    phone: t('leads.fields.phone'),
    tags: t('leads.fields.tags'),
    submissions: t('leads.fields.submissions'),
    score: t('leads.columns.score'),
  };
  const value: Record<MergePreviewField, string> = {
    name: merged.name,
    email: merged.email ?? '',
    phone: merged.phone ? localizeDigits(merged.phone, i18n.locale) : '',
    tags: merged.tags.join(t('common.listSeparator')),
    submissions: i18n.number(merged.submissions),
    score: i18n.number(merged.score),
  };
  return (
    <section aria-labelledby="merge-preview-title">
      <h3 id="merge-preview-title" className="subsection-title">
        {t('leads.merge.preview', { name: kept.name })}
      </h3>
      <dl className="field-list" data-testid="merge-preview">
        {mergePreviewFields.map((field) => (
          <div key={field} className="field-list__row" data-field={field} data-changed={changes.has(field) || undefined}>
            <dt>{label[field]}</dt>
            <dd>
              {value[field] ? (
                <bdi dir={field === 'email' || field === 'phone' ? 'ltr' : undefined}>{value[field]}</bdi>
              ) : (
                <span className="muted">{t('leads.merge.empty')}</span>
              )}
              {changes.has(field) && <span className="badge badge--changed">{t('leads.merge.changed')}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
