import { useId, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { Spinner } from '../../../components/states';
import { localizeDigits } from '../../../lib/format/digits';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { type CustomerKind, useCustomerName, useCustomerSearch } from '../api/customers';
import './customer-links.css';

interface CustomerPickerProps {
  kind: CustomerKind;
  /** The linked contact's or organization's id, or null. */
  value: string | null;
  onChange: (id: string | null) => void;
  i18n: I18n;
  busy?: boolean;
}

/**
 * The person or company a deal is with: the linked one's name (a link to their page) with
 * "Change" and "Remove", or a search among the workspace's contacts or organizations.
 */
export function CustomerPicker({ kind, value, onChange, i18n, busy = false }: CustomerPickerProps) {
  const { t } = i18n;
  const id = useId();
  const name = useCustomerName(kind, value);
  const [searching, setSearching] = useState(false);
  const [q, setQ] = useState('');
  const results = useCustomerSearch(kind, searching ? q : '');
  const label = t(kind === 'contact' ? 'customerPage.dealLinks.contact' : 'customerPage.dealLinks.organization');
  const href = value ? (kind === 'contact' ? paths.contact(value) : paths.organization(value)) : null;
  const shownName = name.data ?? (name.isError ? t('customerPage.dealLinks.unknown') : '');

  const choose = (next: string | null) => {
    setSearching(false);
    setQ('');
    onChange(next);
  };

  return (
    <div className="customer-picker" data-testid={`customer-picker-${kind}`}>
      <span className="field__label" id={`${id}-label`}>
        {label}
      </span>
      {!searching ? (
        <div className="customer-picker__current">
          {value && href ? (
            <Link to={href} dir="auto" className="customer-picker__name" data-testid="customer-link">
              {shownName || <Spinner label={t('common.loading')} />}
            </Link>
          ) : (
            <span className="muted">{t('customerPage.dealLinks.none')}</span>
          )}
          <Button size="sm" onClick={() => setSearching(true)} busy={busy} aria-describedby={`${id}-label`}>
            {value ? t('customerPage.dealLinks.change') : t('customerPage.dealLinks.choose')}
          </Button>
          {value && (
            <Button size="sm" variant="ghost" onClick={() => choose(null)} busy={busy} aria-describedby={`${id}-label`}>
              {t('customerPage.dealLinks.remove')}
            </Button>
          )}
        </div>
      ) : (
        <div className="customer-picker__search">
          <input
            className="input"
            type="search"
            value={q}
            autoFocus
            aria-labelledby={`${id}-label`}
            placeholder={t(kind === 'contact' ? 'customerPage.dealLinks.searchContacts' : 'customerPage.dealLinks.searchOrganizations')}
            onChange={(event) => setQ(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                // Escape leaves the search, not the drawer around it.
                event.preventDefault();
                event.stopPropagation();
                setSearching(false);
              }
            }}
            dir="auto"
          />
          {q.trim() !== '' && (
            <ul className="customer-picker__options" aria-label={t('customerPage.dealLinks.search', { kind: label })}>
              {results.isFetching && !results.data && <li className="muted">{t('customerPage.dealLinks.searching')}</li>}
              {results.data?.length === 0 && <li className="muted">{t('customerPage.dealLinks.noMatches')}</li>}
              {results.data?.map((option) => (
                <li key={option.id}>
                  <button type="button" className="customer-picker__option" onClick={() => choose(option.id)}>
                    <span dir="auto">{option.name}</span>
                    {option.detail && (
                      <span className="muted" dir="ltr">
                        {localizeDigits(option.detail, i18n.locale)}
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <Button size="sm" variant="ghost" onClick={() => setSearching(false)}>
            {t('common.cancel')}
          </Button>
        </div>
      )}
    </div>
  );
}
