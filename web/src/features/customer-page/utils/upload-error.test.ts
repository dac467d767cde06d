import { describe, expect, it } from 'vitest';
import { makeApiError } from '../../../testing/factories';
import { refusalBeforeUpload, refusalOf } from './upload-error';

describe('upload refusals', () => {
  it('refuses a file over 25 MB before sending it', () => {
    expect(refusalBeforeUpload({ size: 25 * 1024 * 1024 })).toBeNull();
    expect(refusalBeforeUpload({ size: 25 * 1024 * 1024 + 1 })).toBe('tooLarge');
  });

  it('names the server’s size and quota refusals, and leaves the rest to describeError', () => {
    expect(refusalOf(makeApiError('payload_too_large', { status: 413 }))).toBe('tooLarge');
    expect(refusalOf(makeApiError('storage_quota_exceeded', { status: 413 }))).toBe('quota');
    expect(refusalOf(makeApiError('forbidden', { status: 403 }))).toBeNull();
    expect(refusalOf(new Error('boom'))).toBeNull();
  });
});
