import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { localizeDigits } from '../../../lib/format/digits';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { initialsOf } from '../../../lib/members/use-members';
import { paths } from '../../../lib/paths';
import { type Customer, type ImportantDate, useCustomFieldLabels, useOrganization } from '../api/customer-page';
import { daysUntil, formatYearlyDate, nextOccurrence, yearsOn } from '../utils/calendar-dates';

/** The customer's card: name, where they work, how to reach them, tags, custom fields and dates. */
export function CustomerProfile({ customer, i18n, actions }: { customer: Customer; i18n: I18n; actions?: ReactNode }) {
  const { t } = i18n;
  const record = customer.record;
  const organizationId = customer.kind === 'contact' ? (customer.record.organization_id ?? null) : null;
  const organization = useOrganization(organizationId ?? '', organizationId !== null);
  const fields = useCustomFieldLabels(customer.kind).data;
  const rows: { label: string; value: ReactNode }[] = [];
  if (customer.kind === 'contact') {
    const contact = customer.record;
    if (contact.job_title) rows.push({ label: t('customerPage.profile.jobTitle'), value: <span dir="auto">{contact.job_title}</span> });
    if (contact.email)
      rows.push({
        label: t('customerPage.profile.email'),
        value: (
          <a href={`mailto:${contact.email}`} dir="ltr">
            {contact.email}
          </a>
        ),
      });
    if (contact.phone)
      rows.push({
        label: t('customerPage.profile.phone'),
        value: (
          <a href={`tel:${contact.phone}`} dir="ltr">
            {localizeDigits(contact.phone, i18n.locale)}
          </a>
        ),
      });
  } else {
    const organization = customer.record;
    if (organization.domain) rows.push({ label: t('customerPage.profile.domain'), value: <span dir="ltr">{organization.domain}</span> });
    if (organization.industry) rows.push({ label: t('customerPage.profile.industry'), value: <span dir="auto">{organization.industry}</span> });
    if (organization.phone)
      rows.push({
        label: t('customerPage.profile.phone'),
        value: (
          <a href={`tel:${organization.phone}`} dir="ltr">
            {localizeDigits(organization.phone, i18n.locale)}
          </a>
        ),
      });
    rows.push({ label: t('customerPage.profile.people'), value: i18n.number(organization.contacts_count) });
  }
  if (record.city) rows.push({ label: t('customerPage.profile.city'), value: <span dir="auto">{record.city}</span> });
  if (record.country) rows.push({ label: t('customerPage.profile.country'), value: countryName(record.country, i18n.locale) });
  const customFields = Object.entries(record.custom_fields as Record<string, unknown>).filter(([, value]) => value !== null && value !== '');

  return (
    <aside className="customer-panel customer-profile" data-testid="customer-profile" aria-labelledby="customer-name">
      <div className="customer-profile__head">
        <span className="avatar avatar--xl" aria-hidden="true">
          {initialsOf(record.name)}
        </span>
        <div>
          <h1 id="customer-name" className="customer-profile__name" dir="auto">
            {record.name}
          </h1>
          <p className="muted">{t(customer.kind === 'contact' ? 'customerPage.profile.contact' : 'customerPage.profile.organization')}</p>
        </div>
      </div>
      {actions && <div className="customer-profile__actions">{actions}</div>}
      {organizationId && (
        <p className="customer-profile__organization">
          {t('customerPage.profile.worksAt')}{' '}
          <Link to={paths.organization(organizationId)} dir="auto" data-testid="organization-link">
            {organization.data?.name ?? t('customerPage.profile.organizationLink')}
          </Link>
        </p>
      )}
      {rows.length > 0 && (
        <dl className="customer-profile__fields">
          {rows.map((row) => (
            <div key={row.label} className="customer-profile__field">
              <dt>{row.label}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {record.tags.length > 0 && (
        <div className="customer-profile__section">
          <h2 className="subsection-title">{t('customerPage.profile.tags')}</h2>
          <ul className="tag-list">
            {record.tags.map((tag) => (
              <li key={tag} className="tag tag--static" dir="auto">
                {tag}
              </li>
            ))}
          </ul>
        </div>
      )}
      {customFields.length > 0 && (
        <div className="customer-profile__section">
          <h2 className="subsection-title">{t('customerPage.profile.customFields')}</h2>
          <dl className="customer-profile__fields">
            {customFields.map(([key, value]) => (
              <div key={key} className="customer-profile__field">
                <dt dir="auto">{fields?.get(key)?.label ?? key}</dt>
                <dd dir="auto">{customFieldText(value, fields?.get(key)?.kind, i18n)}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      <div className="customer-profile__section">
        <h2 className="subsection-title">{t('customerPage.profile.importantDates')}</h2>
        {record.important_dates.length === 0 ? (
          <p className="muted">{t('customerPage.profile.noDates')}</p>
        ) : (
          <ul className="important-dates" data-testid="important-dates">
            {record.important_dates.map((date, index) => (
              <ImportantDateRow key={index} date={date} i18n={i18n} />
            ))}
          </ul>
        )}
      </div>
      {customer.kind === 'contact' && customer.record.notes && (
        <div className="customer-profile__section">
          <h2 className="subsection-title">{t('customerPage.profile.notes')}</h2>
          <p className="customer-profile__notes" dir="auto">
            {customer.record.notes}
          </p>
        </div>
      )}
    </aside>
  );
}

/** A date in its own calendar, with when it next comes round (in the page's calendar) and in how many days. */
function ImportantDateRow({ date, i18n }: { date: ImportantDate; i18n: I18n }) {
  const { t } = i18n;
  const next = nextOccurrence(date);
  const days = daysUntil(next);
  const years = yearsOn(date, next);
  return (
    <li className="important-date">
      <span className="important-date__kind">{occasionName(date, t)}</span>
      <span className="important-date__when">
        {formatYearlyDate(date, i18n.locale)}
        {date.calendar === 'jalali' && <span className="badge important-date__calendar">{t('customerPage.calendars.jalali')}</span>}
      </span>
      <span className="muted important-date__next">
        {t('customerPage.profile.nextOn', { date: i18n.date(next.toISOString()), days: t('customerPage.daysUntil', { count: days }) })}
        {years !== null && `${t('customerPage.separator')}${t(`customerPage.years.${date.kind}`, { count: years })}`}
      </span>
    </li>
  );
}

/** Birthday, anniversary, founding, or a custom date's own label. */
export function occasionName(date: { kind: ImportantDate['kind']; label?: string | null }, t: I18n['t']): string {
  return date.kind === 'custom' && date.label ? date.label : t(`customerPage.occasions.${date.kind}`);
}

/** A custom field's value as the page's language writes it: yes or no, digits, a date in its calendar. */
function customFieldText(value: unknown, kind: string | undefined, i18n: I18n): string {
  if (typeof value === 'boolean') return i18n.t(value ? 'customerPage.profile.yes' : 'customerPage.profile.no');
  if (typeof value === 'number') return i18n.number(value);
  if (kind === 'date' && typeof value === 'string') return i18n.date(value);
  return localizeDigits(String(value), i18n.locale);
}

function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale === 'fa' ? 'fa' : 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
