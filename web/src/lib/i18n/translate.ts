import { localizeDigits } from '../format/digits';
import { numberFormat, plurals } from '../format/intl-cache';

/** A message is a string with `{placeholders}`, or plural forms chosen by the `count` parameter. */
export type PluralMessage = { one?: string; other: string; zero?: string };
export type MessageTree = { [key: string]: string | PluralMessage | MessageTree };

type IsPlural<T> = T extends { other: string } ? true : false;

/** Every dotted path to a message in a tree: `board.empty.title`. */
export type MessageKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : IsPlural<T[K]> extends true ? K : `${K}.${MessageKey<T[K]>}`;
}[keyof T & string];

/** The same shape with every message widened to string, so that each locale must fill it. */
export type MessagesOf<T> = {
  [K in keyof T]: T[K] extends string ? string : IsPlural<T[K]> extends true ? { [P in keyof T[K]]: string } : MessagesOf<T[K]>;
};

export type TranslateParams = Record<string, string | number>;

function lookup(tree: MessageTree, key: string): string | PluralMessage | undefined {
  let node: string | PluralMessage | MessageTree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = (node as MessageTree)[part];
  }
  if (node === undefined || typeof node === 'string') return node;
  return 'other' in node && typeof node.other === 'string' ? (node as PluralMessage) : undefined;
}

/**
 * Looks up `key` and fills its placeholders. Numbers are formatted for the locale (Persian digits
 * and separators in `fa`); plural messages pick their form with Intl.PluralRules on `count`.
 * A missing key renders as the key itself, which the locale-completeness test rules out.
 */
export function translate(tree: MessageTree, locale: string, key: string, params: TranslateParams = {}): string {
  const message = lookup(tree, key);
  if (message === undefined) return key;
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else {
    const count = Number(params.count ?? 0);
    const form = count === 0 && message.zero !== undefined ? 'zero' : plurals(locale).select(count);
    text = (form === 'zero' ? message.zero : form === 'one' ? message.one : undefined) ?? message.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, locale) : value;
  });
}

export function formatNumber(value: number, locale: string): string {
  const text = numberFormat(locale === 'fa' ? 'fa-IR' : 'en-US').format(value);
  return localizeDigits(text, locale);
}
