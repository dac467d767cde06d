import { Link } from 'react-router';
import { localizeDigits } from '../../../lib/format/digits';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import type { Organization } from '../utils/customer-form';
import { OwnerName, Place, Tags, useRowOpener } from './customer-cells';

/** Organizations as a table in the order given; a row (or the name's link) opens the organization. */
export function OrganizationsTable({ organizations, i18n, onTag }: { organizations: readonly Organization[]; i18n: I18n; onTag: (tag: string) => void }) {
  const { t } = i18n;
  const open = useRowOpener();
  return (
    <div className="table-scroll">
      <table className="leads-table customers-table" data-testid="organizations-table">
        <thead>
          <tr>
            <th scope="col">{t('customers.columns.name')}</th>
            <th scope="col">{t('customers.columns.industry')}</th>
            <th scope="col">{t('customers.columns.phone')}</th>
            <th scope="col">{t('customers.columns.place')}</th>
            <th scope="col">{t('customers.columns.people')}</th>
            <th scope="col">{t('customers.columns.tags')}</th>
            <th scope="col">{t('customers.columns.owner')}</th>
            <th scope="col">{t('customers.columns.added')}</th>
          </tr>
        </thead>
        <tbody>
          {organizations.map((organization) => (
            <tr
              key={organization.id}
              data-testid="organization-row"
              data-organization-id={organization.id}
              className="customers-table__row"
              onClick={open(paths.organization(organization.id))}
            >
              <th scope="row" className="leads-table__name">
                <Link to={paths.organization(organization.id)} dir="auto">
                  {organization.name}
                </Link>
                {organization.domain && (
                  <span className="muted" dir="ltr">
                    {organization.domain}
                  </span>
                )}
              </th>
              <td dir="auto">{organization.industry}</td>
              <td className="leads-table__contact">
                <span dir="ltr">{organization.phone && localizeDigits(organization.phone, i18n.locale)}</span>
              </td>
              <td>
                <Place city={organization.city} country={organization.country} i18n={i18n} />
              </td>
              <td className="customers-table__count">{i18n.number(organization.contacts_count)}</td>
              <td>
                <Tags tags={organization.tags} onTag={onTag} i18n={i18n} />
              </td>
              <td>
                <OwnerName id={organization.owner_id} />
              </td>
              <td className="leads-table__age">
                <time dateTime={organization.created_at}>{i18n.shortDate(organization.created_at)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
