import type { MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { paths } from '../../../lib/paths';
import { useOrganization, useOrganizations } from '../api/organizations';
import { organizationPickerParams } from './pickers';

/** An organization's name, linked to it: from the picker's list when there, else read on its own. */
export function OrganizationName({ id }: { id: string }) {
  const { organizations } = useOrganizations(organizationPickerParams);
  const listed = organizations.find((organization) => organization.id === id);
  const single = useOrganization(id, { enabled: !listed && organizations.length > 0 });
  const name = listed?.name ?? single.data?.name;
  return name ? (
    <Link to={paths.organization(id)} dir="auto">
      {name}
    </Link>
  ) : null;
}

export function OwnerName({ id }: { id: string | null | undefined }) {
  const { byId } = useMembers();
  return <span dir="auto">{id ? (byId.get(id)?.name ?? '') : ''}</span>;
}

export function Tags({ tags, onTag, i18n }: { tags: readonly string[]; onTag: (tag: string) => void; i18n: I18n }) {
  return (
    <span className="tags">
      {tags.map((tag) => (
        <button key={tag} type="button" className="tag" title={i18n.t('customers.filterByTag', { tag })} onClick={() => onTag(tag)}>
          {tag}
        </button>
      ))}
    </span>
  );
}

/** City and country on one line: "Tehran, IR". */
export function Place({ city, country, i18n }: { city?: string | null; country?: string | null; i18n: I18n }) {
  return <span dir="auto">{[city, country].filter(Boolean).join(i18n.t('common.listSeparator'))}</span>;
}

/**
 * A row opens its record when clicked anywhere but on its own links and buttons (keyboard users
 * follow the name's link).
 */
export function useRowOpener() {
  const navigate = useNavigate();
  return (to: string) => (event: MouseEvent<HTMLTableRowElement>) => {
    if ((event.target as HTMLElement).closest('a, button, input, select, label')) return;
    if (window.getSelection()?.toString()) return;
    navigate(to);
  };
}
