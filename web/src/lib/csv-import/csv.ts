/**
 * Just enough CSV (RFC 4180) for the import wizard to read a file's header and first rows in the
 * browser, and to write the import report back out. The server parses the whole file itself.
 */

/**
 * The first `maxRows` records of a CSV text (the header included), each a list of fields.
 * Quoted fields may hold commas, doubled quotes and line breaks; a leading byte-order mark is
 * dropped; blank lines are skipped.
 */
export function parseCsv(text: string, maxRows = Number.POSITIVE_INFINITY): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (index < text.length && rows.length < maxRows) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      endRow();
    } else {
      field += char;
    }
    index += 1;
  }
  if (rows.length < maxRows && (field !== '' || row.length > 0)) endRow();
  return rows;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records as CSV text, CRLF line ends, fields quoted where needed. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** An import report as CSV, one row per failed row (line, field, message), under `headings`. */
export function reportCsv(
  report: { errors: readonly { line: number; field: string; message: string }[] },
  headings: readonly [string, string, string],
): string {
  return toCsv([headings, ...report.errors.map((error) => [String(error.line), error.field, error.message])]);
}

/**
 * Where the first record of a CSV text ends: the index just after its line break, or null when
 * it spans lines (a quoted line break) or the text has no second line.
 */
export function firstRecordEnd(text: string): number | null {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' || char === '\r') {
      if (quoted) return null;
      return char === '\r' && text[index + 1] === '\n' ? index + 2 : index + 1;
    }
  }
  return null;
}

/**
 * The file to upload with its header row replaced by `headers`, everything after it untouched
 * byte for byte (so the server's line numbers are the file's); the file itself when its header
 * row cannot be cut out safely.
 */
export async function withHeaderRow(file: Blob, headers: readonly string[]): Promise<Blob> {
  const bytes = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(bom));
  const end = firstRecordEnd(text);
  if (end === null) return file;
  const headerBytes = new TextEncoder().encode(text.slice(0, end)).length;
  return new Blob([toCsv([headers]), file.slice(bom + headerBytes)], { type: 'text/csv' });
}
