import { describe, expect, it } from 'vitest';
import type { DocumentSettings } from '../../../lib/api/types';
import { parseDays, settingsChanges, settingsValuesOf } from './settings-form';

const settings: DocumentSettings = {
  quote_prefix: 'Q-',
  invoice_prefix: 'INV-',
  yearly_reset: true,
  quote_validity_days: 30,
  invoice_due_days: 30,
  accept_wins_deal: false,
  rial_display: 'rial',
  seller: { name: 'Pars Trading', phone: '+982188776655' },
  accent_colour: '#1f6feb',
  footer: null,
  terms: null,
  has_logo: false,
  version: 3,
};

describe('settingsChanges', () => {
  it('sends only what changed, an emptied detail as null', () => {
    const values = { ...settingsValuesOf(settings, 'fa'), quote_validity_days: '۱۴', economic_code: ' 4111-1111 ', phone: '', accent_colour: '#AA0000' };
    expect(settingsChanges(values, settings, 'fa')).toEqual({
      ok: true,
      changes: { quote_validity_days: 14, economic_code: '4111-1111', phone: null, accent_colour: '#aa0000' },
    });
  });

  it('sends nothing when nothing changed', () => {
    expect(settingsChanges(settingsValuesOf(settings, 'en'), settings, 'en')).toEqual({ ok: true, changes: {} });
  });

  it('names the fields that are not right', () => {
    const values = { ...settingsValuesOf(settings, 'en'), quote_prefix: 'Q 1', invoice_due_days: '0', accent_colour: 'red' };
    expect(settingsChanges(values, settings, 'en')).toEqual({
      ok: false,
      errors: { quote_prefix: 'prefix', invoice_due_days: 'days', accent_colour: 'colour' },
    });
  });

  it('takes a prefix in Persian letters', () => {
    const values = { ...settingsValuesOf(settings, 'fa'), invoice_prefix: 'ف-' };
    expect(settingsChanges(values, settings, 'fa')).toEqual({ ok: true, changes: { invoice_prefix: 'ف-' } });
  });
});

describe('parseDays', () => {
  it('reads whole days in either script, from 1 to ten years', () => {
    expect(parseDays('۴۵')).toBe(45);
    expect(parseDays(' 7 ')).toBe(7);
    expect(parseDays('0')).toBeNull();
    expect(parseDays('1.5')).toBeNull();
    expect(parseDays('4000')).toBeNull();
  });
});
