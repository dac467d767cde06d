import type { Locale } from '../api/types';
import { isOneOf, locales } from '../api/vocabularies';
import type { IrrUnit } from '../format/money';

/**
 * The languages of the SPA are the API's (`Locale`): each needs a catalog in use-i18n.ts, so a
 * language the API adds does not compile until it has one.
 */
export type { Locale };
export { locales };

const localeKey = 'kariz.locale';
const irrUnitKey = 'kariz.irr-unit';

export interface LocalePreferences {
  locale: Locale;
  /** How IRR amounts are shown; follows the language until the user picks one. */
  irrUnit: IrrUnit;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function initialLocale(): Locale {
  const stored = storage()?.getItem(localeKey);
  if (isOneOf(locales, stored)) return stored;
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return browser.toLowerCase().startsWith('fa') ? 'fa' : 'en';
}

function defaultIrrUnit(locale: Locale): IrrUnit {
  const stored = storage()?.getItem(irrUnitKey);
  if (stored === 'rial' || stored === 'toman') return stored;
  return locale === 'fa' ? 'toman' : 'rial';
}

export function directionOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'fa' ? 'rtl' : 'ltr';
}

/** Puts the language and direction on `<html>`, so the whole layout (and the browser) follows. */
function applyToDocument(locale: Locale) {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = locale;
  document.documentElement.dir = directionOf(locale);
}

let preferences: LocalePreferences = (() => {
  const locale = initialLocale();
  return { locale, irrUnit: defaultIrrUnit(locale) };
})();
applyToDocument(preferences.locale);

const listeners = new Set<() => void>();

export const localeStore = {
  get(): LocalePreferences {
    return preferences;
  },
  setLocale(locale: Locale) {
    storage()?.setItem(localeKey, locale);
    preferences = { locale, irrUnit: defaultIrrUnit(locale) };
    applyToDocument(locale);
    listeners.forEach((listener) => listener());
  },
  setIrrUnit(irrUnit: IrrUnit) {
    storage()?.setItem(irrUnitKey, irrUnit);
    preferences = { ...preferences, irrUnit };
    listeners.forEach((listener) => listener());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
