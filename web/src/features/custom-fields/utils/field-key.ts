/**
 * A key suggested from a label, in the form the API takes (`^[a-z][a-z0-9_]*$`, at most 40):
 * Latin letters and digits kept, the rest joined by underscores. A label with no Latin letters
 * (a Persian one) suggests nothing, and the admin types the key.
 */
export function suggestKey(label: string): string {
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const key = words.join('_').replace(/^[0-9_]+/, '');
  return key.slice(0, 40).replace(/_+$/, '');
}

/** The choices of a select field, one a line, blank lines and repeats left out. */
export function parseOptions(text: string): string[] {
  return [
    ...new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}
