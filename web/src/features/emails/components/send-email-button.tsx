import { type FormEvent, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { unwrap, fieldErrorMap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import { describeError } from '../../../lib/api/describe-error';
import type { EmailLocale, SendEmailInput } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useEmailTemplates } from '../api/emails';

/** Queues an email to a contact; their timeline and the log then show it. */
function useSendToContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: SendEmailInput) => unwrap(await api.POST('/api/v1/contacts/{id}/emails', { params: { path: { id: contactId } }, body: input })),
    // The customer's timeline and the email log list it (their query keys by name: features do
    // not import each other).
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['timeline'] }), queryClient.invalidateQueries({ queryKey: ['emails'] })]),
  });
}

/** "Send email" beside a contact's name: from a template, or written here. */
export function SendEmailButton({ contactId, email }: { contactId: string; email: string | null | undefined }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!email) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('emails.send.open')}</Button>
      {open && <SendEmailDialog contactId={contactId} email={email} onClose={() => setOpen(false)} />}
    </>
  );
}

function SendEmailDialog({ contactId, email, onClose }: { contactId: string; email: string; onClose: () => void }) {
  const { t } = useI18n();
  const templates = useEmailTemplates();
  const send = useSendToContact(contactId);
  const [templateId, setTemplateId] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [locale, setLocale] = useState<EmailLocale>('en');
  const errors = fieldErrorMap(send.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: SendEmailInput = templateId ? { template_id: templateId } : { subject, body, locale };
    send.mutate(input, {
      onSuccess: () => {
        toast.success(t('emails.send.queued', { to: email }));
        onClose();
      },
    });
  };

  return (
    <Dialog title={t('emails.send.title', { to: email })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="send-email-form">
        {send.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(send.error, t)}</FormAlert>}
        {errors.to && <FormAlert>{errors.to}</FormAlert>}
        <SelectField
          label={t('emails.send.template')}
          name="template"
          value={templateId}
          onChange={(event) => setTemplateId(event.target.value)}
          error={errors.template_id}
        >
          <option value="">{t('emails.send.write')}</option>
          {(templates.data ?? []).map((template) => (
            <option key={template.id} value={template.id}>
              {template.name}
            </option>
          ))}
        </SelectField>
        {!templateId && (
          <>
            <SelectField
              label={t('emails.templates.fields.locale')}
              name="locale"
              value={locale}
              onChange={(event) => setLocale(event.target.value as EmailLocale)}
            >
              <option value="en">{t('languages.en')}</option>
              <option value="fa">{t('languages.fa')}</option>
            </SelectField>
            <TextField
              label={t('emails.templates.fields.subject')}
              name="subject"
              dir="auto"
              required
              value={subject}
              onChange={(event) => setSubject(event.target.value)}
              error={errors.subject}
            />
            <TextAreaField
              label={t('emails.templates.fields.body')}
              name="body"
              dir="auto"
              required
              rows={6}
              value={body}
              onChange={(event) => setBody(event.target.value)}
              error={errors.body}
            />
          </>
        )}
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={send.isPending}>
            {t('emails.send.submit')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
