import { useMemo, useState } from 'react';
import { Button } from '../../../components/button';
import { ErrorState, Skeleton } from '../../../components/states';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { type ActivityLink, useActivities } from '../api/activities';
import type { ActivityMode } from '../utils/activity-form';
import { sortActivities } from '../utils/agenda';
import { ActivityForm } from './activity-form';
import { ActivityItem } from './activity-item';

/** A deal's or a lead's activities in its drawer: what is to do, what was done, and adding more. */
export function ActivitySection({ link }: { link: ActivityLink }) {
  const i18n = useI18n();
  const { t } = i18n;
  const activities = useActivities(link);
  const [adding, setAdding] = useState<ActivityMode | null>(null);
  const now = useMemo(() => new Date(), [activities.dataUpdatedAt]);
  const list = useMemo(() => sortActivities(activities.data?.data ?? []), [activities.data]);

  return (
    <section aria-labelledby="activities-title" data-testid="activity-section">
      <div className="lead-section__header">
        <h3 id="activities-title" className="subsection-title">
          {t('activities.section.title')}
        </h3>
        {!adding && (
          <div className="deal-actions">
            <Button size="sm" onClick={() => setAdding('task')}>
              {`+ ${t('activities.section.newTask')}`}
            </Button>
            <Button size="sm" onClick={() => setAdding('log')}>
              {t('activities.section.logActivity')}
            </Button>
          </div>
        )}
      </div>
      {adding && <ActivityForm key={adding} mode={adding} link={link} i18n={i18n} onDone={() => setAdding(null)} />}
      {activities.isPending && <Skeleton className="skeleton--block" />}
      {activities.isError && <ErrorState title={t('activities.section.loadFailed')} error={activities.error} onRetry={() => void activities.refetch()} />}
      {activities.data && list.length === 0 && <p className="muted">{t('activities.section.empty')}</p>}
      {list.length > 0 && (
        <ul className="activity-list">
          {list.map((activity) => (
            <ActivityItem key={activity.id} activity={activity} i18n={i18n} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
