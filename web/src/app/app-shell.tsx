import { Link, NavLink, Outlet, useMatch, useNavigate } from 'react-router';
import { LanguageSwitch } from '../features/auth/components/language-switch';
import { useSignOut } from '../features/auth/api/auth';
import { LiveIndicator } from '../features/live/components/live-indicator';
import { NotificationBell } from '../features/notifications/components/notification-bell';
import { GlobalSearch } from '../features/search/components/global-search';
import { PipelineSwitcher } from '../features/pipelines/components/pipeline-switcher';
import { Menu } from '../components/menu';
import { localeStore } from '../lib/i18n/locale-store';
import { useI18n } from '../lib/i18n/use-i18n';
import { initialsOf } from '../lib/members/use-members';
import { paths, patterns } from '../lib/paths';
import { useMe } from '../lib/session/use-session';
import { useLiveSync } from './live-sync';

/** The header every signed-in screen shares: brand, pipeline switcher, language and account. */
export function AppShell() {
  const i18n = useI18n();
  const { t, irrUnit } = i18n;
  const me = useMe();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const pipelineId = useMatch(patterns.pipeline)?.params.pipelineId;
  const name = me.data?.user.name ?? '';
  // One event stream per tab, while signed in: the shell is mounted once for every signed-in screen.
  const live = useLiveSync(me.data?.user.id ?? null);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="header">
        <Link to={paths.home} className="header__brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>{t('app.name')}</span>
        </Link>
        <PipelineSwitcher currentId={pipelineId === 'new' ? undefined : pipelineId} />
        <nav className="header__nav" aria-label={t('nav.main')}>
          <NavLink to={paths.leads} className="header__link">
            {t('nav.leads')}
          </NavLink>
          <NavLink to={paths.contacts} className="header__link">
            {t('nav.contacts')}
          </NavLink>
          <NavLink to={paths.organizations} className="header__link">
            {t('nav.organizations')}
          </NavLink>
          <NavLink to={paths.agenda} className="header__link">
            {t('nav.agenda')}
          </NavLink>
          <NavLink to={paths.upcomingDates} className="header__link">
            {t('nav.upcomingDates')}
          </NavLink>
          <NavLink to={paths.reports} className="header__link">
            {t('reports.title')}
          </NavLink>
        </nav>
        <div className="header__spacer" />
        {me.data && <LiveIndicator status={live} i18n={i18n} />}
        {me.data && <NotificationBell />}
        <GlobalSearch />
        <LanguageSwitch />
        <div className="segmented" role="group" aria-label={t('nav.irrUnit')}>
          {(['rial', 'toman'] as const).map((unit) => (
            <button key={unit} type="button" className="segmented__option" aria-pressed={irrUnit === unit} onClick={() => localeStore.setIrrUnit(unit)}>
              {t(`money.${unit}`)}
            </button>
          ))}
        </div>
        {me.data && (
          <div className="header__account">
            <span className="avatar avatar--large" aria-hidden="true">
              {initialsOf(name)}
            </span>
            <span className="header__who">
              <span className="header__name">{name}</span>
              <span className="header__workspace">{me.data.workspace.name}</span>
            </span>
            <Menu
              label={t('nav.account')}
              trigger={<span aria-hidden="true">▾</span>}
              items={[
                // An admin's settings live here rather than in the nav, which keeps the daily screens.
                ...(me.data.user.role === 'admin'
                  ? [
                      { label: t('nav.workspaceSettings'), onSelect: () => navigate(paths.workspaceSettings) },
                      { label: t('nav.members'), onSelect: () => navigate(paths.members) },
                      { label: t('nav.apiKeys'), onSelect: () => navigate(paths.apiKeys) },
                      { label: t('nav.auditLog'), onSelect: () => navigate(paths.auditLog) },
                      { label: t('nav.intake'), onSelect: () => navigate(paths.intake) },
                      { label: t('nav.lostReasons'), onSelect: () => navigate(paths.lostReasons) },
                      { label: t('nav.webhooks'), onSelect: () => navigate(paths.webhooks) },
                    ]
                  : []),
                { label: t('nav.notificationSettings'), onSelect: () => navigate(paths.accountNotifications) },
                // The email log holds what everyone wrote to every customer: admins and managers.
                ...(me.data.user.role !== 'member' ? [{ label: t('nav.emails'), onSelect: () => navigate(paths.emails) }] : []),
                // Custom fields are for admins and managers.
                ...(me.data.user.role !== 'member' ? [{ label: t('nav.customFields'), onSelect: () => navigate(paths.customFields) }] : []),
                // Automation rules are for admins and managers.
                ...(me.data.user.role !== 'member' ? [{ label: t('automations.title'), onSelect: () => navigate(paths.automations) }] : []),
                { label: t('nav.changePassword'), onSelect: () => navigate(paths.accountPassword) },
                {
                  label: t('nav.signOut'),
                  onSelect: () => signOut.mutate(undefined, { onSettled: () => navigate(paths.signIn, { replace: true }) }),
                },
              ]}
            />
          </div>
        )}
      </header>
      <Outlet />
    </div>
  );
}
