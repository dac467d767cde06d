import { Link, NavLink, Outlet, useMatch, useNavigate } from 'react-router';
import { LanguageSwitch } from '../features/auth/components/language-switch';
import { useSignOut } from '../features/auth/api/auth';
import { LiveIndicator } from '../features/live/components/live-indicator';
import { NotificationBell } from '../features/notifications/components/notification-bell';
import { GlobalSearch } from '../features/search/components/global-search';
import { PipelineSwitcher } from '../features/pipelines/components/pipeline-switcher';
import { Menu, type MenuItem } from '../components/menu';
import { useI18n } from '../lib/i18n/use-i18n';
import { initialsOf } from '../lib/members/use-members';
import { paths, patterns } from '../lib/paths';
import { useMe } from '../lib/session/use-session';
import { IrrUnitSwitch } from './irr-unit-switch';
import { useLiveSync } from './live-sync';
import { type NavEntry, PhoneMenu } from './phone-menu';

/** The header every signed-in screen shares: brand, pipeline switcher, language and account. */
export function AppShell() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const pipelineId = useMatch(patterns.pipeline)?.params.pipelineId;
  const name = me.data?.user.name ?? '';
  // One event stream per tab, while signed in: the shell is mounted once for every signed-in screen.
  const live = useLiveSync(me.data?.user.id ?? null);

  // The same entries fill the header's links and account menu and, on a phone, the menu panel.
  const nav: NavEntry[] = [
    { to: paths.leads, label: t('nav.leads') },
    { to: paths.contacts, label: t('nav.contacts') },
    { to: paths.organizations, label: t('nav.organizations') },
    { to: paths.agenda, label: t('nav.agenda') },
    { to: paths.upcomingDates, label: t('nav.upcomingDates') },
    { to: paths.reports, label: t('reports.title') },
  ];
  const role = me.data?.user.role;
  const account: MenuItem[] = !me.data
    ? []
    : [
        // Opportunities are read less often than the leads and deals they link: here, which keeps
        // the header's links within 1440 px in both languages.
        { label: t('nav.opportunities'), onSelect: () => navigate(paths.opportunities) },
        // Quotes and invoices open from their deals' drawers too; the header has no room for a seventh link.
        { label: t('nav.documents'), onSelect: () => navigate(paths.documents) },
        // An admin's settings live here rather than in the nav, which keeps the daily screens.
        ...(role === 'admin'
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
        ...(role !== 'member' ? [{ label: t('nav.emails'), onSelect: () => navigate(paths.emails) }] : []),
        // Custom fields are for admins and managers.
        ...(role !== 'member' ? [{ label: t('nav.customFields'), onSelect: () => navigate(paths.customFields) }] : []),
        // The product catalogue is read by everyone (deal lines) and changed by admins and managers.
        ...(role !== 'member' ? [{ label: t('nav.products'), onSelect: () => navigate(paths.products) }] : []),
        // Everyone reads how documents are numbered and what they say; admins and managers change it.
        { label: t('nav.documentSettings'), onSelect: () => navigate(paths.documentSettings) },
        // Scoring rules are for admins and managers.
        ...(role !== 'member' ? [{ label: t('nav.scoring'), onSelect: () => navigate(paths.scoringRules) }] : []),
        // Automation rules are for admins and managers.
        ...(role !== 'member' ? [{ label: t('automations.title'), onSelect: () => navigate(paths.automations) }] : []),
        { label: t('nav.changePassword'), onSelect: () => navigate(paths.accountPassword) },
        {
          label: t('nav.signOut'),
          onSelect: () => signOut.mutate(undefined, { onSettled: () => navigate(paths.signIn, { replace: true }) }),
        },
      ];

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="header">
        <Link to={paths.home} className="header__brand" aria-label={t('app.name')}>
          <span className="brand-mark" aria-hidden="true" />
          <span>{t('app.name')}</span>
        </Link>
        <PipelineSwitcher currentId={pipelineId === 'new' ? undefined : pipelineId} />
        <nav className="header__nav" aria-label={t('nav.main')}>
          {nav.map((entry) => (
            <NavLink key={entry.to} to={entry.to} className="header__link">
              {entry.label}
            </NavLink>
          ))}
        </nav>
        <div className="header__spacer" />
        {me.data && <LiveIndicator status={live} i18n={i18n} />}
        {me.data && <NotificationBell />}
        <GlobalSearch />
        <LanguageSwitch />
        <IrrUnitSwitch />
        {me.data && (
          <div className="header__account">
            <span className="avatar avatar--large" aria-hidden="true">
              {initialsOf(name)}
            </span>
            <span className="header__who">
              <span className="header__name">{name}</span>
              <span className="header__workspace">{me.data.workspace.name}</span>
            </span>
            <Menu label={t('nav.account')} trigger={<span aria-hidden="true">▾</span>} items={account} />
          </div>
        )}
        <PhoneMenu nav={nav} account={account} who={me.data ? { name, workspace: me.data.workspace.name } : null} />
      </header>
      <Outlet />
    </div>
  );
}
