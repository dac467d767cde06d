import { useMemo } from 'react';
import { dateEntryOf, type DateEntry } from '../format/calendar';
import { useI18n } from '../i18n/use-i18n';
import { useMe } from './use-session';

/**
 * How the signed-in user types and picks dates: on their workspace's calendar, in their
 * language (the language's own calendar until the workspace is known).
 */
export function useDateEntry(): DateEntry {
  const { locale } = useI18n();
  const calendar = useMe().data?.workspace.calendar;
  return useMemo(() => dateEntryOf(locale, calendar), [locale, calendar]);
}
