import { useMemo } from 'react';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useAgenda, useSubjects } from '../api/activities';
import { agendaSections, openCount, subjectOf } from '../utils/agenda';
import { ActivityItem } from './activity-item';

/** The signed-in user's agenda: overdue, today and the next seven days, each soonest first. */
export function AgendaScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const agenda = useAgenda();
  useDocumentTitle(t('activities.agenda.title'));
  // One clock per render of the agenda, so that every entry's "in 2 hours" agrees.
  const now = useMemo(() => new Date(), [agenda.dataUpdatedAt]);
  const sections = agenda.data ? agendaSections(agenda.data) : [];
  const subjects = useMemo(() => {
    const seen = new Map<string, { kind: 'deal' | 'lead'; id: string }>();
    for (const section of sections)
      for (const item of section.items) {
        const subject = subjectOf(item);
        if (subject) seen.set(subject.id, subject);
      }
    return [...seen.values()];
  }, [agenda.data]);
  const names = useSubjects(subjects);

  return (
    <main className="page page--narrow agenda" id="main">
      <h1 className="page__title">{t('activities.agenda.title')}</h1>
      <p className="page__intro">{t('activities.agenda.intro')}</p>
      {agenda.isPending && (
        <div aria-busy="true">
          <span className="visually-hidden">{t('common.loading')}</span>
          <Skeleton className="skeleton--block" />
        </div>
      )}
      {agenda.isError && !agenda.data && <ErrorState title={t('activities.agenda.loadFailed')} error={agenda.error} onRetry={() => void agenda.refetch()} />}
      {agenda.data && (
        <>
          <p className="muted" data-testid="agenda-count" aria-live="polite">
            {t('activities.agenda.open', { count: openCount(agenda.data) })}
          </p>
          {sections.every((section) => section.items.length === 0) && <EmptyState title={t('activities.agenda.empty')} />}
          {sections.map(({ bucket, items }) => (
            <section
              key={bucket}
              className={`agenda__section agenda__section--${bucket}`}
              aria-labelledby={`agenda-${bucket}`}
              data-testid={`agenda-${bucket}`}
            >
              <h2 id={`agenda-${bucket}`} className="section-title">
                {t(`activities.agenda.${bucket}`)} <span className="agenda__count">{i18n.number(items.length)}</span>
              </h2>
              {items.length === 0 ? (
                <p className="muted">{t('activities.agenda.emptyBucket')}</p>
              ) : (
                <ul className="activity-list">
                  {items.map((item) => {
                    const subject = subjectOf(item);
                    return (
                      <ActivityItem
                        key={item.id}
                        activity={item}
                        i18n={i18n}
                        now={now}
                        about={subject ? { kind: subject.kind, subject: names.get(subject.id) } : undefined}
                      />
                    );
                  })}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
    </main>
  );
}
