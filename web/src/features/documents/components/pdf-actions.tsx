import { useId, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert } from '../../../components/field';
import { describeError } from '../../../lib/api/describe-error';
import type { Locale } from '../../../lib/api/types';
import { isOneOf, locales } from '../../../lib/api/vocabularies';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type PdfDocument, useDownloadPdf, usePreviewPdf } from '../api/pdf';

/** A document's PDF, in English or Persian (the language shown by default): preview it in a new tab, or download it. */
export function PdfActions({ document, i18n }: { document: PdfDocument; i18n: I18n }) {
  const { t } = i18n;
  const selectId = useId();
  const [locale, setLocale] = useState<Locale>(i18n.locale);
  const preview = usePreviewPdf();
  const download = useDownloadPdf();
  const failure = preview.error ?? download.error;

  const open = () => {
    download.reset();
    // Opened now, within the click; the PDF is put into it once read.
    const tab = window.open('', '_blank');
    preview.mutate({ document, locale, tab });
  };

  return (
    <div className="document-pdf" role="group" aria-label={t('documents.pdf.label')} data-testid="document-pdf">
      <label className="document-pdf__language" htmlFor={selectId}>
        <span>{t('documents.pdf.language')}</span>
        <select id={selectId} className="input" value={locale} onChange={(event) => isOneOf(locales, event.target.value) && setLocale(event.target.value)}>
          {locales.map((option) => (
            <option key={option} value={option} lang={option}>
              {t(`languages.${option}`)}
            </option>
          ))}
        </select>
      </label>
      <Button busy={preview.isPending} onClick={open}>
        {t('documents.pdf.preview')}
      </Button>
      <Button
        busy={download.isPending}
        onClick={() => {
          preview.reset();
          download.mutate({ document, locale });
        }}
      >
        {t('documents.pdf.download')}
      </Button>
      {failure != null && <FormAlert>{describeError(failure, t)}</FormAlert>}
    </div>
  );
}
