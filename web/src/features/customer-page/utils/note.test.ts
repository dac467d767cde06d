import { describe, expect, it } from 'vitest';
import { noteInput } from './note';

describe('a note from the text typed', () => {
  it('is nothing for blank text', () => {
    expect(noteInput('  \n ', { contact_id: 'c1' })).toBeNull();
  });

  it('keeps a one-line note as its subject alone', () => {
    expect(noteInput(' Prefers calls before 10 ', { contact_id: 'c1' })).toEqual({
      kind: 'note',
      subject: 'Prefers calls before 10',
      body: null,
      contact_id: 'c1',
    });
  });

  it('takes the first line as the subject and keeps the whole text', () => {
    expect(noteInput('Met at the fair\nWants a quote by Friday', { organization_id: 'o1' })).toEqual({
      kind: 'note',
      subject: 'Met at the fair',
      body: 'Met at the fair\nWants a quote by Friday',
      organization_id: 'o1',
    });
  });

  it('cuts a long first line at a word', () => {
    const note = noteInput(`${'word '.repeat(40)}end`, { contact_id: 'c1' })!;
    expect(note.subject.length).toBeLessThanOrEqual(121);
    expect(note.subject.endsWith('word…')).toBe(true);
    expect(note.body).toBe(`${'word '.repeat(40)}end`);
  });
});
