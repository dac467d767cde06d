import { type Locale, localeStore, locales } from '../../../lib/i18n/locale-store';
import { useI18n } from '../../../lib/i18n/use-i18n';

/** English ⇄ Persian; the choice is kept in this browser and flips the whole layout's direction. */
export function LanguageSwitch() {
  const { t, locale } = useI18n();
  return (
    <div className="segmented" role="group" aria-label={t('nav.language')}>
      {locales.map((option: Locale) => (
        <button
          key={option}
          type="button"
          className="segmented__option"
          aria-pressed={option === locale}
          lang={option}
          data-locale={option}
          onClick={() => localeStore.setLocale(option)}
        >
          {t(`languages.${option}`)}
        </button>
      ))}
    </div>
  );
}
