import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { ConfirmDeleteDialog } from '../../../components/confirm-delete-dialog';
import { DataTable } from '../../../components/data-table';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { describeError } from '../../../lib/api/describe-error';
import { fieldEntities, fieldKinds, isOneOf } from '../../../lib/api/vocabularies';

import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUrlParams } from '../../../lib/use-url-params';
import { type FieldDefinition, type FieldEntity, useCreateField, useDeleteField, useFieldDefinitions, useUpdateField } from '../api/custom-fields';
import { parseOptions, suggestKey } from '../utils/field-key';

/** Deals first: the board is where most teams start. */
const entityTabs = ['deal', 'lead', 'contact', 'organization'] as const satisfies readonly (typeof fieldEntities)[number][];

type FieldKind = FieldDefinition['kind'];

/**
 * The extra fields of deals, leads, contacts and organizations: list, add, edit and delete them
 * (admins and managers); the kind of record is in the URL.
 */
export function CustomFieldsScreen() {
  const { t } = useI18n();
  const me = useMe();
  const [params, setParams] = useUrlParams();
  const requested = params.get('entity');
  const entity: FieldEntity = isOneOf(fieldEntities, requested) ? requested : 'deal';
  const fields = useFieldDefinitions(entity);
  const [deleting, setDeleting] = useState<FieldDefinition | null>(null);
  const [editing, setEditing] = useState<FieldDefinition | null>(null);
  useDocumentTitle(t('customFields.title'));
  const canChange = me.data?.user.role === 'admin' || me.data?.user.role === 'manager';

  return (
    <main className="page page--narrow" id="main" data-testid="custom-fields-screen">
      <h1 className="page__title">{t('customFields.title')}</h1>
      <p className="page__intro">{t('customFields.intro')}</p>
      <div className="segmented" role="group" aria-label={t('customFields.entity')}>
        {entityTabs.map((choice) => (
          <button
            key={choice}
            type="button"
            className="segmented__option"
            aria-pressed={choice === entity}
            onClick={() => setParams(() => new URLSearchParams({ entity: choice }), { replace: true })}
          >
            {t(`customFields.entities.${choice}`)}
          </button>
        ))}
      </div>
      {me.data && !canChange && <FormAlert>{t('customFields.readOnly')}</FormAlert>}
      {fields.isPending && <Skeleton className="skeleton--block" />}
      {fields.isError && <ErrorState title={t('customFields.loadFailed')} error={fields.error} onRetry={() => void fields.refetch()} />}
      {fields.isSuccess && fields.data.length === 0 && <EmptyState title={t('customFields.empty', { entity: t(`customFields.entities.${entity}`) })} />}
      {fields.isSuccess && fields.data.length > 0 && (
        <DataTable label={t('customFields.listOf', { entity: t(`customFields.entities.${entity}`) })} testId="field-table">
          <thead>
            <tr>
              <th scope="col">{t('customFields.label')}</th>
              <th scope="col">{t('customFields.key')}</th>
              <th scope="col">{t('customFields.kind')}</th>
              <th scope="col">{t('customFields.options')}</th>
              <th scope="col">{t('customFields.required')}</th>
              {canChange && (
                <th scope="col">
                  <span className="visually-hidden">{t('customFields.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {fields.data.map((field) => (
              <tr key={field.id} data-testid="field-row" data-key={field.key}>
                <td>
                  <strong>{field.label}</strong>
                </td>
                <td>
                  <code dir="ltr">{field.key}</code>
                </td>
                <td>{t(`customFields.kinds.${field.kind}`)}</td>
                <td>{field.options.join(t('common.listSeparator'))}</td>
                <td>{field.required ? t('customFields.yes') : t('customFields.no')}</td>
                {canChange && (
                  <td>
                    <div className="deal-actions">
                      <Button size="sm" aria-label={t('customFields.editNamed', { label: field.label })} onClick={() => setEditing(field)}>
                        {t('common.edit')}
                      </Button>
                      <Button size="sm" variant="danger" aria-label={t('customFields.deleteNamed', { label: field.label })} onClick={() => setDeleting(field)}>
                        {t('common.delete')}
                      </Button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {canChange && <AddField key={entity} entity={entity} />}
      {deleting && <DeleteField field={deleting} onClose={() => setDeleting(null)} />}
      {editing && <EditField key={editing.id} field={editing} onClose={() => setEditing(null)} />}
    </main>
  );
}

function AddField({ entity }: { entity: FieldEntity }) {
  const { t } = useI18n();
  const create = useCreateField();
  const [label, setLabel] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [kind, setKind] = useState<FieldKind>('text');
  const [options, setOptions] = useState('');
  const [required, setRequired] = useState(false);
  const errors = fieldErrorMap(create.error);
  // The key follows the label until the admin types one of their own.
  const shownKey = key ?? suggestKey(label);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { entity, label: label.trim(), key: shownKey.trim(), kind, required, ...(kind === 'select' ? { options: parseOptions(options) } : {}) },
      {
        onSuccess: (field) => {
          toast.success(t('customFields.added', { label: field.label }));
          setLabel('');
          setKey(null);
          setOptions('');
          setRequired(false);
        },
      },
    );
  };

  return (
    <section className="settings__section" aria-labelledby="add-field">
      <h2 id="add-field" className="section-title">
        {t('customFields.add', { entity: t(`customFields.entities.${entity}`) })}
      </h2>
      <form className="form" onSubmit={submit} noValidate data-testid="field-form">
        {create.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(create.error, t)}</FormAlert>}
        <div className="form__row">
          <TextField label={t('customFields.label')} value={label} onChange={(event) => setLabel(event.target.value)} error={errors.label} required />
          <TextField
            label={t('customFields.key')}
            hint={t('customFields.keyHint')}
            dir="ltr"
            value={shownKey}
            onChange={(event) => setKey(event.target.value)}
            error={errors.key}
            required
          />
          <SelectField label={t('customFields.kind')} value={kind} onChange={(event) => isOneOf(fieldKinds, event.target.value) && setKind(event.target.value)}>
            {fieldKinds.map((choice) => (
              <option key={choice} value={choice}>
                {t(`customFields.kinds.${choice}`)}
              </option>
            ))}
          </SelectField>
        </div>
        {kind === 'select' && (
          <TextAreaField
            label={t('customFields.options')}
            hint={t('customFields.optionsHint')}
            rows={4}
            value={options}
            onChange={(event) => setOptions(event.target.value)}
            error={errors.options}
          />
        )}
        <label className="checkbox">
          <input type="checkbox" checked={required} onChange={(event) => setRequired(event.target.checked)} />
          <span>
            {t('customFields.required')} <span className="muted">{t('customFields.requiredHint')}</span>
          </span>
        </label>
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('customFields.create')}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** A field's label, choices and required flag; its key and kind are shown, not changed. */
function EditField({ field, onClose }: { field: FieldDefinition; onClose: () => void }) {
  const { t } = useI18n();
  const update = useUpdateField();
  const [label, setLabel] = useState(field.label);
  const [options, setOptions] = useState(field.options.join('\n'));
  const [required, setRequired] = useState(field.required);
  const errors = localizedFieldErrors(update.error, t);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = { label: label.trim(), required, ...(field.kind === 'select' ? { options: parseOptions(options) } : {}) };
    update.mutate(
      { field, input },
      {
        onSuccess: (saved) => {
          toast.success(t('customFields.saved', { label: saved.label }));
          onClose();
        },
      },
    );
  };

  return (
    <Dialog title={t('customFields.editTitle', { label: field.label })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="field-edit-form">
        {update.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(update.error, t)}</FormAlert>}
        <p className="muted">{t('customFields.editFixed', { key: field.key, kind: t(`customFields.kinds.${field.kind}`) })}</p>
        <TextField
          label={t('customFields.label')}
          name="label"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          error={errors.label}
          required
        />
        {field.kind === 'select' && (
          <TextAreaField
            label={t('customFields.options')}
            hint={t('customFields.optionsEditHint')}
            name="options"
            rows={5}
            value={options}
            onChange={(event) => setOptions(event.target.value)}
            error={errors.options}
          />
        )}
        <label className="checkbox">
          <input type="checkbox" name="required" checked={required} onChange={(event) => setRequired(event.target.checked)} />
          <span>
            {t('customFields.required')} <span className="muted">{t('customFields.requiredHint')}</span>
          </span>
        </label>
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={update.isPending}>
            {t('customFields.save')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteField({ field, onClose }: { field: FieldDefinition; onClose: () => void }) {
  const { t } = useI18n();
  const remove = useDeleteField();
  return (
    <ConfirmDeleteDialog
      title={t('customFields.deleteTitle', { label: field.label })}
      body={t(field.entity === 'deal' ? 'customFields.deleteDealBody' : 'customFields.deleteBody')}
      error={remove.error}
      busy={remove.isPending}
      onDelete={() =>
        remove.mutate(field, {
          onSuccess: () => {
            toast.success(t('customFields.deleted', { label: field.label }));
            onClose();
          },
        })
      }
      onClose={onClose}
      t={t}
    />
  );
}
