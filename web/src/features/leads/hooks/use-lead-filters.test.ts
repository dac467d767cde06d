import { describe, expect, it } from 'vitest';
import { parseLeadFilters, writeLeadFilters } from './use-lead-filters';

describe('inbox filters in the URL', () => {
  it('defaults to open leads of any source with no text', () => {
    expect(parseLeadFilters(new URLSearchParams(''))).toEqual({ status: 'open', source: null, q: '', tag: '', ownerId: null });
  });

  it('reads status, source, text, tag and owner', () => {
    expect(parseLeadFilters(new URLSearchParams('status=disqualified&source=exhibition&q=%20pars%20&tag=vip&owner=u1'))).toEqual({
      status: 'disqualified',
      source: 'exhibition',
      q: 'pars',
      tag: 'vip',
      ownerId: 'u1',
    });
    expect(parseLeadFilters(new URLSearchParams('status=all')).status).toBe('all');
  });

  it('ignores values the API does not know', () => {
    expect(parseLeadFilters(new URLSearchParams('status=won&source=fax'))).toEqual({ status: 'open', source: null, q: '', tag: '', ownerId: null });
  });

  it('leaves defaults out of the URL and keeps other parameters', () => {
    const written = writeLeadFilters(new URLSearchParams('keep=1&q=old&tag=x'), { status: 'open', source: null, q: ' ', tag: '', ownerId: null });
    expect(written.toString()).toBe('keep=1');
  });

  it('round-trips', () => {
    const filters = { status: 'working' as const, source: 'referral' as const, q: 'سارا', tag: 'نمایشگاه', ownerId: 'u1' };
    expect(parseLeadFilters(writeLeadFilters(new URLSearchParams(), filters))).toEqual(filters);
  });
});
