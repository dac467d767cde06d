import type { User } from '../lib/api/types';

interface OwnerFilterProps {
  /** The members to choose from; the signed-in one comes first, named as such. */
  members: readonly User[];
  meId: string | undefined;
  /** The chosen member's id, or null for everyone's records. */
  value: string | null;
  onChange: (ownerId: string | null) => void;
  labels: { owner: string; anyone: string; me: (name: string) => string };
}

/** A list filter by owner (the board's, the inbox's): anyone, me, or another member. */
export function OwnerFilter({ members, meId, value, onChange, labels }: OwnerFilterProps) {
  const me = members.find((member) => member.id === meId);
  const others = members.filter((member) => member.id !== meId);
  return (
    <label className="filters__owner">
      <span className="visually-hidden">{labels.owner}</span>
      <select className="input input--compact" name="owner" value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">{labels.anyone}</option>
        {me && <option value={me.id}>{labels.me(me.name)}</option>}
        {others.map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
      </select>
    </label>
  );
}
