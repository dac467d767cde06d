import { localeStore } from '../lib/i18n/locale-store';
import { useI18n } from '../lib/i18n/use-i18n';

/** Rial ⇄ Toman: how Iranian amounts are shown, kept in this browser. */
export function IrrUnitSwitch() {
  const { t, irrUnit } = useI18n();
  return (
    <div className="segmented" role="group" aria-label={t('nav.irrUnit')}>
      {(['rial', 'toman'] as const).map((unit) => (
        <button key={unit} type="button" className="segmented__option" aria-pressed={irrUnit === unit} onClick={() => localeStore.setIrrUnit(unit)}>
          {t(`money.${unit}`)}
        </button>
      ))}
    </div>
  );
}
