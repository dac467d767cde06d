import type { TagCount } from '../lib/tags/use-tags';

/**
 * The tags in use as suggestions for a tag input (`<input list={id}>`): the browser offers them
 * as the user types and still takes any text, each with how many records carry it.
 */
export function TagSuggestions({ id, tags, countLabel }: { id: string; tags: readonly TagCount[]; countLabel: (count: number) => string }) {
  return (
    <datalist id={id} data-testid="tag-suggestions">
      {tags.map(({ tag, count }) => (
        <option key={tag} value={tag} label={countLabel(count)} />
      ))}
    </datalist>
  );
}
