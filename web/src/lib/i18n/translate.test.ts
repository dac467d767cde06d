import { describe, expect, it } from 'vitest';
import { en } from '../../locales/en';
import { fa } from '../../locales/fa';
import { type MessageTree, translate } from './translate';

function keysOf(tree: MessageTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') return [path];
    if ('other' in value && typeof value.other === 'string') return [path];
    return keysOf(value as MessageTree, path);
  });
}

function placeholders(tree: MessageTree, key: string): string[] {
  const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();
}

describe('translations', () => {
  it('Persian has exactly the English keys', () => {
    expect(keysOf(fa).sort()).toEqual(keysOf(en).sort());
  });

  it('Persian uses the same placeholders as English in every message', () => {
    for (const key of keysOf(en)) {
      expect(placeholders(fa, key), key).toEqual(placeholders(en, key));
    }
  });

  it('fills placeholders, formatting numbers for the locale', () => {
    expect(translate(en, 'en', 'board.column.shown', { shown: 50, count: 2000 })).toBe('50 of 2,000 shown');
    expect(translate(fa, 'fa', 'board.column.shown', { shown: 50, count: 2000 })).toBe('۵۰ از ۲٬۰۰۰ نمایش داده شده');
  });

  it('picks plural forms', () => {
    expect(translate(en, 'en', 'board.column.deals', { count: 1 })).toBe('1 deal');
    expect(translate(en, 'en', 'board.column.deals', { count: 3 })).toBe('3 deals');
    expect(translate(fa, 'fa', 'board.column.deals', { count: 3 })).toBe('۳ معامله');
  });

  it('shows the key for a missing message instead of failing', () => {
    expect(translate(en, 'en', 'no.such.key')).toBe('no.such.key');
  });
});
