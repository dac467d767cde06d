import { describe, expect, it } from 'vitest';
import { customerPath, type RfmReport, segmentCounts } from './rfm-data';

describe('segmentCounts', () => {
  it('lists every segment once, best first, counting the missing ones as zero', () => {
    const report = {
      segments: [
        { segment: 'lost', customers: 2 },
        { segment: 'champions', customers: 1 },
      ],
    } as RfmReport;
    expect(segmentCounts(report)).toEqual([
      { segment: 'champions', customers: 1 },
      { segment: 'loyal', customers: 0 },
      { segment: 'new', customers: 0 },
      { segment: 'needs_attention', customers: 0 },
      { segment: 'at_risk', customers: 0 },
      { segment: 'lost', customers: 2 },
    ]);
  });
});

describe('customerPath', () => {
  it('links the organization, else the contact', () => {
    expect(customerPath({ organization_id: 'o1', contact_id: 'c1' })).toBe('/organizations/o1');
    expect(customerPath({ organization_id: null, contact_id: 'c1' })).toBe('/contacts/c1');
    expect(customerPath({})).toBeNull();
  });
});
