import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api/api-error';
import { makeApiError } from '../testing/factories';
import { shouldRetry } from './query-client';

describe('query retries', () => {
  it('retry transient causes, twice', () => {
    expect(shouldRetry(0, makeApiError('unavailable'))).toBe(true);
    expect(shouldRetry(1, makeApiError('internal'))).toBe(true);
    expect(shouldRetry(2, makeApiError('unavailable'))).toBe(false);
    expect(shouldRetry(0, new ApiError(0, null, 'Failed to fetch'))).toBe(true);
  });

  it('do not retry what a second try cannot change', () => {
    for (const code of ['not_found', 'forbidden', 'validation_failed', 'rate_limited', 'deal_closed'] as const) {
      expect(shouldRetry(0, makeApiError(code)), code).toBe(false);
    }
  });

  it('go by the status only for an error page that is not the API’s', () => {
    expect(shouldRetry(0, new ApiError(502, null))).toBe(true);
    expect(shouldRetry(0, new ApiError(404, null))).toBe(false);
    // A problem with a code this build does not know is not retried on its status.
    expect(shouldRetry(0, new ApiError(503, { type: 't', code: 'shiny_new' as never, title: 'x', status: 503, detail: 'd', request_id: 'r' }))).toBe(false);
  });
});
