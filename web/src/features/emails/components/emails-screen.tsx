import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { errorCode, fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Email, EmailLocale, EmailPreview, EmailTemplate } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateEmailTemplate, useDeleteEmailTemplate, useEmailTemplates, useEmails, usePreviewEmailTemplate, useUpdateEmailTemplate } from '../api/emails';
import { emailStatuses, notSentReason, placeholders } from '../utils/email-status';

/** The email log and the workspace's templates (admins and managers). */
export function EmailsScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('emails.title'));
  const [status, setStatus] = useState('all');
  const emails = useEmails(status);

  if (emails.isError && errorCode(emails.error) === 'forbidden') {
    return (
      <main className="page page--narrow" id="main">
        <h1 className="page__title">{t('emails.title')}</h1>
        <FormAlert>{t('emails.forbidden')}</FormAlert>
      </main>
    );
  }
  const rows = emails.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{t('emails.title')}</h1>
      <p className="page__intro">{t('emails.intro')}</p>

      <section className="settings__section" aria-labelledby="email-log">
        <h2 id="email-log" className="section-title">
          {t('emails.log.title')}
        </h2>
        <SelectField label={t('emails.log.status')} name="status" value={status} onChange={(event) => setStatus(event.target.value)}>
          <option value="all">{t('emails.log.allStatuses')}</option>
          {emailStatuses.map((value) => (
            <option key={value} value={value}>
              {t(`emails.status.${value}`)}
            </option>
          ))}
        </SelectField>
        {emails.isPending && <Skeleton className="skeleton--block" />}
        {emails.isError && <ErrorState title={t('emails.log.loadFailed')} error={emails.error} onRetry={() => void emails.refetch()} />}
        {emails.data && rows.length === 0 && <EmptyState title={t('emails.log.empty')} body={t('emails.log.emptyBody')} />}
        {rows.length > 0 && (
          <ul className="webhook-list" data-testid="email-log">
            {rows.map((email) => (
              <EmailRow key={email.id} email={email} i18n={i18n} />
            ))}
          </ul>
        )}
        {emails.hasNextPage && (
          <Button busy={emails.isFetchingNextPage} onClick={() => void emails.fetchNextPage()}>
            {t('emails.log.loadMore')}
          </Button>
        )}
      </section>

      <TemplatesSection i18n={i18n} />
    </main>
  );
}

function EmailRow({ email, i18n }: { email: Email; i18n: I18n }) {
  const { t } = i18n;
  const reason = notSentReason(email);
  return (
    <li className="webhook-list__item" data-testid="email-row" data-status={email.status}>
      <div>
        <strong dir="auto">{email.subject}</strong>
        <p className="muted" dir="ltr">
          {email.to}
        </p>
        <p>
          <span className={`badge badge--${email.status}`}>{t(`emails.status.${email.status}`)}</span>{' '}
          <span className="muted">
            {t('emails.log.attempts', { count: email.attempts })} · {i18n.dateTime(email.created_at)}
          </span>
        </p>
        {reason === 'smtpNotConfigured' && <p data-testid="email-reason">{t('emails.reason.smtpNotConfigured')}</p>}
        {reason === 'failed' && (
          <p data-testid="email-reason">
            {t('emails.reason.failed')}{' '}
            <span dir="ltr" className="muted">
              {email.last_error}
            </span>
          </p>
        )}
        {email.status === 'queued' && email.last_error && (
          <p className="muted">
            {t('emails.reason.retrying', { at: email.next_attempt_at ? i18n.dateTime(email.next_attempt_at) : '' })} <span dir="ltr">{email.last_error}</span>
          </p>
        )}
      </div>
    </li>
  );
}

interface TemplateValues {
  name: string;
  locale: EmailLocale;
  subject: string;
  body: string;
}

const emptyTemplate: TemplateValues = { name: '', locale: 'en', subject: '', body: '' };

