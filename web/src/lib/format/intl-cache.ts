/**
 * Intl formatters are expensive to build (a board of 400 cards formats a few thousand numbers
 * and dates) and cheap to reuse, so each distinct (locale, options) pair is built once.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** The formatter of (locale, options), built once. */
function cached<F>(formats: Map<string, F>, locale: string, options: object, build: () => F): F {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = build();
    formats.set(key, format);
  }
  return format;
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options));
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return cached(dateTimeFormats, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

export function plurals(locale: string): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules;
}

/**
 * Remembers the results of a pure formatting function of a string (dates repeat across cards:
 * the same close dates, the same days). Bounded: the oldest half is dropped when it fills up.
 */
export function memoize<A extends string, R>(fn: (value: A, locale: string) => R, limit = 5_000): (value: A, locale: string) => R {
  const cache = new Map<string, R>();
  return (value, locale) => {
    const key = `${locale}|${value}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const result = fn(value, locale);
    if (cache.size >= limit) {
      let drop = limit / 2;
      for (const old of cache.keys()) {
        if (drop-- <= 0) break;
        cache.delete(old);
      }
    }
    cache.set(key, result);
    return result;
  };
}
