import { useEffect, useId, useState } from 'react';
import { OwnerFilter } from '../../../components/owner-filter';
import { TagSuggestions } from '../../../components/tag-suggestions';
import type { User } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useTagsInUse } from '../../../lib/tags/use-tags';
import { type BoardFilters, defaultBoardFilters, isBoardFiltered, statusFilters } from '../api/board';

interface BoardFiltersBarProps {
  filters: BoardFilters;
  setFilters: (patch: Partial<BoardFilters>, options?: { replace?: boolean }) => void;
  members: User[];
  meId: string | undefined;
  i18n: I18n;
}

export function BoardFiltersBar({ filters, setFilters, members, meId, i18n }: BoardFiltersBarProps) {
  const { t } = i18n;
  const [text, setText] = useState(filters.q);
  const [tag, setTag] = useState(filters.tag);
  const tagsInUse = useTagsInUse('deal');
  const tagListId = useId();

  // Follow the URL when it changes under us (back button, "clear filters").
  useEffect(() => setText(filters.q), [filters.q]);
  useEffect(() => setTag(filters.tag), [filters.tag]);

  // Search as the user types, a moment after they pause; one history entry for the whole word.
  useEffect(() => {
    if (text.trim() === filters.q && tag.trim() === filters.tag) return;
    const timer = setTimeout(() => setFilters({ q: text, tag }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [text, tag, filters.q, filters.tag, setFilters]);

  const filtered = isBoardFiltered(filters);

  return (
    <div className="filters" role="search" aria-label={t('board.filters.label')}>
      <label className="filters__search">
        <span className="visually-hidden">{t('board.filters.search')}</span>
        <input
          className="input input--compact"
          type="search"
          name="q"
          value={text}
          placeholder={t('board.filters.searchPlaceholder')}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') setFilters({ q: text }, { replace: true });
          }}
        />
      </label>
      <label className="filters__tag">
        <span className="visually-hidden">{t('board.filters.tag')}</span>
        <input
          className="input input--compact"
          type="search"
          name="tag"
          list={tagListId}
          autoComplete="off"
          value={tag}
          placeholder={t('board.filters.tagPlaceholder')}
          onChange={(event) => setTag(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') setFilters({ tag }, { replace: true });
          }}
        />
        <TagSuggestions id={tagListId} tags={tagsInUse.data ?? []} countLabel={(count) => t('board.filters.tagCount', { count })} />
      </label>
      <OwnerFilter
        members={members}
        meId={meId}
        value={filters.ownerId}
        onChange={(ownerId) => setFilters({ ownerId })}
        labels={{ owner: t('board.filters.owner'), anyone: t('board.filters.anyone'), me: (name) => t('board.filters.me', { name }) }}
      />
      <div className="segmented" role="group" aria-label={t('board.filters.status')}>
        {statusFilters.map((status) => (
          <button
            key={status}
            type="button"
            className="segmented__option"
            aria-pressed={filters.status === status}
            data-status={status}
            onClick={() => setFilters({ status })}
          >
            {t(`board.status.${status}`)}
          </button>
        ))}
      </div>
      {filtered && (
        <button type="button" className="link-button" onClick={() => setFilters(defaultBoardFilters)}>
          {t('board.filters.clear')}
        </button>
      )}
    </div>
  );
}
