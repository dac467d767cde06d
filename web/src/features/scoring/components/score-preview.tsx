import { DataTable } from '../../../components/data-table';
import { useI18n } from '../../../lib/i18n/use-i18n';
import type { ScoringPreview } from '../api/scoring';
import { signed } from './rule-editor';

interface ScorePreviewProps {
  preview: ScoringPreview | undefined;
  pending: boolean;
  failed: boolean;
}

/** The draft's effect on the inbox: how many scores change, and the best leads' scores before → after. */
export function ScorePreview({ preview, pending, failed }: ScorePreviewProps) {
  const { t, number, locale } = useI18n();
  return (
    <section className="settings__section scoring-preview" aria-labelledby="scoring-preview" aria-busy={pending || undefined} data-testid="scoring-preview">
      <h2 id="scoring-preview" className="section-title">
        {t('scoring.preview.title')}
      </h2>
      {failed && <p className="field__error">{t('scoring.preview.failed')}</p>}
      {!preview && !failed && <p className="muted">{t('scoring.preview.loading')}</p>}
      {preview && (
        <>
          <p data-testid="preview-summary">{t('scoring.preview.summary', { count: preview.changed, leads: number(preview.leads) })}</p>
          {preview.top.length > 0 && (
            <DataTable label={t('scoring.preview.tableLabel')} testId="preview-table">
              <thead>
                <tr>
                  <th scope="col">{t('scoring.preview.lead')}</th>
                  <th scope="col" className="scoring-preview__number">
                    {t('scoring.preview.now')}
                  </th>
                  <th scope="col" className="scoring-preview__number">
                    {t('scoring.preview.after')}
                  </th>
                  <th scope="col" className="scoring-preview__number">
                    {t('scoring.preview.change')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.top.map((lead) => (
                  <tr key={lead.lead_id} data-testid="preview-row" data-lead-id={lead.lead_id}>
                    <td dir="auto">{lead.name}</td>
                    <td className="scoring-preview__number">{number(lead.current_score)}</td>
                    <td className="scoring-preview__number">
                      <strong>{number(lead.new_score)}</strong>
                    </td>
                    <td className="scoring-preview__number">
                      {lead.new_score === lead.current_score ? (
                        <span className="muted">{t('scoring.preview.same')}</span>
                      ) : (
                        signed(lead.new_score - lead.current_score, number, locale)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
        </>
      )}
    </section>
  );
}