function TemplatesSection({ i18n }: { i18n: I18n }) {
  const { t } = i18n;
  const templates = useEmailTemplates();
  const create = useCreateEmailTemplate();
  const update = useUpdateEmailTemplate();
  const remove = useDeleteEmailTemplate();
  const preview = usePreviewEmailTemplate();
  const [editing, setEditing] = useState<EmailTemplate | null>(null);
  const [values, setValues] = useState<TemplateValues>(emptyTemplate);
  const [shown, setShown] = useState<EmailPreview | null>(null);
  const saving = editing ? update : create;
  const errors = fieldErrorMap(saving.error);

  const edit = (template: EmailTemplate | null) => {
    setEditing(template);
    setShown(null);
    create.reset();
    update.reset();
    setValues(template ? { name: template.name, locale: template.locale, subject: template.subject, body: template.body } : emptyTemplate);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = { name: values.name.trim(), locale: values.locale, subject: values.subject, body: values.body };
    const done = (saved: EmailTemplate) => {
      toast.success(t('emails.templates.saved'));
      setEditing(saved);
      preview.mutate(saved, { onSuccess: setShown });
    };
    if (editing) update.mutate({ template: editing, changes: input }, { onSuccess: done });
    else create.mutate(input, { onSuccess: done });
  };

  return (
    <section className="settings__section" aria-labelledby="email-templates">
      <h2 id="email-templates" className="section-title">
        {t('emails.templates.title')}
      </h2>
      {templates.isPending && <Skeleton className="skeleton--block" />}
      {templates.isError && <ErrorState title={t('emails.templates.loadFailed')} error={templates.error} onRetry={() => void templates.refetch()} />}
      {templates.data && templates.data.length === 0 && <EmptyState title={t('emails.templates.empty')} />}
      {templates.data && templates.data.length > 0 && (
        <ul className="webhook-list" data-testid="email-templates">
          {templates.data.map((template) => (
            <li key={template.id} className="webhook-list__item">
              <span dir="auto">{template.name}</span> <span className="muted">{t(`languages.${template.locale}`)}</span>{' '}
              <Button size="sm" onClick={() => edit(template)}>
                {t('emails.templates.edit')}
              </Button>{' '}
              <Button
                size="sm"
                variant="danger"
                busy={remove.isPending && remove.variables?.id === template.id}
                onClick={() =>
                  remove.mutate(template, {
                    onSuccess: () => {
                      if (editing?.id === template.id) edit(null);
                      toast.success(t('emails.templates.deleted'));
                    },
                    onError: (error) => toast.error(describeError(error, t)),
                  })
                }
              >
                {t('common.delete')}
              </Button>
            </li>
          ))}
        </ul>
      )}

      <h3 className="section-title">{editing ? t('emails.templates.editing', { name: editing.name }) : t('emails.templates.add')}</h3>
      <form className="form" onSubmit={submit} noValidate data-testid="email-template-form">
        {saving.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(saving.error, t)}</FormAlert>}
        <TextField
          label={t('emails.templates.fields.name')}
          name="name"
          required
          value={values.name}
          onChange={(event) => setValues({ ...values, name: event.target.value })}
          error={errors.name}
        />
        <SelectField
          label={t('emails.templates.fields.locale')}
          name="locale"
          value={values.locale}
          onChange={(event) => setValues({ ...values, locale: event.target.value as EmailLocale })}
          error={errors.locale}
        >
          <option value="en">{t('languages.en')}</option>
          <option value="fa">{t('languages.fa')}</option>
        </SelectField>
        <TextField
          label={t('emails.templates.fields.subject')}
          name="subject"
          required
          dir="auto"
          value={values.subject}
          onChange={(event) => setValues({ ...values, subject: event.target.value })}
          error={errors.subject}
        />
        <TextAreaField
          label={t('emails.templates.fields.body')}
          name="body"
          required
          dir="auto"
          rows={8}
          hint={t('emails.templates.fields.bodyHint', { placeholders: placeholders.map((name) => `{{${name}}}`).join(' ') })}
          value={values.body}
          onChange={(event) => setValues({ ...values, body: event.target.value })}
          error={errors.body}
        />
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={saving.isPending}>
            {saving.isPending ? t('common.saving') : t('emails.templates.saveAndPreview')}
          </Button>
          {editing && <Button onClick={() => edit(null)}>{t('emails.templates.new')}</Button>}
        </div>
      </form>

      {shown && (
        <div className="settings__section" data-testid="email-preview" aria-label={t('emails.templates.preview')}>
          <h3 className="section-title">{t('emails.templates.preview')}</h3>
          <p className="muted">{t('emails.templates.previewHint')}</p>
          <p dir="auto">
            <strong>{shown.subject}</strong>
          </p>
          <pre dir="auto" className="email-preview__text" data-testid="email-preview-text">
            {shown.text_body}
          </pre>
        </div>
      )}
    </section>
  );
}
