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
}

/** The inbox as a table, in the order given (best score first). A lead's name opens its drawer. */
export function LeadsTable({ leads, query, i18n, onTag }: LeadsTableProps) {
  const { t } = i18n;
  return (
    <div className="table-scroll">
      <table className="leads-table" data-testid="leads-table">
        <thead>
          <tr>
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
            <LeadRow key={lead.id} lead={lead} query={query} i18n={i18n} onTag={onTag} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LeadRow = memo(function LeadRow({ lead, query, i18n, onTag }: { lead: Lead; query: string; i18n: I18n; onTag: (tag: string) => void }) {
  const { t } = i18n;
  const days = daysSince(lead.created_at);
  return (
    <tr data-testid="lead-row" data-lead-id={lead.id} data-status={lead.status}>
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
