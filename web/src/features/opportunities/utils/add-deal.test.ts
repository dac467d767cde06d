import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../lib/api/types';
import { parseAddDeal } from './add-deal';

const pipeline = { id: 'p1', currency: 'IRR' } as Pipeline;

describe('parseAddDeal', () => {
  it('makes the request from what was typed: tomans to rials, a Jalali date to its Gregorian day', () => {
    const result = parseAddDeal({ title: ' Second phase ', pipelineId: 'p1', amount: '۲٬۵۰۰', closeDate: '۱۴۰۵/۱۰/۲۰' }, pipeline, {
      irrUnit: 'toman',
    });
    expect(result).toEqual({ input: { title: 'Second phase', pipeline_id: 'p1', amount_minor: 25_000, expected_close_date: '2027-01-10' } });
  });

  it('leaves out an empty amount and date', () => {
    expect(parseAddDeal({ title: 'Renewal', pipelineId: 'p1', amount: '', closeDate: '' }, pipeline, { irrUnit: 'rial' })).toEqual({
      input: { title: 'Renewal', pipeline_id: 'p1' },
    });
  });

  it('names what is not right', () => {
    expect(parseAddDeal({ title: ' ', pipelineId: 'p1', amount: '12x', closeDate: '2027-13-45' }, pipeline, { irrUnit: 'rial' })).toEqual({
      invalid: ['title', 'amount_minor', 'expected_close_date'],
    });
  });
});
