import { useNavigate } from 'react-router';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { usePipelines } from '../api/pipelines';

/** Picks the board to show; lives in the app header. */
export function PipelineSwitcher({ currentId }: { currentId: string | undefined }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const pipelines = usePipelines();
  const list = pipelines.data ?? [];
  if (list.length === 0) return null;
  const known = list.some((pipeline) => pipeline.id === currentId);

  return (
    <label className="pipeline-switcher">
      <span className="visually-hidden">{t('nav.pipeline')}</span>
      <select
        className="input input--compact"
        value={known ? currentId : ''}
        onChange={(event) => {
          const id = event.target.value;
          navigate(id === 'new' ? paths.newPipeline : paths.board(id));
        }}
        data-testid="pipeline-switcher"
      >
        {!known && <option value="">{t('nav.pipeline')}</option>}
        {list.map((pipeline) => (
          <option key={pipeline.id} value={pipeline.id}>
            {pipeline.name}
          </option>
        ))}
        <option value="new">{`+ ${t('nav.newPipeline')}`}</option>
      </select>
    </label>
  );
}
