import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/api-error';
import { emptyNewLead, leadFieldErrors, newLeadInput, qualifyInput, type QualifyValues } from './lead-form';

describe('the new-lead form', () => {
  it('trims fields and sends empty ones as null', () => {
    expect(newLeadInput({ ...emptyNewLead, name: ' Sara Ahmadi ', email: ' sara@example.com', phone: '  ', source: 'exhibition' })).toEqual({
      name: 'Sara Ahmadi',
      email: 'sara@example.com',
      phone: null,
      company: null,
      job_title: null,
      source: 'exhibition',
    });
  });

  it('sends a blank name, for the server to refuse next to the field', () => {
    expect(newLeadInput(emptyNewLead).name).toBe('');
  });
});

describe('the qualify form', () => {
  const values: QualifyValues = { pipelineId: 'p1', need: ' Fleet tracking ', budget: '', timeline: '', decisionMaker: '', openDeal: true };

  it('opens a deal in the chosen pipeline by default', () => {
    expect(qualifyInput(values, 'USD', 'rial')).toEqual({
      ok: true,
      value: { need: 'Fleet tracking', timeline: null, decision_maker: null, create_deal: true, pipeline_id: 'p1' },
    });
  });

  it('sends the budget in minor units of the pipeline currency, typed in tomans or Persian digits', () => {
    expect(qualifyInput({ ...values, budget: '1,250.50' }, 'USD', 'rial')).toMatchObject({
      ok: true,
      value: { budget_minor: 125_050, budget_currency: 'USD' },
    });
    expect(qualifyInput({ ...values, budget: '۲٬۵۰۰٬۰۰۰' }, 'IRR', 'toman')).toMatchObject({
      ok: true,
      value: { budget_minor: 25_000_000, budget_currency: 'IRR' },
    });
  });

  it('refuses a malformed budget before sending', () => {
    expect(qualifyInput({ ...values, budget: '12x' }, 'USD', 'rial')).toEqual({ ok: false, errors: { budget_minor: 'invalidAmount' } });
  });

  it('names no pipeline when no deal is to be opened', () => {
    const result = qualifyInput({ ...values, openDeal: false }, 'USD', 'rial');
    expect(result).toEqual({ ok: true, value: { need: 'Fleet tracking', timeline: null, decision_maker: null, create_deal: false } });
  });
});

describe('field errors', () => {
  it('keeps the server’s messages and translates a missing required field', () => {
    const error = new ApiError(422, {
      type: 'about:blank',
      title: 'Invalid',
      status: 422,
      detail: 'Some fields are invalid',
      request_id: 'r1',
      errors: [
        { field: 'reason', code: 'required', message: 'missing field `reason`' },
        { field: 'note', code: 'invalid', message: 'note is too long' },
      ],
    });
    expect(leadFieldErrors(error, 'Required')).toEqual({ reason: 'Required', note: 'note is too long' });
    expect(leadFieldErrors(new Error('x'), 'Required')).toEqual({});
  });
});
