import { useCallback } from 'react';
import { formatDateOn } from '../../../lib/format/dates';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';

/**
 * Dates on documents follow the workspace's calendar, as their numbers do (a Jalali workspace's
 * `Q-1405-0007` is dated in 1405), in the language's words and digits.
 */
export function useDocumentDate(): (value: string | null | undefined) => string {
  const { locale } = useI18n();
  const calendar = useMe().data?.workspace.calendar ?? 'gregorian';
  return useCallback((value) => (value ? formatDateOn(value, locale, calendar) : ''), [locale, calendar]);
}
