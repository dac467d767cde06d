/** The currencies offered in pickers; each has a name under `currencies.*` in the locale files. */
export const commonCurrencies = ['IRR', 'USD', 'EUR', 'AED', 'TRY'] as const;
export type CommonCurrency = (typeof commonCurrencies)[number];

export function isCommonCurrency(code: string): code is CommonCurrency {
  return (commonCurrencies as readonly string[]).includes(code);
}
