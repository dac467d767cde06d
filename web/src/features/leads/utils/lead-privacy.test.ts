import { describe, expect, it } from 'vitest';
import { translate } from '../../../lib/i18n/translate';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import { erasureConfirmed, mayErasePersonalData, personalDataFileName } from './lead-privacy';

describe("a lead's personal data", () => {
  it('may be erased by admins only', () => {
    expect(mayErasePersonalData('admin')).toBe(true);
    expect(mayErasePersonalData('manager')).toBe(false);
    expect(mayErasePersonalData('member')).toBe(false);
    expect(mayErasePersonalData(undefined)).toBe(false);
  });

  it('is erased only once the name is typed', () => {
    expect(erasureConfirmed('  roxana tehrani ', 'Roxana Tehrani')).toBe(true);
    expect(erasureConfirmed('سارا احمدی', 'سارا احمدی')).toBe(true);
    expect(erasureConfirmed('Roxana', 'Roxana Tehrani')).toBe(false);
    expect(erasureConfirmed('   ', ' ')).toBe(false);
  });

  it('is saved under the id, not the name', () => {
    expect(personalDataFileName('01a2')).toBe('lead-01a2-personal-data.json');
  });

  it('speaks English and Persian', () => {
    for (const [dictionary, locale] of [
      [en, 'en'],
      [fa, 'fa'],
    ] as const) {
      const t = (key: string, params?: Record<string, string>) => translate(dictionary, locale, key, params);
      for (const key of ['title', 'export', 'exported', 'exportFailed', 'erase', 'eraseTitle', 'eraseWarning', 'confirmLabel', 'eraseSubmit', 'erased']) {
        expect(t(`leads.privacy.${key}`, { name: 'N', reason: 'R' })).not.toContain('leads.privacy');
      }
    }
  });
});
