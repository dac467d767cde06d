import { memo } from 'react';
import { Link } from 'react-router';
import type { Lead } from '../../../lib/api/types';
import { daysSince } from '../../../lib/format/dates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { sourceLabel } from '../utils/lead-vocabulary';
import { LeadContact, LeadStatusBadge, ScoreBadge } from './lead-badges';

interface LeadsTableProps {
  leads: Lead[];
  /** The inbox's search string (`?status=…`), kept when a lead opens so closing it restores the view. */
  query: string;
  i18n: I18n;
  onTag: (tag: string) => void;
  /** Checkboxes on the rows for bulk actions, when the app provides them. */
  selection?: RowSelection;
}

/** The rows picked for a bulk action (the app's selection, seen from the inbox). */
export interface RowSelection {
  isSelected: (id: string) => boolean;
  /** `range`: shift was held, so every row from the last one toggled changes too. */
  toggle: (id: string, range?: boolean) => void;
  toggleAll: () => void;
  allSelected: boolean;
  someSelected: boolean;
}

/** The inbox as a table, in the order given (best score first). A lead's name opens its drawer. */
export function LeadsTable({ leads, query, i18n, onTag, selection }: LeadsTableProps) {
  const { t } = i18n;
  return (
    <div className="table-scroll">
      <table className={`leads-table ${selection ? 'leads-table--selectable' : ''}`} data-testid="leads-table">
        <thead>
          <tr>
            {selection && (
              <td className="leads-table__select">
                <input
                  type="checkbox"
                  aria-label={t('bulk.selectAllShown')}
                  checked={selection.allSelected}
                  ref={(input) => {
                    if (input) input.indeterminate = selection.someSelected && !selection.allSelected;
                  }}
                  onChange={() => selection.toggleAll()}
                />
              </td>
            )}
            <th scope="col">{t('leads.columns.name')}</th>
            <th scope="col">{t('leads.columns.company')}</th>
            <th scope="col">{t('leads.columns.source')}</th>
            <th scope="col">{t('leads.columns.score')}</th>
            <th scope="col">{t('leads.columns.status')}</th>
            <th scope="col">{t('leads.columns.tags')}</th>
            <th scope="col">{t('leads.columns.age')}</th>
            <th scope="col">{t('leads.columns.contact')}</th>
          </tr>
        </thead>
        <tbody>
          {leads.map((lead) => (
            <LeadRow key={lead.id} lead={lead} query={query} i18n={i18n} onTag={onTag} selected={selection?.isSelected(lead.id)} onSelect={selection?.toggle} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface LeadRowProps {
  lead: Lead;
  query: string;
  i18n: I18n;
  onTag: (tag: string) => void;
  /** Whether the row is selected; undefined without selection. */
  selected: boolean | undefined;
  onSelect: ((id: string, range?: boolean) => void) | undefined;
}

const LeadRow = memo(function LeadRow({ lead, query, i18n, onTag, selected, onSelect }: LeadRowProps) {
  const { t } = i18n;
  const days = daysSince(lead.created_at);
  return (
    <tr data-testid="lead-row" data-lead-id={lead.id} data-status={lead.status} data-selected={selected || undefined}>
      {onSelect && (
        <td className="leads-table__select">
          <input
            type="checkbox"
            aria-label={t('bulk.selectRow', { name: lead.name })}
            checked={Boolean(selected)}
            // The click (not the change) carries the shift key; the keyboard's space bar clicks too.
            onClick={(event) => onSelect(lead.id, event.shiftKey)}
            onChange={() => undefined}
          />
        </td>
      )}
      <th scope="row" className="leads-table__name">
        <Link to={`${paths.lead(lead.id)}${query}`} dir="auto">
          {lead.name}
        </Link>
        {lead.job_title && (
          <span className="muted" dir="auto">
            {lead.job_title}
          </span>
        )}
      </th>
      <td dir="auto">{lead.company}</td>
      <td>{sourceLabel(lead.source, t)}</td>
      <td>
        <ScoreBadge score={lead.score} i18n={i18n} />
      </td>
      <td>
        <LeadStatusBadge status={lead.status} i18n={i18n} />
      </td>
      <td>
        <span className="tags">
          {lead.tags.map((tag) => (
            <button key={tag} type="button" className="tag" title={t('leads.row.filterByTag', { tag })} onClick={() => onTag(tag)}>
              {tag}
            </button>
          ))}
        </span>
      </td>
      <td className="leads-table__age">
        <time dateTime={lead.created_at} title={t('leads.row.created', { count: days, date: i18n.date(lead.created_at) })}>
          {t('leads.row.age', { count: days })}
        </time>
      </td>
      <td className="leads-table__contact">
        <LeadContact lead={lead} i18n={i18n} />
      </td>
    </tr>
  );
});
