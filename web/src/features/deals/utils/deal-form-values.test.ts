import { describe, expect, it } from 'vitest';
import { makeDeal } from '../../../testing/factories';
import { dealToFormValues, parseDealForm, sameFormValues } from './deal-form-values';

const en = { locale: 'en', calendar: 'gregorian' as const, irrUnit: 'rial' as const };
const fa = { locale: 'fa', calendar: 'jalali' as const, irrUnit: 'toman' as const };

describe('deal form values', () => {
  it('shows a deal in English with a Gregorian date and major units', () => {
    const deal = makeDeal({ amount_minor: 125_050, currency: 'USD', expected_close_date: '2026-03-21', custom_probability: 35 });
    expect(dealToFormValues(deal, en)).toMatchObject({ amount: '1250.5', closeDate: '2026-03-21', probability: '35' });
  });

  it('shows a rial deal in Persian as tomans with a Jalali date in Persian digits', () => {
    const deal = makeDeal({ amount_minor: 25_000_000, currency: 'IRR', expected_close_date: '2026-03-21' });
    expect(dealToFormValues(deal, fa)).toMatchObject({ amount: '۲۵۰۰۰۰۰', closeDate: '۱۴۰۵/۰۱/۰۱', probability: '' });
  });

  it('parses Persian input back into rials and an ISO date', () => {
    const parsed = parseDealForm(
      { title: 'قرارداد', amount: '۲٬۵۰۰٬۰۰۰', currency: 'IRR', stageId: 's', probability: '', closeDate: '۱۴۰۵/۱/۱', ownerId: 'u', tags: '' },
      fa,
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        title: 'قرارداد',
        amount_minor: 25_000_000,
        currency: 'IRR',
        stage_id: 's',
        probability: null,
        expected_close_date: '2026-03-21',
        owner_id: 'u',
        tags: [],
      },
    });
  });

  it('reports malformed amount, date and probability under the API field names', () => {
    const parsed = parseDealForm(
      { title: 't', amount: '12x', currency: 'USD', stageId: 's', probability: 'abc', closeDate: '1405/13/40', ownerId: 'u', tags: '' },
      fa,
    );
    expect(parsed).toEqual({ ok: false, errors: { amount_minor: 'invalidAmount', expected_close_date: 'invalidDate', probability: 'invalidProbability' } });
  });

  it('shows the tags joined by the language’s comma and reads them back split on either', () => {
    const deal = makeDeal({ tags: ['vip', 'نمایشگاه'] });
    expect(dealToFormValues(deal, en).tags).toBe('vip, نمایشگاه');
    expect(dealToFormValues(deal, fa).tags).toBe('vip، نمایشگاه');
    const values = { title: 't', amount: '', currency: 'USD', stageId: 's', probability: '', closeDate: '', ownerId: 'u' };
    expect(parseDealForm({ ...values, tags: ' vip،نمایشگاه; ,fleet ' }, fa)).toMatchObject({ ok: true, value: { tags: ['vip', 'نمایشگاه', 'fleet'] } });
    expect(parseDealForm({ ...values, tags: '  ' }, en)).toMatchObject({ ok: true, value: { tags: [] } });
  });

  it('treats an empty amount as zero and leaves range checks to the server', () => {
    const parsed = parseDealForm({ title: '', amount: '', currency: 'USD', stageId: 's', probability: '150', closeDate: '', ownerId: 'u', tags: '' }, en);
    expect(parsed).toMatchObject({ ok: true, value: { amount_minor: 0, probability: 150, expected_close_date: null } });
  });
});

describe('sameFormValues', () => {
  it('tells an edited form from the deal it was filled from', () => {
    const deal = makeDeal({ title: 'Fleet', amount_minor: 120_000 });
    const loaded = dealToFormValues(deal, en);
    expect(sameFormValues(loaded, dealToFormValues(deal, en))).toBe(true);
    expect(sameFormValues({ ...loaded, title: 'Fleet 2' }, loaded)).toBe(false);
  });
});
