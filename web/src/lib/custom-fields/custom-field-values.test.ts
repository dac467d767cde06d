import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../api/types';
import { dateEntryOf } from '../format/calendar';
import { customFieldsInput, customFieldValues } from './custom-field-values';

const field = (key: string, kind: FieldDefinition['kind'], options: string[] = []): FieldDefinition => ({
  id: `field-${key}`,
  entity: 'deal',
  key,
  label: key,
  kind,
  options,
  required: false,
  created_at: '2026-01-01T00:00:00Z',
});

const definitions = [field('fleet_size', 'number'), field('renewal', 'date'), field('vip', 'boolean'), field('segment', 'select', ['smb'])];
const persianOnJalali = dateEntryOf('fa', 'jalali');
const englishOnGregorian = dateEntryOf('en', 'gregorian');

describe('custom field values', () => {
  it('parses what was typed by kind, in either digit set, a date on either calendar', () => {
    const typed = { fleet_size: '۱۲', renewal: '1405/01/15', vip: true, segment: '' };
    expect(customFieldsInput(definitions, typed)).toEqual({ ok: true, value: { fleet_size: 12, renewal: '2026-04-04', vip: true } });
    expect(customFieldsInput(definitions, { renewal: '۲۰۲۶-۰۴-۰۴' })).toEqual({ ok: true, value: { renewal: '2026-04-04' } });
  });

  it('sends only what changed, a cleared value as null', () => {
    const stored = customFieldValues(definitions, { fleet_size: 4, renewal: '2026-04-04', segment: 'smb' }, englishOnGregorian);
    const edited = { ...stored, fleet_size: '5', segment: '' };
    expect(customFieldsInput(definitions, edited, stored)).toEqual({ ok: true, value: { fleet_size: 5, segment: null } });
  });

  it('names malformed values as the server would', () => {
    expect(customFieldsInput(definitions, { fleet_size: 'many', renewal: '31/12' })).toEqual({
      ok: false,
      errors: { 'custom_fields.fleet_size': 'invalidNumber', 'custom_fields.renewal': 'invalidDate' },
    });
  });

  it('shows a stored date on the workspace’s calendar, in the language’s digits', () => {
    const stored = { renewal: '2026-04-04' };
    expect(customFieldValues(definitions, stored, persianOnJalali)).toMatchObject({ renewal: '۱۴۰۵/۰۱/۱۵', vip: false, fleet_size: '' });
    expect(customFieldValues(definitions, stored, englishOnGregorian)).toMatchObject({ renewal: '2026-04-04' });
    expect(customFieldValues(definitions, stored, dateEntryOf('en', 'jalali'))).toMatchObject({ renewal: '1405/01/15' });
    expect(customFieldValues(definitions, stored, dateEntryOf('fa', 'gregorian'))).toMatchObject({ renewal: '۲۰۲۶-۰۴-۰۴' });
  });
});
