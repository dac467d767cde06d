import { Link } from 'react-router';
import type { Duplicates } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { matchLabel } from '../utils/lead-vocabulary';
import { LeadContact, LeadStatusBadge } from './lead-badges';

interface DuplicateWarningProps {
  found: Duplicates;
  i18n: I18n;
  /** Following a link leaves the dialog: the existing record opens instead. */
  onOpen: () => void;
}

/** The leads and contacts that look like the person about to be added, each with what matched and a link to it. */
export function DuplicateWarning({ found, i18n, onOpen }: DuplicateWarningProps) {
  const { t } = i18n;
  const matchedOn = (matches: string[]) =>
    t('leads.duplicates.matchedOn', { fields: matches.map((match) => matchLabel(match, t)).join(t('common.listSeparator')) });
  return (
    <section className="duplicate-warning" role="alert" aria-labelledby="duplicate-warning-title" data-testid="duplicate-warning">
      <h3 id="duplicate-warning-title" className="subsection-title">
        {t('leads.create.duplicatesTitle', { count: found.leads.length + found.contacts.length })}
      </h3>
      <ul className="duplicates">
        {found.leads.map(({ lead, matched_on }) => (
          <li key={lead.id} className="duplicate" data-testid="duplicate-lead" data-lead-id={lead.id}>
            <p className="duplicate__head">
              <Link to={paths.lead(lead.id)} dir="auto" onClick={onOpen}>
                {t('leads.create.openLead', { name: lead.name })}
              </Link>
              <LeadStatusBadge status={lead.status} i18n={i18n} />
            </p>
            {lead.company && <p dir="auto">{lead.company}</p>}
            <LeadContact lead={lead} i18n={i18n} />
            <p className="muted">
              {matchedOn(matched_on)} · {t('leads.create.cameIn', { date: i18n.date(lead.created_at) })}
            </p>
          </li>
        ))}
        {found.contacts.map((contact) => (
          <li key={contact.id} className="duplicate" data-testid="duplicate-contact">
            <p className="duplicate__head">
              <Link to={paths.contact(contact.id)} dir="auto" onClick={onOpen}>
                {t('leads.create.openContact', { name: contact.name })}
              </Link>
            </p>
            <LeadContact lead={contact} i18n={i18n} />
            <p className="muted">{matchedOn(contact.matched_on)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
