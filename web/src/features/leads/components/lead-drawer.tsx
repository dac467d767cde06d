import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Lead, Pipeline } from '../../../lib/api/types';
import { useCustomFields } from '../../../lib/custom-fields/use-custom-fields';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { paths } from '../../../lib/paths';
import { useChangeLeadStatus, useLead, useLeadScore, useOpportunity } from '../api/leads';
import { DisqualifyLeadDialog } from './disqualify-lead-dialog';
import { LeadDuplicates } from './lead-duplicates';
import { LeadEditForm } from './lead-edit-form';
import { LeadPrivacy } from './lead-privacy';
import { reasonLabel, sourceLabel } from '../utils/lead-vocabulary';
import { LeadContact, LeadStatusBadge, ScoreBadge } from './lead-badges';
import { QualifyLeadDialog } from './qualify-lead-dialog';

interface LeadDrawerProps {
  leadId: string;
  pipelines: Pipeline[];
  i18n: I18n;
  onClose: () => void;
  /** What the app adds below the fields (the lead's activities), composed from another feature. */
  extra?: ((lead: Lead) => ReactNode) | undefined;
}

/**
 * The lead beside the inbox: its fields (and editing them), its likely duplicates (and merging
 * one in), why it has its score, qualify, disqualify or reopen, and its personal data (export,
 * and erasure for admins).
 */
export function LeadDrawer({ leadId, pipelines, i18n, onClose, extra }: LeadDrawerProps) {
  const { t } = i18n;
  const lead = useLead(leadId);
  return (
    <Dialog variant="drawer" title={lead.data?.name ?? t('leads.drawer.label')} label={t('leads.drawer.label')} onClose={onClose}>
      {lead.isPending && (
        <div aria-busy="true">
          <Skeleton className="skeleton--title" />
          <Skeleton className="skeleton--block" />
        </div>
      )}
      {lead.isError && <ErrorState title={t('leads.drawer.loadFailed')} error={lead.error} onRetry={() => void lead.refetch()} />}
      {lead.data && <LeadDetails key={lead.data.id} lead={lead.data} pipelines={pipelines} i18n={i18n} extra={extra} onClose={onClose} />}
    </Dialog>
  );
}

function LeadDetails({
  lead,
  pipelines,
  i18n,
  extra,
  onClose,
}: {
  lead: Lead;
  pipelines: Pipeline[];
  i18n: I18n;
  extra: LeadDrawerProps['extra'];
  onClose: () => void;
}) {
  const { t } = i18n;
  const change = useChangeLeadStatus();
  const [dialog, setDialog] = useState<'qualify' | 'disqualify' | null>(null);
  const [editing, setEditing] = useState(false);
  const open = lead.status === 'new' || lead.status === 'working';

  const reopen = () =>
    change.mutate(
      { lead, action: { kind: 'reopen' } },
      {
        onSuccess: (next) => toast.success(t('leads.drawer.reopened', { name: next.name })),
        onError: (error) => toast.error(t('leads.drawer.actionFailed', { name: lead.name, reason: describeError(error, t) })),
      },
    );

  return (
    <div className="lead-details" data-testid="lead-drawer" data-lead-id={lead.id} data-status={lead.status}>
      <div className="lead-summary">
        <p className="lead-summary__badges">
          <LeadStatusBadge status={lead.status} i18n={i18n} />
          <ScoreBadge score={lead.score} i18n={i18n} />
        </p>
        {lead.closed_at && lead.status === 'qualified' && <p className="muted">{t('leads.drawer.qualifiedOn', { date: i18n.date(lead.closed_at) })}</p>}
        {lead.closed_at && lead.status === 'disqualified' && <p className="muted">{t('leads.drawer.disqualifiedOn', { date: i18n.date(lead.closed_at) })}</p>}
        {lead.status === 'disqualified' && lead.disqualify_reason && (
          <p data-testid="disqualify-reason">{t('leads.drawer.reason', { reason: reasonLabel(lead.disqualify_reason, t) })}</p>
        )}
        {lead.status === 'disqualified' && lead.disqualify_note && (
          <p className="muted" dir="auto">
            {t('leads.drawer.note', { note: lead.disqualify_note })}
          </p>
        )}
      </div>

      {open && (
        <div className="deal-actions">
          <Button variant="primary" onClick={() => setDialog('qualify')}>
            {t('leads.drawer.qualify')}
          </Button>
          <Button variant="danger" onClick={() => setDialog('disqualify')}>
            {t('leads.drawer.disqualify')}
          </Button>
        </div>
      )}
      {lead.status === 'disqualified' && (
        <div className="deal-actions">
          <Button busy={change.isPending} onClick={reopen}>
            {t('leads.drawer.reopen')}
          </Button>
        </div>
      )}
      {lead.status === 'qualified' && lead.opportunity_id && <OpportunityLinks opportunityId={lead.opportunity_id} i18n={i18n} />}

      <section aria-labelledby="lead-details-title">
        <div className="lead-section__header">
          <h3 id="lead-details-title" className="subsection-title">
            {t('leads.edit.details')}
          </h3>
          {!editing && (
            <Button size="sm" onClick={() => setEditing(true)}>
              {t('leads.edit.edit')}
            </Button>
          )}
        </div>
        {editing ? <LeadEditForm lead={lead} i18n={i18n} onDone={() => setEditing(false)} /> : <LeadFields lead={lead} i18n={i18n} />}
      </section>
      {extra?.(lead)}
      <LeadDuplicates lead={lead} i18n={i18n} />
      <ScoreExplanation lead={lead} i18n={i18n} />
      <LeadPrivacy lead={lead} i18n={i18n} onErased={onClose} />

      {dialog === 'qualify' && (
        <QualifyLeadDialog
          lead={lead}
          pipelines={pipelines}
          i18n={i18n}
          onClose={() => setDialog(null)}
          onDone={(result) => {
            setDialog(null);
            toast.success(
              result.deal
                ? t('leads.qualify.qualifiedWithDeal', { name: result.lead.name, title: result.deal.title })
                : t('leads.qualify.qualified', { name: result.lead.name }),
            );
          }}
        />
      )}
      {dialog === 'disqualify' && (
        <DisqualifyLeadDialog
          lead={lead}
          i18n={i18n}
          onClose={() => setDialog(null)}
          onDone={(next) => {
            setDialog(null);
            toast.success(t('leads.disqualify.disqualified', { name: next.name }));
          }}
        />
      )}
    </div>
  );
}

