import { describe, expect, it } from 'vitest';
import { makeLead } from '../../../testing/factories';
import { mergeChanges } from './lead-merge';

describe('the merge preview', () => {
  const kept = makeLead({ name: 'Sara Ahmadi', email: null, phone: '+989121234567', tags: ['fleet'], submissions: 1, score: 10 });

  it('marks the fields the merge fills, adds to or sums', () => {
    const merged = { ...kept, email: 'sara@pars.example', tags: ['fleet', 'vip'], submissions: 3, score: 20 };
    expect([...mergeChanges(kept, merged)].sort()).toEqual(['email', 'score', 'submissions', 'tags']);
  });

  it('marks nothing when the kept lead already had it all', () => {
    expect(mergeChanges(kept, { ...kept, tags: [...kept.tags] }).size).toBe(0);
  });
});
