import { describe, expect, it } from 'vitest';
import { parseBoardFilters, writeBoardFilters } from './use-board-filters';

describe('board filters in the URL', () => {
  it('defaults to open deals of everyone with no search', () => {
    expect(parseBoardFilters(new URLSearchParams(''))).toEqual({ status: 'open', ownerId: null, q: '' });
  });

  it('reads status, owner and text', () => {
    expect(parseBoardFilters(new URLSearchParams('status=won&owner=u1&q=%20fleet%20'))).toEqual({ status: 'won', ownerId: 'u1', q: 'fleet' });
  });

  it('ignores an unknown status', () => {
    expect(parseBoardFilters(new URLSearchParams('status=maybe')).status).toBe('open');
  });

  it('leaves defaults out of the URL and keeps other parameters', () => {
    const written = writeBoardFilters(new URLSearchParams('tab=x&q=old'), { status: 'open', ownerId: null, q: '' });
    expect(written.toString()).toBe('tab=x');
  });

  it('round-trips', () => {
    const filters = { status: 'lost' as const, ownerId: 'u2', q: 'پارس' };
    expect(parseBoardFilters(writeBoardFilters(new URLSearchParams(), filters))).toEqual(filters);
  });
});
