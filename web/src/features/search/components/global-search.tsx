import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { localizeDigits } from '../../../lib/format/digits';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useSearch } from '../api/search';
import { groupHits, hitTarget, maxQueryLength, searchableQuery, stepOption } from '../utils/search-results';

const debounceMs = 250;

/**
 * The header's search box: a combobox whose popup lists the hits grouped by kind. The arrows move
 * through the hits, Enter opens one (a deal's or a lead's drawer), Escape closes the popup.
 */
export function GlobalSearch() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const listboxId = useId();
  const optionId = (index: number) => `${listboxId}-option-${index}`;
  const [text, setText] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const next = searchableQuery(text);
    const timer = setTimeout(() => setQuery(next), debounceMs);
    return () => clearTimeout(timer);
  }, [text]);

  const search = useSearch(query);
  const { groups, options } = useMemo(() => groupHits(search.data?.data ?? []), [search.data]);
  // A new list of hits starts with nothing highlighted.
  useEffect(() => setActive(-1), [search.data]);

  const expanded = open && query !== null;
  const digits = (value: string) => localizeDigits(value, locale);

  function openHit(index: number) {
    const hit = options[index];
    const target = hit ? hitTarget(hit) : null;
    if (!target) return;
    setOpen(false);
    setText('');
    setQuery(null);
    inputRef.current?.blur();
    void navigate(target);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        event.preventDefault();
        setOpen(true);
        setActive((current) => stepOption(current, options.length, event.key === 'ArrowDown' ? 1 : -1));
        break;
      case 'Enter':
        if (expanded && active >= 0) {
          event.preventDefault();
          openHit(active);
        }
        break;
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else {
          setText('');
        }
        break;
    }
  }

  return (
    <div className="global-search">
      <input
        ref={inputRef}
        type="search"
        className="global-search__input"
        role="combobox"
        aria-label={t('search.label')}
        aria-expanded={expanded}
        aria-controls={listboxId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        placeholder={t('search.placeholder')}
        maxLength={maxQueryLength}
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <div className="global-search__popup" hidden={!expanded}>
        <ul id={listboxId} role="listbox" aria-label={t('search.results')} className="global-search__list">
          {groups.map((group) => (
            <li key={group.type} role="presentation">
              <div className="global-search__group" id={`${listboxId}-${group.type}`} role="presentation">
                {t(`search.types.${group.type}`)}
              </div>
              <ul role="group" aria-labelledby={`${listboxId}-${group.type}`} className="global-search__group-list">
                {group.options.map(({ hit, index }) => {
                  const reachable = hitTarget(hit) !== null;
                  return (
                    <li
                      key={hit.id}
                      id={optionId(index)}
                      role="option"
                      aria-selected={index === active}
                      aria-disabled={reachable ? undefined : true}
                      title={reachable ? undefined : t('search.noScreen')}
                      className="global-search__option"
                      // Keep the focus in the input so the popup does not close before the click lands.
                      onMouseDown={(event) => event.preventDefault()}
                      onMouseEnter={() => setActive(index)}
                      onClick={() => openHit(index)}
                    >
                      <span className="global-search__title">{digits(hit.title)}</span>
                      {hit.subtitle && <span className="global-search__subtitle">{digits(hit.subtitle)}</span>}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
        <div className="global-search__status" role="status">
          {search.isError
            ? t('search.failed')
            : search.isFetching && options.length === 0
              ? t('search.searching')
              : search.isSuccess && options.length === 0
                ? t('search.noResults', { query: digits(query ?? '') })
                : ''}
        </div>
      </div>
    </div>
  );
}
