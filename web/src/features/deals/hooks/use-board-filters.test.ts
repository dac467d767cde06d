import { describe, expect, it } from 'vitest';
import { parseBoardFilters, writeBoardFilters } from './use-board-filters';

describe('board filters in the URL', () => {
  it('defaults to open deals of everyone with no search and no tag', () => {
    expect(parseBoardFilters(new URLSearchParams(''))).toEqual({ status: 'open', ownerId: null, q: '', tag: '' });
  });

  it('reads status, owner, text and tag', () => {
    expect(parseBoardFilters(new URLSearchParams('status=won&owner=u1&q=%20fleet%20&tag=%20vip'))).toEqual({
      status: 'won',
      ownerId: 'u1',
      q: 'fleet',
      tag: 'vip',
    });
  });

  it('ignores an unknown status', () => {
    expect(parseBoardFilters(new URLSearchParams('status=maybe')).status).toBe('open');
  });

  it('leaves defaults out of the URL and keeps other parameters', () => {
    const written = writeBoardFilters(new URLSearchParams('tab=x&q=old&tag=old'), { status: 'open', ownerId: null, q: '', tag: ' ' });
    expect(written.toString()).toBe('tab=x');
  });

  it('round-trips', () => {
    const filters = { status: 'lost' as const, ownerId: 'u2', q: 'پارس', tag: 'نمایشگاه' };
    expect(parseBoardFilters(writeBoardFilters(new URLSearchParams(), filters))).toEqual(filters);
  });
});
