import { describe, expect, it } from 'vitest';
import { guessMapping } from '../../../lib/csv-import/column-mapping';
import { leadImportFields } from './lead-import';

describe('the lead import’s columns', () => {
  const fields = leadImportFields([{ key: 'fleet_size', label: 'ناوگان' }]);

  it('are the lead’s fields, then its custom fields', () => {
    expect(fields.map((field) => field.value)).toEqual([
      'name',
      'email',
      'phone',
      'company',
      'job_title',
      'source',
      'campaign',
      'medium',
      'tags',
      'notes',
      'cf.fleet_size',
    ]);
  });

  it('are guessed from English and Persian headers', () => {
    expect(guessMapping(['Full name', 'Organisation', 'Lead source', 'Channel', 'ناوگان'], fields)).toEqual([
      'name',
      'company',
      'source',
      'medium',
      'cf.fleet_size',
    ]);
    expect(guessMapping(['نام', 'شرکت', 'منبع', 'کمپین', 'موبایل'], fields)).toEqual(['name', 'company', 'source', 'campaign', 'phone']);
  });
});
