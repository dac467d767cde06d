import { useMemo } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import type { Pipeline } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type CustomerKind, type TimelineEntry, useTimeline } from '../api/customer-page';
import { describeEntry, type EntryLabel, groupByDay, timeOfDay } from '../utils/timeline';

interface CustomerTimelineProps {
  kind: CustomerKind;
  id: string;
  pipelines: Pipeline[];
  i18n: I18n;
}

/** Everything about the customer, newest first, by day; older entries load on request. */
export function CustomerTimeline({ kind, id, pipelines, i18n }: CustomerTimelineProps) {
  const { t } = i18n;
  const timeline = useTimeline(kind, id);
  const stageNames = useMemo(() => new Map(pipelines.flatMap((pipeline) => pipeline.stages.map((stage) => [stage.id, stage.name] as const))), [pipelines]);
  const days = useMemo(() => groupByDay(timeline.data?.pages.flatMap((page) => page.data) ?? []), [timeline.data]);

  return (
    <section className="customer-panel customer-timeline" aria-labelledby="timeline-title" data-testid="timeline">
      <h2 id="timeline-title" className="section-title">
        {t('customerPage.timeline.title')}
      </h2>
      {timeline.isPending && <Skeleton className="skeleton--block" />}
      {timeline.isError && !timeline.data && (
        <ErrorState title={t('customerPage.timeline.loadFailed')} error={timeline.error} onRetry={() => void timeline.refetch()} />
      )}
      {timeline.data && days.length === 0 && <EmptyState title={t('customerPage.timeline.empty')} body={t('customerPage.timeline.emptyBody')} />}
      {days.map((day) => (
        <div key={day.day} className="timeline-day">
          <h3 className="timeline-day__title">{day.day ? i18n.date(day.day) : ''}</h3>
          <ol className="timeline-list">
            {day.entries.map((entry) => (
              <TimelineItem key={`${entry.kind}:${entry.id}`} entry={entry} stageNames={stageNames} i18n={i18n} />
            ))}
          </ol>
        </div>
      ))}
      {timeline.hasNextPage && (
        <div className="timeline__more">
          {timeline.isFetchNextPageError && <p className="muted">{t('customerPage.timeline.loadMoreFailed')}</p>}
          <Button busy={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>
            {timeline.isFetchingNextPage ? t('common.loading') : t('customerPage.timeline.loadMore')}
          </Button>
        </div>
      )}
    </section>
  );
}

function TimelineItem({ entry, stageNames, i18n }: { entry: TimelineEntry; stageNames: Map<string, string>; i18n: I18n }) {
  const view = describeEntry(entry);
  const text = labelText(view.label, stageNames, i18n);
  return (
    <li className={`timeline-entry timeline-entry--${view.tone}`} data-testid="timeline-entry" data-kind={entry.kind}>
      <span className="timeline-entry__icon" aria-hidden="true">
        {view.icon}
      </span>
      <div className="timeline-entry__body">
        <p className="timeline-entry__label">
          {view.link ? (
            <Link to={view.link.href} dir="auto">
              {text}
            </Link>
          ) : (
            <span dir="auto">{text}</span>
          )}
        </p>
        {view.detail && (
          <p className="timeline-entry__detail" dir="auto">
            {view.detail}
          </p>
        )}
      </div>
      <time className="timeline-entry__time muted" dateTime={entry.at} title={i18n.dateTime(entry.at)}>
        {timeOfDay(entry.at, i18n.locale)}
      </time>
    </li>
  );
}

/** The sentence naming an entry, in the page's language. */
function labelText(label: EntryLabel, stageNames: Map<string, string>, { t }: I18n): string {
  switch (label.key) {
    case 'dealOpened':
      return t('customerPage.timeline.entry.dealOpened', { title: label.title });
    case 'dealWon':
      return t('customerPage.timeline.entry.dealWon', { title: label.title });
    case 'dealLost':
      return t('customerPage.timeline.entry.dealLost', { title: label.title });
    case 'dealMoved': {
      const stage = label.stageId ? stageNames.get(label.stageId) : undefined;
      return stage
        ? t('customerPage.timeline.entry.dealMovedTo', { title: label.title, stage })
        : t('customerPage.timeline.entry.dealMoved', { title: label.title });
    }
    case 'activity':
      return t('customerPage.timeline.entry.activity', { kind: t(`activities.kinds.${label.kind}`), subject: label.subject });
    case 'note':
      return t('customerPage.timeline.entry.note', { subject: label.subject });
    case 'attachment':
      return t('customerPage.timeline.entry.attachment', { name: label.fileName });
    case 'leadCaptured':
      return t('customerPage.timeline.entry.leadCaptured', { name: label.name });
    case 'leadQualified':
      return t('customerPage.timeline.entry.leadQualified', { name: label.name });
    case 'email':
      return t('customerPage.timeline.entry.email', { subject: label.subject, status: t(`customerPage.timeline.emailStatus.${label.status}`) });
  }
}
