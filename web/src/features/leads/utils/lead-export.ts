import { compareByScore } from './lead-inbox';

interface CsvRecord {
  /** The record as written, without its line break. */
  raw: string;
  fields: string[];
}

/** Splits CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) into records. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let start = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[at + 1] === '"') {
        field += '"';
        at++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      fields.push(field);
      records.push({ raw: text.slice(start, at), fields });
      fields = [];
      field = '';
      if (char === '\r' && text[at + 1] === '\n') at++;
      start = at + 1;
    } else field += char;
  }
  if (start < text.length) {
    fields.push(field);
    records.push({ raw: text.slice(start), fields });
  }
  return records;
}

const byteOrderMark = '\uFEFF';

/**
 * One CSV file from the exports of several streams (the open inbox is new and working leads):
 * one header, then every row best score first, as the inbox lists them. Starts with a byte-order
 * mark, as the API's export does, so spreadsheet programs read Persian text correctly.
 */
export function mergeCsvExports(texts: string[]): string {
  const files = texts.map((text) => parseCsv(text.replace(/^\uFEFF/, '')));
  const header = files.find((records) => records.length > 0)?.[0];
  if (!header) return byteOrderMark;
  const rows = files.flatMap((records) => records.slice(1));
  const score = header.fields.indexOf('score');
  const id = header.fields.indexOf('id');
  if (files.length > 1 && score >= 0 && id >= 0) {
    const key = (row: CsvRecord) => ({ score: Number(row.fields[score]), id: row.fields[id] ?? '' });
    rows.sort((a, b) => compareByScore(key(a), key(b)));
  }
  return byteOrderMark + [header, ...rows].map((record) => `${record.raw}\r\n`).join('');
}
