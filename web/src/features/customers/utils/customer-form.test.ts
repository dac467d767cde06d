import { describe, expect, it } from 'vitest';
import { dateEntryOf } from '../../../lib/format/calendar';
import {
  type Contact,
  contactFormValues,
  contactInput,
  customFieldsInput,
  type FieldDefinition,
  organizationFormValues,
  organizationInput,
  rebaseEdit,
} from './customer-form';

const definition = (key: string, kind: FieldDefinition['kind'], options: string[] = []): FieldDefinition => ({
  id: key,
  entity: 'contact',
  key,
  label: key,
  kind,
  options,
  required: false,
  created_at: '2026-01-01T00:00:00Z',
});
const definitions = [definition('fleet_size', 'number'), definition('vip', 'boolean'), definition('renewal', 'date'), definition('tier', 'select', ['a', 'b'])];
const en = { definitions, dates: dateEntryOf('en'), separator: ', ' };
const fa = { definitions, dates: dateEntryOf('fa'), separator: '، ' };

const contact: Contact = {
  id: 'c1',
  name: 'Sara Ahmadi',
  email: 'sara@example.com',
  phone: null,
  tags: ['vip', 'fleet'],
  custom_fields: { fleet_size: 80, vip: true, renewal: '2026-03-21' } as unknown as Contact['custom_fields'],
  important_dates: [{ kind: 'birthday', calendar: 'jalali', month: 7, day: 12, year: 1369 }],
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('contact form', () => {
  it('sends a new contact without blanks, custom values by kind', () => {
    const values = {
      ...contactFormValues(null, en),
      name: ' Reza ',
      country: 'ir',
      tags: 'a, b،c',
      custom: { fleet_size: '۱۲', vip: false, renewal: '2026-05-01', tier: '' },
    };
    expect(contactInput(null, values, en)).toEqual({
      ok: true,
      value: { name: 'Reza', country: 'IR', tags: ['a', 'b', 'c'], custom_fields: { fleet_size: 12, renewal: '2026-05-01' } },
    });
  });

  it('reads a date custom field in Jalali in Persian', () => {
    const values = contactFormValues(contact, fa);
    expect(values.custom.renewal).toBe('۱۴۰۵/۰۱/۰۱');
    expect(customFieldsInput(definitions, { ...values.custom, renewal: '۱۴۰۵/۰۱/۰۲' }, values.custom)).toEqual({
      ok: true,
      value: { renewal: '2026-03-22' },
    });
  });

  it('sends only what an edit changed: a cleared field as null, changed custom values, dates whole', () => {
    const read = contactFormValues(contact, en);
    const values = { ...read, email: '', custom: { ...read.custom, fleet_size: '', vip: true }, dates: [{ ...read.dates[0]!, day: '13' }] };
    expect(contactInput(read, values, en)).toEqual({
      ok: true,
      value: {
        email: null,
        custom_fields: { fleet_size: null },
        important_dates: [{ kind: 'birthday', label: null, calendar: 'jalali', month: 7, day: 13, year: 1369 }],
      },
    });
    expect(contactInput(read, read, en)).toEqual({ ok: true, value: {} });
  });

  it('reports malformed custom values and dates by the server’s field names', () => {
    const values = {
      ...contactFormValues(null, en),
      name: 'x',
      custom: { fleet_size: 'many' },
      dates: [{ kind: 'birthday' as const, label: '', calendar: 'jalali' as const, month: '12', day: '31', year: '' }],
    };
    expect(contactInput(null, values, en)).toEqual({
      ok: false,
      errors: { 'custom_fields.fleet_size': 'invalidNumber', 'important_dates.0.day': 'invalidDay' },
    });
  });

  it('keeps the user’s edits when a newer version arrives, and takes the rest', () => {
    const read = contactFormValues(contact, en);
    const edit = { read, values: { ...read, name: 'Sara A.' } };
    const latest = contactFormValues({ ...contact, email: 'new@example.com', version: 4 }, en);
    const rebased = rebaseEdit(edit, latest);
    expect(rebased.values).toMatchObject({ name: 'Sara A.', email: 'new@example.com' });
    expect(rebased.read).toBe(latest);
  });
});

describe('organization form', () => {
  it('reads and writes the founding date in the calendar shown', () => {
    const read = organizationFormValues(null, fa);
    expect(organizationInput(null, { ...read, name: 'پارس', foundedOn: '۱۳۸۵/۰۱/۰۱' }, fa)).toEqual({
      ok: true,
      value: { name: 'پارس', founded_on: '2006-03-21' },
    });
    expect(organizationInput(null, { ...read, name: 'x', foundedOn: '1385/13/01' }, fa)).toEqual({ ok: false, errors: { founded_on: 'invalidDate' } });
  });
});
