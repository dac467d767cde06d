import type { ReactNode } from 'react';
import { useMembers } from '../../../lib/members/use-members';
import { useOrganization, useOrganizations } from '../api/organizations';

/** The organizations a picker lists: the first 200 by name (and the chosen one, if further on). */
export const organizationPickerParams = { sort: 'name', limit: 200 } as const;

/** `<option>`s for the workspace's members, after `first` (an "anyone" or "me" choice). */
export function OwnerOptions({ first }: { first: ReactNode }) {
  const { members } = useMembers();
  return (
    <>
      {first}
      {members.map((member) => (
        <option key={member.id} value={member.id}>
          {member.name}
        </option>
      ))}
    </>
  );
}

/** `<option>`s for organizations by name, after `first`; `selected` is listed even when beyond the first page. */
export function OrganizationOptions({ first, selected }: { first: ReactNode; selected: string }) {
  const { organizations } = useOrganizations(organizationPickerParams);
  const listed = selected === '' || organizations.some((organization) => organization.id === selected);
  const chosen = useOrganization(selected, { enabled: !listed });
  return (
    <>
      {first}
      {!listed && chosen.data && <option value={chosen.data.id}>{chosen.data.name}</option>}
      {organizations.map((organization) => (
        <option key={organization.id} value={organization.id}>
          {organization.name}
        </option>
      ))}
    </>
  );
}
