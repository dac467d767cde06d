import { useState } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { errorCode } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Pipeline } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useAutomations, useUpdateAutomation } from '../api/automations';
import { type Automation, describeTrigger } from '../utils/rule-form';
import './automations.css';

/** Finds a stage's name among the pipelines the app hands over. */
export function stageNamer(pipelines: Pipeline[]) {
  const names = new Map(pipelines.flatMap((pipeline) => pipeline.stages.map((stage) => [stage.id, stage.name] as const)));
  return (id: string) => names.get(id);
}

/** A member (not an admin or manager) may not see rules: the screens say so rather than fail. */
export function Forbidden({ i18n }: { i18n: I18n }) {
  const { t } = i18n;
  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{t('automations.title')}</h1>
      <FormAlert>{t('automations.forbidden')}</FormAlert>
    </main>
  );
}

/** The workspace's automation rules: what starts each, whether it runs, and a way to a new one. */
export function AutomationsScreen({ pipelines }: { pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const automations = useAutomations();
  useDocumentTitle(t('automations.title'));

  if (automations.isError && errorCode(automations.error) === 'forbidden') return <Forbidden i18n={i18n} />;

  return (
    <main className="page page--narrow" id="main">
      <div className="automation-header">
        <h1 className="page__title">{t('automations.title')}</h1>
        <Link className="button button--primary" to={paths.newAutomation}>
          {t('automations.new')}
        </Link>
      </div>
      <p className="page__intro">{t('automations.intro')}</p>
      {automations.isPending && <Skeleton className="skeleton--block" />}
      {automations.isError && <ErrorState title={t('automations.loadFailed')} error={automations.error} onRetry={() => void automations.refetch()} />}
      {automations.data && automations.data.length === 0 && <EmptyState title={t('automations.empty.title')} body={t('automations.empty.body')} />}
      {automations.data && automations.data.length > 0 && (
        <ul className="automation-list" data-testid="automation-list">
          {automations.data.map((automation) => (
            <AutomationRow key={automation.id} automation={automation} pipelines={pipelines} i18n={i18n} />
          ))}
        </ul>
      )}
    </main>
  );
}

function AutomationRow({ automation, pipelines, i18n }: { automation: Automation; pipelines: Pipeline[]; i18n: I18n }) {
  const { t } = i18n;
  const toggle = useUpdateAutomation();
  // The switch shows what was asked for while it is being saved, and what is stored otherwise.
  const [asked, setAsked] = useState<boolean | null>(null);
  const active = asked ?? automation.active;
  return (
    <li className="automation-row" data-testid="automation-row" data-active={automation.active}>
      <div className="automation-row__main">
        <Link to={paths.automation(automation.id)} className="automation-row__name">
          {automation.name}
        </Link>
        <p className="automation-row__meta">
          {describeTrigger(automation.trigger, t, stageNamer(pipelines))}
          {' · '}
          {t('automations.conditionCount', { count: automation.conditions.length })}
          {t('common.listSeparator')}
          {t('automations.actionCount', { count: automation.actions.length })}
        </p>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={active}
          aria-busy={toggle.isPending || undefined}
          onChange={(event) => {
            if (toggle.isPending) return;
            const wanted = event.target.checked;
            setAsked(wanted);
            toggle.mutate(
              { automation, changes: { active: wanted } },
              {
                onSuccess: () => toast.success(t(wanted ? 'automations.resumed' : 'automations.paused')),
                onError: (error) => toast.error(describeError(error, t)),
                onSettled: () => setAsked(null),
              },
            );
          }}
        />
        {active ? t('automations.status.active') : t('automations.status.paused')}
      </label>
    </li>
  );
}
