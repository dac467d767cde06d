import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Locale, User } from '../../../lib/api/types';
import { isOneOf, roles } from '../../../lib/api/vocabularies';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { type InviteInput, type MemberChange, useChangeMember, useInviteMember } from '../api/members';
import { suggestPassword } from '../utils/suggest-password';

/**
 * The workspace's members and their roles. Everyone may read the list (the API lets them);
 * admins add members and change roles and who is active, except their own.
 */
export function MembersScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const members = useMembers();
  useDocumentTitle(t('members.title'));
  const admin = me.data?.user.role === 'admin';

  return (
    <main className="page page--narrow" id="main" data-testid="members-screen">
      <h1 className="page__title">{t('members.title')}</h1>
      <p className="page__intro">{t('members.intro')}</p>
      {me.data && !admin && <FormAlert>{t('members.readOnly')}</FormAlert>}
      {members.isPending && <Skeleton className="skeleton--block" />}
      {members.isError && <ErrorState title={t('members.loadFailed')} error={members.error} onRetry={() => void members.refetch()} />}
      {members.isSuccess && (
        <DataTable label={t('members.title')} testId="member-table">
          <thead>
            <tr>
              <th scope="col">{t('members.name')}</th>
              <th scope="col">{t('members.role')}</th>
              <th scope="col">{t('members.status')}</th>
              {admin && <th scope="col">{t('members.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {members.members.map((member) => (
              <MemberRow key={member.id} member={member} editable={admin && member.id !== me.data?.user.id} admin={admin} i18n={i18n} />
            ))}
          </tbody>
        </DataTable>
      )}
      {admin && <InviteForm defaultLocale={me.data?.workspace.locale ?? 'en'} />}
    </main>
  );
}

function RoleOptions() {
  const { t } = useI18n();
  return roles.map((role) => (
    <option key={role} value={role}>
      {t(`members.roles.${role}`)}
    </option>
  ));
}

function MemberRow({ member, editable, admin, i18n }: { member: User; editable: boolean; admin: boolean; i18n: I18n }) {
  const { t } = i18n;
  const change = useChangeMember();
  const apply = (patch: MemberChange, done: string) =>
    change.mutate({ member, change: patch }, { onSuccess: () => toast.success(done), onError: (error) => toast.error(describeError(error, t)) });

  return (
    <tr data-testid="member-row" data-email={member.email} data-active={member.active}>
      <td>
        <strong>{member.name}</strong>
        <span className="muted" dir="ltr">
          {member.email}
        </span>
      </td>
      <td>
        {editable ? (
          <select
            className="input"
            aria-label={t('members.roleOf', { name: member.name })}
            value={member.role}
            disabled={change.isPending}
            onChange={(event) =>
              isOneOf(roles, event.target.value) &&
              apply({ role: event.target.value }, t('members.roleChanged', { name: member.name, role: t(`members.roles.${event.target.value}`) }))
            }
          >
            <RoleOptions />
          </select>
        ) : (
          t(`members.roles.${member.role}`)
        )}
      </td>
      <td>
        <span className={`badge${member.active ? ' badge--won' : ''}`}>{member.active ? t('members.active') : t('members.inactive')}</span>
      </td>
      {admin && (
        <td>
          {editable ? (
            <Button
              size="sm"
              variant={member.active ? 'danger' : 'secondary'}
              busy={change.isPending}
              onClick={() => apply({ active: !member.active }, t(member.active ? 'members.deactivated' : 'members.reactivated', { name: member.name }))}
            >
              {member.active ? t('members.deactivate') : t('members.reactivate')}
            </Button>
          ) : (
            <span className="muted">{t('members.you')}</span>
          )}
        </td>
      )}
    </tr>
  );
}

function InviteForm({ defaultLocale }: { defaultLocale: Locale }) {
  const { t } = useI18n();
  const invite = useInviteMember();
  const empty: InviteInput = { name: '', email: '', role: 'member', password: '', locale: defaultLocale };
  const [values, setValues] = useState<InviteInput>(empty);
  const errors = fieldErrorMap(invite.error);
  const set = (patch: Partial<InviteInput>) => setValues({ ...values, ...patch });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(
      { ...values, name: values.name.trim(), email: values.email.trim() },
      {
        onSuccess: (member) => {
          toast.success(t('members.invited', { name: member.name }));
          setValues(empty);
        },
      },
    );
  };

  return (
    <section className="settings__section" aria-labelledby="invite-member">
      <h2 id="invite-member" className="section-title">
        {t('members.invite')}
      </h2>
      <form className="form" onSubmit={submit} noValidate data-testid="invite-form">
        {invite.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(invite.error, t)}</FormAlert>}
        <div className="form__row">
          <TextField label={t('members.name')} value={values.name} onChange={(event) => set({ name: event.target.value })} error={errors.name} required />
          <TextField
            label={t('members.email')}
            type="email"
            dir="ltr"
            value={values.email}
            onChange={(event) => set({ email: event.target.value })}
            error={errors.email}
            required
          />
        </div>
        <div className="form__row">
          <SelectField
            label={t('members.role')}
            value={values.role}
            onChange={(event) => isOneOf(roles, event.target.value) && set({ role: event.target.value })}
          >
            <RoleOptions />
          </SelectField>
          <SelectField
            label={t('members.language')}
            value={values.locale ?? defaultLocale}
            onChange={(event) => set({ locale: event.target.value === 'fa' ? 'fa' : 'en' })}
          >
            <option value="en">{t('languages.en')}</option>
            <option value="fa">{t('languages.fa')}</option>
          </SelectField>
        </div>
        <TextField
          label={t('members.password')}
          hint={t('members.passwordHint')}
          dir="ltr"
          autoComplete="new-password"
          value={values.password}
          onChange={(event) => set({ password: event.target.value })}
          error={errors.password}
          required
        />
        <div className="form__actions">
          <Button onClick={() => set({ password: suggestPassword() })}>{t('members.suggestPassword')}</Button>
          <Button type="submit" variant="primary" busy={invite.isPending}>
            {t('members.add')}
          </Button>
        </div>
      </form>
    </section>
  );
}
