import { describe, expect, it } from 'vitest';
import { customImportFields, duplicateTargets, guessMapping, type ImportField, mappingParam, uploadHeaders } from './column-mapping';
import { firstRecordEnd, parseCsv, reportCsv, toCsv, withHeaderRow } from './csv';

/** Built-in fields as an import lists them, then its custom fields. */
const importFields = (builtIn: string[], custom: { key: string; label: string }[]): ImportField[] => [
  ...builtIn.map((value): ImportField => ({ value, builtIn: true })),
  ...customImportFields(custom),
];

const contactFields = importFields(
  ['name', 'email', 'phone', 'job_title', 'organization', 'address', 'city', 'country', 'tags', 'notes', 'birthday'],
  [
    { key: 'fleet_size', label: 'Fleet size' },
    { key: 'segment', label: 'بخش' },
  ],
);

describe('guessing the column mapping', () => {
  it('maps columns named like a field, a usual synonym or a custom field, in English and Persian', () => {
    const headers = ['\ufeffFull Name', 'E-mail', 'Mobile', 'Company', 'Job title', 'Birth date', 'Fleet size', 'segment', 'Favourite colour'];
    expect(guessMapping(headers, contactFields)).toEqual([
      'name',
      'email',
      'phone',
      'organization',
      'job_title',
      'birthday',
      'cf.fleet_size',
      'cf.segment',
      '',
    ]);
    expect(guessMapping(['نام', 'ایمیل', 'تلفن همراه', 'شهر', 'تاریخ تولد', 'بخش'], contactFields)).toEqual([
      'name',
      'email',
      'phone',
      'city',
      'birthday',
      'cf.segment',
    ]);
  });

  it('maps each field once, the first matching column winning', () => {
    expect(guessMapping(['Phone', 'Mobile'], contactFields)).toEqual(['phone', '']);
  });

  it('offers each entity its own fields', () => {
    const organizationFields = importFields(['name', 'domain', 'industry', 'phone', 'address', 'city', 'country', 'tags', 'founded_on'], []);
    expect(guessMapping(['Company name', 'Website', 'Sector', 'Birthday'], organizationFields)).toEqual(['name', 'domain', 'industry', '']);
  });

  it('sends only mapped columns, by header', () => {
    expect(mappingParam(['\ufeffFull Name', 'Notes', 'x'], ['name', '', 'cf.fleet_size'])).toBe('{"Full Name":"name","x":"cf.fleet_size"}');
  });

  it('finds fields two columns fill', () => {
    expect(duplicateTargets(['name', '', 'email', 'name', ''])).toEqual(['name']);
  });
});

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, line breaks in quotes, CRLF and a byte-order mark', () => {
    const text = '\ufeffname,notes\r\n"Ahmadi, Sara","said ""hi""\nthen left"\r\n\r\nReza,\n';
    expect(parseCsv(text)).toEqual([
      ['name', 'notes'],
      ['Ahmadi, Sara', 'said "hi"\nthen left'],
      ['Reza', ''],
    ]);
    expect(parseCsv(text, 2)).toHaveLength(2);
  });

  it('writes what it reads', () => {
    const rows = [
      ['line', 'message'],
      ['3', 'must be "valid", see\nbelow'],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });

  it('writes an import report one error a row', () => {
    const csv = reportCsv({ errors: [{ line: 3, field: 'email', message: 'is not an email address' }] }, ['Line', 'Field', 'Problem']);
    expect(csv).toBe('Line,Field,Problem\r\n3,email,is not an email address\r\n');
  });
});

describe('the uploaded header row', () => {
  it('renames a left-out column the server would map by its name, and nothing else', () => {
    const headers = ['\ufeffName', 'E-mail', 'City', 'Colour', 'Fleet size'];
    expect(uploadHeaders(headers, ['name', '', '', '', ''], contactFields)).toEqual({
      headers: ['Name', 'skipped: E-mail', 'skipped: City', 'Colour', 'Fleet size'],
      renamed: { 'skipped: E-mail': 'E-mail', 'skipped: City': 'City' },
    });
  });

  it('cuts the header row out of the file, keeping the rest byte for byte', async () => {
    const file = new Blob(['\ufeffName,"E-mail"\r\nسارا,sara@example.com\r\n"Reza\nKarimi",r@example.com\r\n']);
    const upload = await withHeaderRow(file, ['Name', 'skipped: E-mail']);
    expect(await upload.text()).toBe('Name,skipped: E-mail\r\nسارا,sara@example.com\r\n"Reza\nKarimi",r@example.com\r\n');
    expect(firstRecordEnd('"a\nb",c\nd')).toBeNull();
    expect(firstRecordEnd('a,b\nc')).toBe(4);
  });
});
