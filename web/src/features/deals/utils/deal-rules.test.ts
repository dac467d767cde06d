import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../../lib/api/types';
import { makeDeal } from '../../../testing/factories';
import { loseBody } from '../api/deals';
import { customValueText, missingRequiredFields, parseCustomValues, requiredFieldNames } from './deal-rules';

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

describe('missingRequiredFields', () => {
  it('lists what a deal lacks of a stage’s requirements, in their order', () => {
    const deal = makeDeal({ amount_minor: 0, expected_close_date: null, contact_id: 'contact-1', custom_fields: { fleet_size: 4, note: '  ' } as never });
    expect(missingRequiredFields(deal, ['note', 'amount', 'contact_id', 'fleet_size', 'expected_close_date', 'organization_id'])).toEqual([
      'note',
      'amount',
      'expected_close_date',
      'organization_id',
    ]);
    expect(missingRequiredFields(makeDeal({ amount_minor: 5, expected_close_date: '2027-01-01' }), ['amount', 'expected_close_date'])).toEqual([]);
  });
});

describe('requiredFieldNames', () => {
  it('turns the problem’s request names back into the stage’s names', () => {
    expect(requiredFieldNames([{ field: 'amount_minor' }, { field: 'custom_fields.fleet_size' }, { field: 'contact_id' }])).toEqual([
      'amount',
      'fleet_size',
      'contact_id',
    ]);
  });
});

describe('custom values', () => {
  const definitions = [field('fleet_size', 'number'), field('renewal', 'date'), field('vip', 'boolean'), field('segment', 'select', ['smb'])];

  it('parses what was typed by kind, in either script and calendar', () => {
    const parsed = parseCustomValues(definitions, { fleet_size: '۱۲', renewal: '1405/01/15', vip: true, segment: '' }, 'fa');
    expect(parsed).toEqual({ ok: true, value: { fleet_size: 12, renewal: '2026-04-04', vip: true, segment: null } });
  });

  it('names malformed values as the server would', () => {
    expect(parseCustomValues(definitions, { fleet_size: 'many', renewal: '31/12' }, 'en')).toEqual({
      ok: false,
      errors: { 'custom_fields.fleet_size': 'invalidNumber', 'custom_fields.renewal': 'invalidDate' },
    });
  });

  it('shows a stored date in the reader’s calendar', () => {
    expect(customValueText(field('renewal', 'date'), '2026-04-04', 'fa')).toBe('۱۴۰۵/۰۱/۱۵');
    expect(customValueText(field('renewal', 'date'), '2026-04-04', 'en')).toBe('2026-04-04');
    expect(customValueText(field('vip', 'boolean'), undefined, 'en')).toBe(false);
  });
});

describe('loseBody', () => {
  it('sends the managed reason and the note only when given', () => {
    expect(loseBody('  ', 'reason-1')).toEqual({ reason_id: 'reason-1' });
    expect(loseBody(' too expensive ', null)).toEqual({ reason: 'too expensive' });
    expect(loseBody('late', 'reason-2')).toEqual({ reason_id: 'reason-2', reason: 'late' });
  });
});
