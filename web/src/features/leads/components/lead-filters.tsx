import { useEffect, useRef, useState } from 'react';
import { OwnerFilter } from '../../../components/owner-filter';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { useMe } from '../../../lib/session/use-session';
import { defaultLeadFilters, isFiltered, type LeadFilters, type LeadStatusFilter } from '../utils/lead-inbox';
import { isLeadSource, leadSources, leadStatuses, sourceLabel } from '../utils/lead-vocabulary';

const statusOptions: LeadStatusFilter[] = ['open', ...leadStatuses, 'all'];

interface LeadFiltersBarProps {
  filters: LeadFilters;
  setFilters: (patch: Partial<LeadFilters>, options?: { replace?: boolean }) => void;
  i18n: I18n;
}

/**
 * A text filter applied as the user types, a moment after they pause (or at once on Enter),
 * replacing the history entry so a whole word is one step back.
 */
function DebouncedText({
  value,
  onCommit,
  label,
  placeholder,
  name,
}: {
  value: string;
  onCommit: (text: string) => void;
  label: string;
  placeholder: string;
  name: string;
}) {
  const [text, setText] = useState(value);
  // The latest callback, without restarting the pause timer whenever the parent re-renders.
  const commit = useRef(onCommit);
  commit.current = onCommit;
  // Follow the URL when it changes under us (back button, "clear filters", a clicked tag).
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => commit.current(text), 300);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <label className={`filters__${name}`}>
      <span className="visually-hidden">{label}</span>
      <input
        className="input input--compact"
        type="search"
        name={name}
        value={text}
        placeholder={placeholder}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit.current(text);
        }}
      />
    </label>
  );
}

export function LeadFiltersBar({ filters, setFilters, i18n }: LeadFiltersBarProps) {
  const { t } = i18n;
  const { members } = useMembers();
  const meId = useMe().data?.user.id;
  const statusLabel = (status: LeadStatusFilter) =>
    status === 'open' ? t('leads.filters.open') : status === 'all' ? t('leads.filters.all') : t(`leads.statuses.${status}`);

  return (
    <div className="filters" role="search" aria-label={t('leads.filters.label')}>
      <DebouncedText
        name="q"
        value={filters.q}
        label={t('leads.filters.search')}
        placeholder={t('leads.filters.searchPlaceholder')}
        onCommit={(q) => setFilters({ q }, { replace: true })}
      />
      <label>
        <span className="visually-hidden">{t('leads.filters.status')}</span>
        <select
          className="input input--compact"
          name="status"
          value={filters.status}
          onChange={(event) => setFilters({ status: event.target.value as LeadStatusFilter })}
        >
          {statusOptions.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('leads.filters.source')}</span>
        <select
          className="input input--compact"
          name="source"
          value={filters.source ?? ''}
          onChange={(event) => setFilters({ source: isLeadSource(event.target.value) ? event.target.value : null })}
        >
          <option value="">{t('leads.filters.anySource')}</option>
          {leadSources.map((source) => (
            <option key={source} value={source}>
              {sourceLabel(source, t)}
            </option>
          ))}
        </select>
      </label>
      <OwnerFilter
        members={members}
        meId={meId}
        value={filters.ownerId}
        onChange={(ownerId) => setFilters({ ownerId })}
        labels={{ owner: t('leads.filters.owner'), anyone: t('leads.filters.anyOwner'), me: (name) => t('leads.filters.me', { name }) }}
      />
      <DebouncedText
        name="tag"
        value={filters.tag}
        label={t('leads.filters.tag')}
        placeholder={t('leads.filters.tagPlaceholder')}
        onCommit={(tag) => setFilters({ tag }, { replace: true })}
      />
      {isFiltered(filters) && (
        <button type="button" className="link-button" onClick={() => setFilters(defaultLeadFilters)}>
          {t('leads.filters.clear')}
        </button>
      )}
    </div>
  );
}
