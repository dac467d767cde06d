import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/api-error';
import { translate } from '../../../lib/i18n/translate';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import { makeApiError } from '../../../testing/factories';
import { moveRefusalMessage } from './move-refusal';

const tEn: Translate = (key, params) => translate(en, 'en', key, params);
const tFa: Translate = (key, params) => translate(fa, 'fa', key, params);

describe('a refused move', () => {
  it('says why by the problem’s code, in English', () => {
    const say = (error: unknown) => moveRefusalMessage(error, 'Fleet renewal', tEn);
    const stale =
      '“Fleet renewal” was changed by someone else, so the move was undone. The board now shows the latest version; move it again if you still want to.';
    expect(say(makeApiError('version_mismatch'))).toBe(stale);
    expect(say(makeApiError('version_required'))).toBe(stale);
    expect(say(makeApiError('deal_closed'))).toBe('“Fleet renewal” is closed; reopen it before moving it. The move was undone.');
    expect(say(makeApiError('neighbours_moved'))).toBe(
      'The cards around where “Fleet renewal” was dropped had moved meanwhile, so the move was undone. The board now shows where they are; drop it again.',
    );
    expect(say(makeApiError('stage_in_other_pipeline'))).toBe(
      'That stage belongs to another pipeline than “Fleet renewal”, so the move was undone. The board has been refreshed.',
    );
    expect(say(makeApiError('not_found'))).toBe('“Fleet renewal” no longer exists; the board has been refreshed.');
  });

  it('says why in Persian', () => {
    const say = (error: unknown) => moveRefusalMessage(error, 'تمدید ناوگان', tFa);
    expect(say(makeApiError('deal_closed'))).toBe('«تمدید ناوگان» بسته شده است؛ پیش از جابه‌جایی آن را بازگشایی کنید. جابه‌جایی برگردانده شد.');
    expect(say(makeApiError('neighbours_moved'))).toBe(
      'در این فاصله کارت‌های اطراف جایی که «تمدید ناوگان» را رها کردید جابه‌جا شده بودند، پس جابه‌جایی برگردانده شد. تابلو اکنون جای تازهٔ آن‌ها را نشان می‌دهد؛ دوباره رهایش کنید.',
    );
    expect(say(makeApiError('stage_in_other_pipeline'))).toBe('آن مرحله به قیفی جز قیف «تمدید ناوگان» تعلق دارد، پس جابه‌جایی برگردانده شد. تابلو تازه شد.');
    expect(say(makeApiError('version_mismatch'))).toMatch(/^کس دیگری «تمدید ناوگان» را تغییر داده بود/);
  });

  it('does not call every conflict "closed"', () => {
    const conflicts = ['deal_closed', 'neighbours_moved', 'stage_in_other_pipeline', 'idempotency_in_progress'] as const;
    const messages = conflicts.map((code) => moveRefusalMessage(makeApiError(code), 'Fleet renewal', tEn));
    expect(new Set(messages).size).toBe(conflicts.length);
    expect(messages.filter((message) => message.includes('is closed'))).toHaveLength(1);
  });

  it('describes any other cause after saying the card went back', () => {
    expect(moveRefusalMessage(makeApiError('forbidden'), 'Fleet renewal', tEn)).toBe(
      '“Fleet renewal” couldn’t be moved and went back to where it was. Your role doesn’t allow this. Ask an admin or a manager of your workspace.',
    );
    expect(moveRefusalMessage(makeApiError('idempotency_in_progress'), 'Fleet renewal', tEn)).toContain(en.errors.codes.idempotency_in_progress);
    expect(moveRefusalMessage(new ApiError(0, null, 'Failed to fetch'), 'Fleet renewal', tEn)).toContain(en.errors.network);
    expect(moveRefusalMessage(makeApiError('rate_limited'), 'تمدید ناوگان', tFa)).toBe(
      `«تمدید ناوگان» جابه‌جا نشد و به جای قبلی‌اش بازگشت. ${fa.errors.codes.rate_limited}`,
    );
  });
});
