import type { Email, EmailStatus } from '../../../lib/api/types';

export const emailStatuses: readonly EmailStatus[] = ['queued', 'sending', 'sent', 'failed', 'not_sent'];

export function isEmailStatus(value: string): value is EmailStatus {
  return (emailStatuses as readonly string[]).includes(value);
}

/** Why an email did not go out, as a key of `emails.reason`: no SMTP server, or the server's answer. */
export function notSentReason(email: Pick<Email, 'status' | 'last_error'>): 'smtpNotConfigured' | 'failed' | null {
  if (email.status === 'not_sent' && email.last_error === 'smtp_not_configured') return 'smtpNotConfigured';
  if (email.status === 'failed') return 'failed';
  return null;
}

/** The placeholders a template may hold, as the editor offers them. */
export const placeholders = [
  'contact.name',
  'contact.first_name',
  'contact.email',
  'organization.name',
  'deal.title',
  'deal.amount',
  'deal.expected_close',
  'stage.name',
  'pipeline.name',
  'owner.name',
  'owner.email',
  'workspace.name',
] as const;
