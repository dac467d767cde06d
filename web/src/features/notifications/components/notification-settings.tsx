import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { NotificationPreferences } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import {
  useCalendarFeed,
  useNotificationPreferences,
  useRevokeCalendarFeed,
  useRotateCalendarFeed,
  useSaveNotificationPreferences,
  useUpdateMe,
} from '../api/notifications';
import { knownZones } from '../../../lib/format/time-zones';

const choices: (keyof NotificationPreferences)[] = ['in_app', 'email', 'daily_digest'];

/** The account screen of notifications: how you are told, your time zone, your calendar feed. */
export function NotificationSettings() {
  const { t } = useI18n();
  useDocumentTitle(t('notifications.settings.title'));
  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{t('notifications.settings.title')}</h1>
      <p className="page__intro">{t('notifications.settings.intro')}</p>
      <Preferences />
      <TimeZoneForm />
      <CalendarFeed />
    </main>
  );
}

function Preferences() {
  const { t } = useI18n();
  const current = useNotificationPreferences();
  const save = useSaveNotificationPreferences();
  const [form, setForm] = useState<NotificationPreferences | null>(null);
  useEffect(() => {
    if (current.data && !form) setForm(current.data);
  }, [current.data, form]);
  if (!form) return current.isError ? <FormAlert>{describeError(current.error, t)}</FormAlert> : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(form, { onSuccess: () => toast.success(t('notifications.settings.saved')) });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="notification-preferences">
      <h2 className="section-title">{t('notifications.settings.preferencesTitle')}</h2>
      {save.error && <FormAlert>{describeError(save.error, t)}</FormAlert>}
      {choices.map((choice) => (
        <label key={choice} className="checkbox">
          <input type="checkbox" name={choice} checked={form[choice]} onChange={(event) => setForm({ ...form, [choice]: event.target.checked })} />
          {t(`notifications.settings.${choice}`)}
        </label>
      ))}
      <div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('notifications.settings.save')}
        </Button>
      </div>
    </form>
  );
}

function TimeZoneForm() {
  const { t } = useI18n();
  const me = useMe();
  const update = useUpdateMe();
  const zones = useMemo(knownZones, []);
  const own = me.data?.user.time_zone ?? '';
  const [zone, setZone] = useState<string | null>(null);
  const value = zone ?? own;
  const errors = fieldErrorMap(update.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ time_zone: value.trim() === '' ? null : value.trim() }, { onSuccess: () => toast.success(t('notifications.settings.timeZoneSaved')) });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="time-zone-form">
      <h2 className="section-title">{t('notifications.settings.timeZone')}</h2>
      {update.error && !errors.time_zone && <FormAlert>{describeError(update.error, t)}</FormAlert>}
      <TextField
        label={t('notifications.settings.timeZone')}
        hint={t('notifications.settings.timeZoneHint', { zone: me.data?.workspace.time_zone ?? 'UTC' })}
        name="time_zone"
        dir="ltr"
        list="time-zones"
        placeholder={t('notifications.settings.timeZonePlaceholder')}
        value={value}
        onChange={(event) => setZone(event.target.value)}
        error={errors.time_zone ? t('notifications.settings.timeZoneInvalid') : undefined}
      />
      <datalist id="time-zones">
        {zones.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <div>
        <Button type="submit" variant="secondary" busy={update.isPending}>
          {t('notifications.settings.save')}
        </Button>
      </div>
    </form>
  );
}

function CalendarFeed() {
  const { t } = useI18n();
  const feed = useCalendarFeed();
  const rotate = useRotateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const url = feed.data?.url ?? null;
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      toast.success(t('notifications.settings.calendarCopied'));
    } catch {
      // The address stays selectable in its field.
    }
  };
  return (
    <section className="form" data-testid="calendar-feed">
      <h2 className="section-title">{t('notifications.settings.calendarTitle')}</h2>
      <p className="page__intro">{t('notifications.settings.calendarIntro')}</p>
      {(rotate.error ?? revoke.error) && <FormAlert>{describeError(rotate.error ?? revoke.error, t)}</FormAlert>}
      {url ? (
        <TextField
          label={t('notifications.settings.calendarAddress')}
          name="calendar_url"
          dir="ltr"
          readOnly
          value={url}
          onFocus={(event) => event.target.select()}
        />
      ) : (
        feed.isSuccess && <p>{t('notifications.settings.calendarNone')}</p>
      )}
      <div className="form__actions">
        {url && (
          <Button type="button" onClick={() => void copy()}>
            {t('notifications.settings.calendarCopy')}
          </Button>
        )}
        <Button type="button" variant={url ? 'secondary' : 'primary'} busy={rotate.isPending} onClick={() => rotate.mutate()}>
          {url ? t('notifications.settings.calendarRotate') : t('notifications.settings.calendarCreate')}
        </Button>
        {url && (
          <Button type="button" variant="danger" busy={revoke.isPending} onClick={() => revoke.mutate()}>
            {t('notifications.settings.calendarRevoke')}
          </Button>
        )}
      </div>
    </section>
  );
}
