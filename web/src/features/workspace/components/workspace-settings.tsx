import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Visibility, Workspace } from '../../../lib/api/types';
import { isOneOf, visibilities } from '../../../lib/api/vocabularies';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUpdateWorkspace } from '../api/workspace';

/** Who sees the workspace's deals and leads: everyone, or only their owners and the managers. */
export function WorkspaceSettings() {
  const { t } = useI18n();
  const me = useMe();
  useDocumentTitle(t('workspace.title'));

  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{t('workspace.title')}</h1>
      <p className="page__intro">{t('workspace.intro')}</p>
      {me.isPending && <Skeleton className="skeleton--block" />}
      {me.isError && <ErrorState title={t('workspace.loadFailed')} error={me.error} onRetry={() => void me.refetch()} />}
      {me.data && me.data.user.role !== 'admin' && <FormAlert>{t('workspace.forbidden')}</FormAlert>}
      {me.data && me.data.user.role === 'admin' && <VisibilityForm key={me.data.workspace.id} workspace={me.data.workspace} />}
    </main>
  );
}

function VisibilityForm({ workspace }: { workspace: Workspace }) {
  const { t } = useI18n();
  const update = useUpdateWorkspace();
  const [deals, setDeals] = useState<Visibility>(workspace.deal_visibility);
  const [leads, setLeads] = useState<Visibility>(workspace.lead_visibility);
  const unchanged = deals === workspace.deal_visibility && leads === workspace.lead_visibility;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ deal_visibility: deals, lead_visibility: leads }, { onSuccess: () => toast.success(t('workspace.saved')) });
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="visibility-form">
      {update.error && <FormAlert>{describeError(update.error, t)}</FormAlert>}
      <SelectField
        label={t('workspace.dealVisibility')}
        value={deals}
        onChange={(event) => isOneOf(visibilities, event.target.value) && setDeals(event.target.value)}
      >
        {visibilities.map((visibility) => (
          <option key={visibility} value={visibility}>
            {t(`workspace.visibility.${visibility}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('workspace.leadVisibility')}
        value={leads}
        onChange={(event) => isOneOf(visibilities, event.target.value) && setLeads(event.target.value)}
      >
        {visibilities.map((visibility) => (
          <option key={visibility} value={visibility}>
            {t(`workspace.visibility.${visibility}`)}
          </option>
        ))}
      </SelectField>
      <div className="form__actions">
        <Button type="submit" variant="primary" busy={update.isPending} disabled={unchanged}>
          {update.isPending ? t('common.saving') : t('common.save')}
        </Button>
      </div>
    </form>
  );
}
