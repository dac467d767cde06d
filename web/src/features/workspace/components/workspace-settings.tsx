import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { UpdateWorkspaceInput, Visibility, Workspace } from '../../../lib/api/types';
import { isOneOf, visibilities } from '../../../lib/api/vocabularies';
import { knownZones } from '../../../lib/format/time-zones';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUpdateWorkspace } from '../api/workspace';

/**
 * The workspace's name, time zone and who sees its deals and leads (everyone, or only their
 * owners and the managers); `extra` is what the app adds below (the exchange rates).
 */
export function WorkspaceSettings({ extra }: { extra?: ReactNode }) {
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
      {me.data && me.data.user.role === 'admin' && <WorkspaceForm key={me.data.workspace.id} workspace={me.data.workspace} />}
      {extra}
    </main>
  );
}

function VisibilityField({ label, value, onChange }: { label: string; value: Visibility; onChange: (value: Visibility) => void }) {
  const { t } = useI18n();
  return (
    <SelectField label={label} value={value} onChange={(event) => isOneOf(visibilities, event.target.value) && onChange(event.target.value)}>
      {visibilities.map((visibility) => (
        <option key={visibility} value={visibility}>
          {t(`workspace.visibility.${visibility}`)}
        </option>
      ))}
    </SelectField>
  );
}

function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  const { t } = useI18n();
  const update = useUpdateWorkspace();
  const zones = useMemo(knownZones, []);
  const [name, setName] = useState(workspace.name);
  const [zone, setZone] = useState(workspace.time_zone);
  const [deals, setDeals] = useState<Visibility>(workspace.deal_visibility);
  const [leads, setLeads] = useState<Visibility>(workspace.lead_visibility);
  const errors = fieldErrorMap(update.error);
  // Only what changed is sent, so that saving the name does not also re-send the rest.
  const change: UpdateWorkspaceInput = {
    ...(name.trim() !== workspace.name ? { name: name.trim() } : {}),
    ...(zone.trim() !== workspace.time_zone ? { time_zone: zone.trim() } : {}),
    ...(deals !== workspace.deal_visibility ? { deal_visibility: deals } : {}),
    ...(leads !== workspace.lead_visibility ? { lead_visibility: leads } : {}),
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(change, { onSuccess: () => toast.success(t('workspace.saved')) });
  };

  return (
    <form className="form settings__section" onSubmit={submit} noValidate data-testid="visibility-form">
      {update.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
      <TextField label={t('workspace.name')} value={name} onChange={(event) => setName(event.target.value)} error={errors.name} required maxLength={100} />
      <TextField
        label={t('workspace.timeZone')}
        hint={t('workspace.timeZoneHint')}
        dir="ltr"
        list="workspace-time-zones"
        value={zone}
        onChange={(event) => setZone(event.target.value)}
        error={errors.time_zone ? t('workspace.timeZoneInvalid') : undefined}
      />
      <datalist id="workspace-time-zones">
        {zones.map((known) => (
          <option key={known} value={known} />
        ))}
      </datalist>
      <VisibilityField label={t('workspace.dealVisibility')} value={deals} onChange={setDeals} />
      <VisibilityField label={t('workspace.leadVisibility')} value={leads} onChange={setLeads} />
      <div className="form__actions">
        <Button type="submit" variant="primary" busy={update.isPending} disabled={Object.keys(change).length === 0}>
          {update.isPending ? t('common.saving') : t('common.save')}
        </Button>
      </div>
    </form>
  );
}
