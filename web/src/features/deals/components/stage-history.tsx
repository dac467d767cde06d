import { ErrorState, Skeleton } from '../../../components/states';
import type { Stage, User } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useDealHistory } from '../api/deals';

/** Every stage the deal entered, newest first, as a timeline. */
export function StageHistory({ dealId, stages, members, i18n }: { dealId: string; stages: Stage[]; members: Map<string, User>; i18n: I18n }) {
  const { t } = i18n;
  const history = useDealHistory(dealId);
  const stageName = (id: string | null | undefined) => stages.find((stage) => stage.id === id)?.name ?? t('deal.history.deletedStage');

  return (
    <section className="history" aria-labelledby="history-title">
      <h3 id="history-title" className="subsection-title">
        {t('deal.history.title')}
      </h3>
      {history.isPending && <Skeleton className="skeleton--block" />}
      {history.isError && <ErrorState title={t('deal.history.loadFailed')} error={history.error} onRetry={() => void history.refetch()} />}
      {history.data && history.data.length === 0 && <p className="muted">{t('deal.history.empty')}</p>}
      {history.data && history.data.length > 0 && (
        <ol className="timeline" data-testid="stage-history">
          {[...history.data].reverse().map((entry) => {
            const actor = entry.actor_id ? members.get(entry.actor_id)?.name : undefined;
            return (
              <li key={entry.id} className="timeline__item">
                <span className="timeline__dot" aria-hidden="true" />
                <p className="timeline__text">
                  {entry.from_stage_id
                    ? t('deal.history.moved', { from: stageName(entry.from_stage_id), to: stageName(entry.to_stage_id) })
                    : t('deal.history.created', { stage: stageName(entry.to_stage_id) })}
                  {actor && <span className="timeline__actor"> {t('deal.history.by', { name: actor })}</span>}
                </p>
                <time className="timeline__time" dateTime={entry.entered_at}>
                  {i18n.dateTime(entry.entered_at)}
                </time>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
