import type { Lead } from '../../../lib/api/types';
import { sameList } from './lead-form';

/** What the merge preview shows of the merged lead, in this order. */
export const mergePreviewFields = ['name', 'email', 'phone', 'tags', 'submissions', 'score'] as const;

export type MergePreviewField = (typeof mergePreviewFields)[number];

/** The previewed fields the merge would change on the kept lead (a blank filled, tags added, submissions summed). */
export function mergeChanges(kept: Lead, merged: Lead): Set<MergePreviewField> {
  return new Set(
    mergePreviewFields.filter((field) => {
      const before = kept[field];
      const after = merged[field];
      return Array.isArray(before) && Array.isArray(after) ? !sameList(before, after) : before !== after;
    }),
  );
}
