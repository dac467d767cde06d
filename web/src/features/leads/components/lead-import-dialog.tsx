import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ImportWizardDialog } from '../../../components/import-wizard';
import { useCustomFields } from '../../../lib/custom-fields/use-custom-fields';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type LeadImportColumn, leadImportFields } from '../utils/lead-import';

/** The import wizard for leads: their fields and custom fields; every inbox list is read again after it. */
export function LeadImportDialog({ i18n, onClose }: { i18n: I18n; onClose: () => void }) {
  const { t } = i18n;
  const queryClient = useQueryClient();
  const { definitions, isPending } = useCustomFields('lead');
  const fields = useMemo(() => leadImportFields(definitions), [definitions]);
  // A file read before the custom fields arrive would leave their columns unmatched.
  if (isPending) return null;
  return (
    <ImportWizardDialog
      title={t('leads.import.title')}
      uploadHint={t('leads.import.uploadHint')}
      fields={fields}
      builtInLabel={(field) => t(`leads.import.fields.${field as LeadImportColumn}`)}
      path="/api/v1/leads/import"
      reportName="lead-import-report.csv"
      onImported={() => void queryClient.invalidateQueries({ queryKey: ['leads'] })}
      onClose={onClose}
    />
  );
}
