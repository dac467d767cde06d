import { describe, expect, it } from 'vitest';
import { makeDeal } from '../../../testing/factories';
import { loseBody } from '../api/deals';
import { missingRequiredFields, requiredFieldNames } from './deal-rules';

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

describe('loseBody', () => {
  it('sends the managed reason and the note only when given', () => {
    expect(loseBody('  ', 'reason-1')).toEqual({ reason_id: 'reason-1' });
    expect(loseBody(' too expensive ', null)).toEqual({ reason: 'too expensive' });
    expect(loseBody('late', 'reason-2')).toEqual({ reason_id: 'reason-2', reason: 'late' });
  });
});
