import { describe, expect, it } from 'vitest';
import { en } from '../../locales/en';
import { fa } from '../../locales/fa';
import { makeApiError } from '../../testing/factories';
import { translate } from '../i18n/translate';
import type { Translate } from '../i18n/use-i18n';
import { ApiError, errorCode } from './api-error';
import { describeError, errorCodeMessage } from './describe-error';
import type { Problem } from './types';
import { errorCodes } from './vocabularies';

const tEn: Translate = (key, params) => translate(en, 'en', key, params);
const tFa: Translate = (key, params) => translate(fa, 'fa', key, params);
const persianLetters = /[\u0600-\u06FF]/;

/** A problem body; `code` may be one a newer server sends and this build does not know. */
function problem(overrides: Omit<Partial<Problem>, 'code'> & { code?: string }): Problem {
  return {
    type: 'urn:kariz:problem:conflict',
    code: 'deal_closed',
    title: 'Conflict',
    status: 409,
    detail: 'the deal is closed',
    request_id: 'req-1',
    ...overrides,
  } as Problem;
}

describe('error codes', () => {
  it('every code the API documents has its own message in English and in Persian', () => {
    for (const [t, locale] of [
      [tEn, 'en'],
      [tFa, 'fa'],
    ] as const) {
      const messages = errorCodes.map((code) => errorCodeMessage(code, t, 'req-1'));
      for (const [index, message] of messages.entries()) {
        // A missing message renders as its key.
        expect(message, `${locale}: ${errorCodes[index]}`).not.toMatch(/^errors\./);
        expect(message.length, `${locale}: ${errorCodes[index]}`).toBeGreaterThan(10);
        if (locale === 'fa') expect(message, errorCodes[index]).toMatch(persianLetters);
      }
    }
    // Different causes read differently.
    for (const [t, catalog] of [
      [tEn, en],
      [tFa, fa],
    ] as const) {
      const messages = errorCodes.map((code) => errorCodeMessage(code, t));
      expect(new Set(messages).size).toBe(messages.length);
      expect(Object.keys(catalog.errors.codes).sort()).toEqual([...errorCodes].sort());
    }
  });

  it('quote the request id where the server logged a fault', () => {
    expect(errorCodeMessage('internal', tEn, 'req-42')).toContain('quote request req-42');
    expect(errorCodeMessage('internal', tFa, 'req-42')).toContain('شناسهٔ درخواست req-42');
  });
});

describe('ApiError', () => {
  it('exposes the problem’s code when this build knows it', () => {
    expect(new ApiError(409, problem({ code: 'neighbours_moved' })).code).toBe('neighbours_moved');
    expect(new ApiError(409, problem({ code: 'invoice_overdue' })).code).toBeNull();
    expect(new ApiError(502, null).code).toBeNull();
    expect(new ApiError(0, null, 'Failed to fetch').code).toBeNull();
    expect(errorCode(makeApiError('stage_in_other_pipeline'))).toBe('stage_in_other_pipeline');
    expect(errorCode(new Error('boom'))).toBeNull();
  });

  it('is stale by its code, whatever the status', () => {
    expect(makeApiError('version_mismatch').isStale).toBe(true);
    expect(makeApiError('version_required').isStale).toBe(true);
    for (const code of errorCodes.filter((code) => code !== 'version_mismatch' && code !== 'version_required')) {
      expect(makeApiError(code).isStale, code).toBe(false);
    }
    // A 412 that is not the API's (no problem body) is not taken for a stale write.
    expect(new ApiError(412, null).isStale).toBe(false);
  });
});

describe('describeError', () => {
  it('tells apart causes that share a status', () => {
    const conflicts = ['deal_closed', 'neighbours_moved', 'stage_in_other_pipeline', 'pipeline_has_deals', 'last_admin'] as const;
    const messages = conflicts.map((code) => describeError(makeApiError(code), tEn));
    expect(new Set(messages).size).toBe(conflicts.length);
    expect(describeError(makeApiError('deal_closed'), tEn)).toBe('This deal is won or lost; reopen it first.');
    expect(describeError(makeApiError('neighbours_moved'), tEn)).toBe('The cards around that place have moved meanwhile. Reload, then try again.');
    expect(describeError(makeApiError('stage_in_other_pipeline'), tEn)).toBe('That stage belongs to another pipeline.');
    expect(describeError(makeApiError('token_expired'), tEn)).not.toBe(describeError(makeApiError('credentials_refused'), tEn));
  });

  it('goes by the code alone: the status does not change the message', () => {
    expect(describeError(makeApiError('deal_closed', { status: 400 }), tEn)).toBe(describeError(makeApiError('deal_closed'), tEn));
    expect(describeError(makeApiError('version_mismatch', { status: 409 }), tEn)).toBe(en.errors.codes.version_mismatch);
  });

  it('describes every code in Persian with its own message', () => {
    for (const code of errorCodes) {
      expect(describeError(makeApiError(code), tFa), code).toBe(errorCodeMessage(code, tFa, 'req-1234'));
    }
    expect(describeError(makeApiError('deal_closed'), tFa)).toBe('این معامله بسته شده است (موفق یا ناموفق)؛ اول آن را بازگشایی کنید.');
  });

  it('falls back to the server’s detail for a code this build does not know yet', () => {
    const error = new ApiError(409, problem({ code: 'invoice_overdue', detail: 'the invoice is overdue' }));
    expect(describeError(error, tEn)).toBe('Something went wrong: the invoice is overdue');
    expect(describeError(error, tFa)).toBe('مشکلی پیش آمد: the invoice is overdue');
  });

  it('names the status of an answer without a problem body, and says when the server is unreachable', () => {
    expect(describeError(new ApiError(502, null), tEn)).toBe('The server answered with an unexpected error (HTTP 502). Try again in a moment.');
    expect(describeError(new ApiError(502, null), tFa)).toContain('HTTP ۵۰۲');
    expect(describeError(new ApiError(0, null, 'Failed to fetch'), tEn)).toBe(en.errors.network);
    expect(describeError(new TypeError('oops'), tEn)).toBe('Something went wrong: oops');
  });
});
