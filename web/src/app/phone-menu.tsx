import { useEffect, useState } from 'react';
import { NavLink, useLocation } from 'react-router';
import { Dialog } from '../components/dialog';
import type { MenuItem } from '../components/menu';
import { LanguageSwitch } from '../features/auth/components/language-switch';
import { GlobalSearch } from '../features/search/components/global-search';
import { useI18n } from '../lib/i18n/use-i18n';
import { IrrUnitSwitch } from './irr-unit-switch';
import './phone-menu.css';

export interface NavEntry {
  to: string;
  label: string;
}

interface PhoneMenuProps {
  nav: NavEntry[];
  /** The account menu's entries (settings, sign out); empty when signed out. */
  account: MenuItem[];
  /** Who is signed in, and to which workspace. */
  who: { name: string; workspace: string } | null;
}

/**
 * Below 1380 px the header keeps the brand, the pipeline, its links (above 860 px), the bell and
 * this menu button; the button opens a panel with everything: search, every screen, the language
 * and Rial/Toman switches, the account's entries and sign out (full-screen on a phone, as every
 * drawer). Hidden by CSS on wider screens, where the header shows them all.
 */
export function PhoneMenu({ nav, account, who }: PhoneMenuProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  // Going to another screen (a link, a search hit) closes the panel.
  useEffect(() => setOpen(false), [location.pathname]);

  return (
    <>
      <button
        type="button"
        className="icon-button header__menu-button"
        aria-label={t('nav.menu')}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
        data-testid="phone-menu-button"
      >
        <span aria-hidden="true">☰</span>
      </button>
      {open && (
        <Dialog title={t('nav.menu')} variant="drawer" className="phone-menu" onClose={() => setOpen(false)}>
          <div className="phone-menu__content" data-testid="phone-menu">
            <GlobalSearch />
            <nav aria-label={t('nav.main')} className="phone-menu__section">
              {nav.map((entry) => (
                <NavLink key={entry.to} to={entry.to} className="phone-menu__item" onClick={() => setOpen(false)}>
                  {entry.label}
                </NavLink>
              ))}
            </nav>
            <div className="phone-menu__section phone-menu__switches">
              <LanguageSwitch />
              <IrrUnitSwitch />
            </div>
            {who && (
              <div className="phone-menu__section" role="group" aria-label={t('nav.account')}>
                <p className="phone-menu__who">
                  <span className="header__name">{who.name}</span>
                  <span className="header__workspace">{who.workspace}</span>
                </p>
                {account.map((item) => (
                  <button
                    key={item.label}
                    type="button"
                    className={`phone-menu__item ${item.danger ? 'menu__item--danger' : ''}`}
                    onClick={() => {
                      setOpen(false);
                      item.onSelect();
                    }}
                  >
                    {item.label}
                  </button>
                ))}
              </div>
            )}
          </div>
        </Dialog>
      )}
    </>
  );
}
