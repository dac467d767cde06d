import { describe, expect, it } from 'vitest';
import { isEmailStatus, notSentReason } from './email-status';

describe('email status', () => {
  it('tells the log statuses from anything else', () => {
    expect(isEmailStatus('not_sent')).toBe(true);
    expect(isEmailStatus('all')).toBe(false);
  });

  it('explains an email that did not go out', () => {
    expect(notSentReason({ status: 'not_sent', last_error: 'smtp_not_configured' })).toBe('smtpNotConfigured');
    expect(notSentReason({ status: 'failed', last_error: '550 mailbox unavailable' })).toBe('failed');
    expect(notSentReason({ status: 'sent', last_error: null })).toBeNull();
  });
});
