import { Link } from 'react-router';
import { EmptyState } from '../../../components/states';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';

export function PipelinesEmptyState() {
  const { t } = useI18n();
  return (
    <main className="page" id="main">
      <EmptyState
        title={t('pipelines.empty.title')}
        body={t('pipelines.empty.body')}
        action={
          <Link className="button button--primary" to={paths.newPipeline}>
            {t('pipelines.empty.action')}
          </Link>
        }
      />
    </main>
  );
}
