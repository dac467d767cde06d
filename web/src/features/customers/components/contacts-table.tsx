import { Link } from 'react-router';
import { localizeDigits } from '../../../lib/format/digits';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import type { Contact } from '../utils/customer-form';
import { OrganizationName, OwnerName, Place, Tags, useRowOpener } from './customer-cells';

/** The rows picked for a bulk action (the app's selection, seen from the list). */
export interface RowSelection {
  isSelected: (id: string) => boolean;
  /** `range`: shift was held, so every row from the last one toggled changes too. */
  toggle: (id: string, range?: boolean) => void;
  toggleAll: () => void;
  allSelected: boolean;
  someSelected: boolean;
}

interface ContactsTableProps {
  contacts: readonly Contact[];
  i18n: I18n;
  onTag: (tag: string) => void;
  /** Checkboxes on the rows for bulk actions, when the app provides them. */
  selection?: RowSelection | undefined;
}

/**
 * Contacts as a table in the order given; a row (or the name's link) opens the contact. With a
 * selection, a checkbox leads each row (its whole cell picks the row, a click beside the box does
 * not open the contact) and one in the header picks every row shown.
 */
export function ContactsTable({ contacts, i18n, onTag, selection }: ContactsTableProps) {
  const { t } = i18n;
  const open = useRowOpener();
  return (
    <div className="table-scroll">
      <table className={`leads-table customers-table ${selection ? 'leads-table--selectable' : ''}`} data-testid="contacts-table">
        <thead>
          <tr>
            {selection && (
              <td className="leads-table__select">
                <label className="customers-table__select">
                  <input
                    type="checkbox"
                    aria-label={t('bulk.selectAllShown')}
                    checked={selection.allSelected}
                    ref={(input) => {
                      if (input) input.indeterminate = selection.someSelected && !selection.allSelected;
                    }}
                    onChange={() => selection.toggleAll()}
                  />
                </label>
              </td>
            )}
            <th scope="col">{t('customers.columns.name')}</th>
            <th scope="col">{t('customers.columns.organization')}</th>
            <th scope="col">{t('customers.columns.contact')}</th>
            <th scope="col">{t('customers.columns.place')}</th>
            <th scope="col">{t('customers.columns.tags')}</th>
            <th scope="col">{t('customers.columns.owner')}</th>
            <th scope="col">{t('customers.columns.added')}</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact) => (
            <tr
              key={contact.id}
              data-testid="contact-row"
              data-contact-id={contact.id}
              data-selected={selection?.isSelected(contact.id) || undefined}
              className="customers-table__row"
              onClick={open(paths.contact(contact.id))}
            >
              {selection && (
                <td className="leads-table__select">
                  <label className="customers-table__select">
                    <input
                      type="checkbox"
                      aria-label={t('bulk.selectRow', { name: contact.name })}
                      checked={selection.isSelected(contact.id)}
                      // The click (not the change) carries the shift key; the keyboard's space bar clicks too.
                      onClick={(event) => selection.toggle(contact.id, event.shiftKey)}
                      onChange={() => undefined}
                    />
                  </label>
                </td>
              )}
              <th scope="row" className="leads-table__name">
                <Link to={paths.contact(contact.id)} dir="auto">
                  {contact.name}
                </Link>
                {contact.job_title && (
                  <span className="muted" dir="auto">
                    {contact.job_title}
                  </span>
                )}
              </th>
              <td>{contact.organization_id && <OrganizationName id={contact.organization_id} />}</td>
              <td className="leads-table__contact">
                {contact.phone && (
                  <span className="lead-contact" dir="ltr">
                    {localizeDigits(contact.phone, i18n.locale)}
                  </span>
                )}
                {contact.email && (
                  <span className="lead-contact" dir="ltr">
                    {contact.email}
                  </span>
                )}
              </td>
              <td>
                <Place city={contact.city} country={contact.country} i18n={i18n} />
              </td>
              <td>
                <Tags tags={contact.tags} onTag={onTag} i18n={i18n} />
              </td>
              <td>
                <OwnerName id={contact.owner_id} />
              </td>
              <td className="leads-table__age">
                <time dateTime={contact.created_at}>{i18n.shortDate(contact.created_at)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
