import type { CreateActivityInput } from '../../../lib/api/types';

/** The longest subject a note gets from its first line; the whole text is kept in its body. */
export const noteSubjectLength = 120;

/**
 * A note as the API takes it: its first line (cut at a word near 120 characters) is the subject,
 * and the whole text is the body when there is more than that line. Null for blank text.
 */
export function noteInput(text: string, link: { contact_id: string } | { organization_id: string }): CreateActivityInput | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const firstLine = trimmed.split('\n', 1)[0]!.trim();
  let subject = firstLine;
  if (subject.length > noteSubjectLength) {
    const cut = subject.slice(0, noteSubjectLength);
    const space = cut.lastIndexOf(' ');
    subject = `${(space > noteSubjectLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return { kind: 'note', subject, body: subject === trimmed ? null : trimmed, ...link };
}
