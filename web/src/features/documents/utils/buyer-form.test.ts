import { describe, expect, it } from 'vitest';
import { buyerInputOf, buyerValuesOf, hasDetails } from './buyer-form';

describe('buyer form', () => {
  it('fills the form from a party and sends emptied details as null', () => {
    const values = buyerValuesOf({ name: 'Sara Karimi', phone: '+989121234567', organization: 'Pars Logistics' });
    expect(values.name).toBe('Sara Karimi');
    expect(values.economic_code).toBe('');
    expect(buyerInputOf({ ...values, name: ' Pars Logistics ', phone: '' })).toEqual({
      name: 'Pars Logistics',
      economic_code: null,
      national_id: null,
      registration_number: null,
      postal_code: null,
      address: null,
      phone: null,
      email: null,
    });
  });

  it('tells a party with details from an empty one', () => {
    expect(hasDetails({ name: null, phone: ' ' })).toBe(false);
    expect(hasDetails({ email: 'a@b.ir' })).toBe(true);
    expect(hasDetails(null)).toBe(false);
  });
});
