import { useMemo } from 'react';
import { ImportWizardDialog } from '../../../components/import-wizard';
import { useCustomFields } from '../../../lib/custom-fields/use-custom-fields';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { importPaths, useRefreshAfterImport } from '../api/customer-import';
import { importFields } from '../utils/import-fields';
import type { CustomerEntity } from '../utils/list-filters';

/** The import wizard for contacts or organizations, with their fields and custom fields. */
export function CustomerImportDialog({ entity, onClose }: { entity: CustomerEntity; onClose: () => void }) {
  const { t } = useI18n();
  const group = entity === 'contact' ? 'contacts' : 'organizations';
  const { definitions, isPending } = useCustomFields(entity);
  const fields = useMemo(() => importFields(entity, definitions), [entity, definitions]);
  const refresh = useRefreshAfterImport(entity);
  // A file read before the custom fields arrive would leave their columns unmatched.
  if (isPending) return null;
  return (
    <ImportWizardDialog
      title={t(`customers.import.title.${group}`)}
      uploadHint={t(`customers.import.uploadHint.${group}`)}
      fields={fields}
      builtInLabel={(field) => t(`customers.import.fields.${field as 'name'}`)}
      path={importPaths[entity]}
      reportName={`${entity}-import-report.csv`}
      onImported={refresh}
      onClose={onClose}
    />
  );
}
