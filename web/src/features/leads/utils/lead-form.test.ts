import { describe, expect, it } from 'vitest';
import { makeLead } from '../../../testing/factories';
import {
  emptyNewLead,
  type LeadEditValues,
  leadChanges,
  leadEditValues,
  newLeadInput,
  parseTags,
  qualifyInput,
  suggestedDealTitle,
  type QualifyValues,
  rebaseLeadEdit,
} from './lead-form';

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

describe('the edit form', () => {
  const lead = makeLead({
    name: 'Sara Ahmadi',
    email: 'sara@pars.example',
    phone: '+989121234567',
    company: 'Pars Logistics',
    job_title: null,
    source: 'exhibition',
    tags: ['fleet', 'vip'],
    notes: 'Met at the fair',
  });
  const read = leadEditValues(lead, ', ');

  it('shows the lead as read, blanks as empty text and the tags joined', () => {
    expect(read).toEqual({
      name: 'Sara Ahmadi',
      email: 'sara@pars.example',
      phone: '+989121234567',
      company: 'Pars Logistics',
      jobTitle: '',
      source: 'exhibition',
      campaign: '',
      medium: '',
      tags: 'fleet, vip',
      notes: 'Met at the fair',
      ownerId: '',
      custom: {},
    });
    expect(leadEditValues(lead, '، ').tags).toBe('fleet، vip');
    expect(leadEditValues({ ...lead, owner_id: 'u1' }, ', ', { fleet_size: '40' })).toMatchObject({ ownerId: 'u1', custom: { fleet_size: '40' } });
  });

  it('reads tags separated by Latin or Persian commas or semicolons, dropping blanks', () => {
    expect(parseTags(' fleet, vip ،نمایشگاه; ;')).toEqual(['fleet', 'vip', 'نمایشگاه']);
    expect(parseTags('  ')).toEqual([]);
  });

  it('sends nothing when nothing changed, whitespace aside', () => {
    expect(leadChanges(read, { ...read, name: ' Sara Ahmadi ', tags: 'fleet,vip', medium: '  ' })).toEqual({});
  });

  it('sends only the changed fields: trimmed, emptied ones as null, tags as a list', () => {
    const values: LeadEditValues = { ...read, jobTitle: ' CEO ', company: '', source: 'referral', tags: 'fleet', notes: 'Met at the fair\nCall back' };
    expect(leadChanges(read, values)).toEqual({
      job_title: 'CEO',
      company: null,
      source: 'referral',
      tags: ['fleet'],
      notes: 'Met at the fair\nCall back',
    });
    expect(leadChanges(read, { ...read, tags: '' })).toEqual({ tags: [] });
    expect(leadChanges(read, { ...read, ownerId: 'u2' })).toEqual({ owner_id: 'u2' });
    expect(leadChanges({ ...read, ownerId: 'u2' }, read)).toEqual({ owner_id: null });
  });

  it('sends a blank name, for the server to refuse next to the field', () => {
    expect(leadChanges(read, { ...read, name: '  ' })).toEqual({ name: '' });
  });

  it('takes a newer version into the fields the user has not touched, keeping the edits', () => {
    const values = { ...read, jobTitle: 'CEO', notes: 'Mine' };
    const latest = leadEditValues({ ...lead, name: 'Sara Ahmadi-Rad', notes: 'Theirs', version: 2 }, ', ');
    const rebased = rebaseLeadEdit({ read, values }, latest);
    expect(rebased.values).toEqual({ ...latest, jobTitle: 'CEO', notes: 'Mine' });
    expect(rebased.read).toBe(latest);
    // Saving again sends the user's edits only: the other person's new name stays.
    expect(leadChanges(rebased.read, rebased.values)).toEqual({ job_title: 'CEO', notes: 'Mine' });
  });
});

describe('the qualify form', () => {
  const values: QualifyValues = {
    pipelineId: 'p1',
    stageId: '',
    dealTitle: '',
    need: ' Fleet tracking ',
    budget: '',
    timeline: '',
    decisionMaker: '',
    openDeal: true,
  };

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

  it('names the deal and its stage when they are chosen', () => {
    expect(qualifyInput({ ...values, stageId: 's2', dealTitle: ' Pars — 40 trackers ' }, 'USD', 'rial')).toMatchObject({
      ok: true,
      value: { pipeline_id: 'p1', stage_id: 's2', deal_title: 'Pars — 40 trackers' },
    });
  });

  it('suggests a deal title of the company and the person, or the person alone', () => {
    const template = (company: string, name: string) => `${company} — ${name}`;
    expect(suggestedDealTitle({ name: 'Sara Ahmadi', company: ' Pars Logistics ' }, template)).toBe('Pars Logistics — Sara Ahmadi');
    expect(suggestedDealTitle({ name: 'Sara Ahmadi', company: null }, template)).toBe('Sara Ahmadi');
  });

  it('names no pipeline when no deal is to be opened', () => {
    const result = qualifyInput({ ...values, stageId: 's2', dealTitle: 'Pars', openDeal: false }, 'USD', 'rial');
    expect(result).toEqual({ ok: true, value: { need: 'Fleet tracking', timeline: null, decision_maker: null, create_deal: false } });
  });
});