/** What the lead became: its opportunity and a link to each of its deals on the board. */
function OpportunityLinks({ opportunityId, i18n }: { opportunityId: string; i18n: I18n }) {
  const { t } = i18n;
  const opportunity = useOpportunity(opportunityId);
  if (opportunity.isPending) return <Skeleton className="skeleton--line" />;
  if (opportunity.isError)
    return <ErrorState title={t('leads.drawer.opportunityFailed')} error={opportunity.error} onRetry={() => void opportunity.refetch()} />;
  const deals = opportunity.data.deals ?? [];
  return (
    <section className="lead-opportunity" data-testid="lead-opportunity">
      <p className="lead-opportunity__title" dir="auto">
        {t('leads.drawer.opportunity', { title: opportunity.data.title })}
      </p>
      {deals.length === 0 && <p className="muted">{t('leads.drawer.noDeal')}</p>}
      {deals.map((deal) => (
        <Link key={deal.id} className="button button--primary" to={paths.deal(deal.pipeline_id, deal.id)}>
          {t('leads.drawer.openDeal', { title: deal.title })}
        </Link>
      ))}
    </section>
  );
}

function LeadFields({ lead, i18n }: { lead: Lead; i18n: I18n }) {
  const { t } = i18n;
  const members = useMembers();
  const { definitions } = useCustomFields('lead');
  const owner = lead.owner_id
    ? members.isSuccess
      ? (members.byId.get(lead.owner_id)?.name ?? t('leads.drawer.unknownOwner'))
      : ''
    : t('leads.drawer.noOwner');
  const rows: [string, ReactNode][] = [];
  const add = (label: string, value: ReactNode) => {
    if (value !== null && value !== undefined && value !== '') rows.push([label, value]);
  };
  add(t('leads.columns.contact'), lead.phone || lead.email ? <LeadContact lead={lead} i18n={i18n} /> : null);
  add(t('leads.fields.company'), lead.company);
  add(t('leads.fields.jobTitle'), lead.job_title);
  add(t('leads.fields.source'), sourceLabel(lead.source, t));
  add(t('leads.fields.campaign'), lead.campaign);
  add(t('leads.fields.medium'), lead.medium);
  add(t('leads.fields.owner'), owner);
  add(t('leads.fields.tags'), lead.tags.length > 0 ? lead.tags.join(t('common.listSeparator')) : null);
  add(t('leads.fields.created'), i18n.date(lead.created_at));
  add(t('leads.fields.submissions'), i18n.number(lead.submissions));
  add(t('leads.fields.notes'), lead.notes);
  for (const definition of definitions) {
    const value: unknown = lead.custom_fields[definition.key];
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'boolean') add(definition.label, value ? t('leads.drawer.yes') : t('leads.drawer.no'));
    else if (definition.kind === 'date' && typeof value === 'string') add(definition.label, i18n.date(value));
    else if (typeof value === 'number') add(definition.label, i18n.number(value));
    else add(definition.label, String(value));
  }
  return (
    <dl className="field-list" data-testid="lead-fields">
      {rows.map(([label, value]) => (
        <div key={label} className="field-list__row">
          <dt>{label}</dt>
          <dd>{typeof value === 'string' ? <bdi>{value}</bdi> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Every scoring rule that fired for the lead, with its points, and the total. */
function ScoreExplanation({ lead, i18n }: { lead: Lead; i18n: I18n }) {
  const { t } = i18n;
  const score = useLeadScore(lead);
  const points = (value: number) => (value > 0 ? `+${i18n.number(value)}` : i18n.number(value));
  return (
    <section aria-labelledby="score-title">
      <h3 id="score-title" className="subsection-title">
        {t('leads.drawer.scoreTitle')}
      </h3>
      {score.isPending && <Skeleton className="skeleton--block" />}
      {score.isError && <ErrorState title={t('leads.drawer.scoreFailed')} error={score.error} onRetry={() => void score.refetch()} />}
      {score.data && score.data.rules.length === 0 && <p className="muted">{t('leads.drawer.scoreEmpty')}</p>}
      {score.data && score.data.rules.length > 0 && (
        <ol className="score-rules" data-testid="score-rules">
          {score.data.rules.map((rule) => (
            <li key={rule.rule_id} className="score-rules__rule">
              <span dir="auto">{rule.name}</span>
              <span className={`score-rules__points ${rule.points < 0 ? 'score-rules__points--negative' : ''}`} dir="ltr">
                {points(rule.points)}
              </span>
            </li>
          ))}
          <li className="score-rules__rule score-rules__total">
            <span>{t('leads.drawer.total')}</span>
            <span className="score-rules__points">{i18n.number(score.data.score)}</span>
          </li>
        </ol>
      )}
    </section>
  );
}
