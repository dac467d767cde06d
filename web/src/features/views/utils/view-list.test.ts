import { describe, expect, it } from 'vitest';
import { canChangeView, groupViews, matchingView, segmentFileName, type ViewLike } from './view-list';

const view = (id: string, patch: Partial<ViewLike> = {}): ViewLike => ({ id, name: id, filters: {}, sort: null, shared: false, owner_id: 'me', ...patch });

describe('saved views lists', () => {
  it('groups personal and shared views, each by name', () => {
    const { personal, shared } = groupViews([view('b'), view('c', { shared: true }), view('a'), view('d', { shared: true, owner_id: 'other' })], 'en');
    expect(personal.map((v) => v.id)).toEqual(['a', 'b']);
    expect(shared.map((v) => v.id)).toEqual(['c', 'd']);
  });

  it('finds the view the screen shows, preferring a personal one', () => {
    const views = [
      view('shared', { shared: true, filters: { tag: 'vip' } }),
      view('mine', { filters: { tag: 'vip' } }),
      view('other', { filters: { tag: 'x' } }),
    ];
    expect(matchingView(views, { filters: { tag: 'vip' } })?.id).toBe('mine');
    expect(matchingView(views, { filters: { tag: 'vip' }, sort: 'name' })).toBeUndefined();
    expect(matchingView(views, { filters: {} })).toBeUndefined();
  });

  it('lets the creator change a view, and an admin a shared one', () => {
    expect(canChangeView(view('v'), { id: 'me', role: 'member' })).toBe(true);
    expect(canChangeView(view('v', { owner_id: 'other', shared: true }), { id: 'me', role: 'member' })).toBe(false);
    expect(canChangeView(view('v', { owner_id: 'other', shared: true }), { id: 'me', role: 'admin' })).toBe(true);
    expect(canChangeView(view('v', { owner_id: 'other' }), { id: 'me', role: 'admin' })).toBe(false);
    expect(canChangeView(view('v'), undefined)).toBe(false);
  });

  it('names a segment’s file after the view, without characters a file name cannot hold', () => {
    expect(segmentFileName('VIP Tehran')).toBe('contacts - VIP Tehran.csv');
    expect(segmentFileName('مشتریان ویژه')).toBe('contacts - مشتریان ویژه.csv');
    expect(segmentFileName(' a/b: "c"  d? ')).toBe('contacts - a b c d.csv');
    expect(segmentFileName('..hidden')).toBe('contacts - hidden.csv');
    expect(segmentFileName(' / ')).toBe('contacts.csv');
    expect(segmentFileName('x'.repeat(200))).toBe(`contacts - ${'x'.repeat(80)}.csv`);
  });
});
