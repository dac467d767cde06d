import { type FormEvent, type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { AmountField } from '../../../components/amount-field';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { ErrorState, Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { fieldErrorMap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Deal, Opportunity, Pipeline } from '../../../lib/api/types';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useAddOpportunityDeal, useOpportunity } from '../api/opportunities';
import { type AddDealField, type AddDealValues, parseAddDeal } from '../utils/add-deal';
import { OpportunityStatus } from './opportunities-screen';
import './opportunities.css';

/** One opportunity: what the lead needed, its deals (each linking to its board) and a form for another deal. */
export function OpportunityPage({ opportunityId, pipelines }: { opportunityId: string; pipelines: Pipeline[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const opportunity = useOpportunity(opportunityId);
  useDocumentTitle(opportunity.data ? opportunity.data.title : t('opportunities.title'));

  return (
    <main className="page page--narrow opportunities" id="main" data-testid="opportunity-page">
      <Link to={paths.opportunities} className="back-link">
        {t('opportunities.back')}
      </Link>
      {opportunity.isPending && <Skeleton className="skeleton--block" />}
      {opportunity.isError && <ErrorState title={t('opportunities.loadOneFailed')} error={opportunity.error} onRetry={() => void opportunity.refetch()} />}
      {opportunity.data && (
        <>
          <div className="opportunity-page__head">
            <h1 className="page__title" dir="auto">
              {opportunity.data.title}
            </h1>
            <OpportunityStatus status={opportunity.data.status} i18n={i18n} />
          </div>
          <OpportunityFacts opportunity={opportunity.data} i18n={i18n} />
          <DealsSection deals={opportunity.data.deals ?? []} pipelines={pipelines} i18n={i18n} />
          <AddDealForm opportunityId={opportunityId} pipelines={pipelines} />
        </>
      )}
    </main>
  );
}

function OpportunityFacts({ opportunity, i18n }: { opportunity: Opportunity; i18n: I18n }) {
  const { t, money, date } = i18n;
  const { byId } = useMembers();
  const rows: [string, ReactNode][] = [[t('opportunities.owner'), byId.get(opportunity.owner_id)?.name ?? t('opportunities.unknownOwner')]];
  if (opportunity.need) rows.push([t('opportunities.need'), <bdi key="need">{opportunity.need}</bdi>]);
  if (opportunity.budget_minor != null && opportunity.budget_currency)
    rows.push([t('opportunities.budget'), money(opportunity.budget_minor, opportunity.budget_currency)]);
  if (opportunity.timeline) rows.push([t('opportunities.timeline'), <bdi key="timeline">{opportunity.timeline}</bdi>]);
  if (opportunity.decision_maker) rows.push([t('opportunities.decisionMaker'), <bdi key="decision">{opportunity.decision_maker}</bdi>]);
  if (opportunity.contact_id)
    rows.push([
      t('opportunities.contact'),
      <Link key="contact" to={paths.contact(opportunity.contact_id)}>
        {t('opportunities.openContact')}
      </Link>,
    ]);
  if (opportunity.organization_id)
    rows.push([
      t('opportunities.organization'),
      <Link key="organization" to={paths.organization(opportunity.organization_id)}>
        {t('opportunities.openOrganization')}
      </Link>,
    ]);
  if (opportunity.lead_id)
    rows.push([
      t('opportunities.lead'),
      <Link key="lead" to={paths.lead(opportunity.lead_id)}>
        {t('opportunities.openLead')}
      </Link>,
    ]);
  rows.push([t('opportunities.created'), date(opportunity.created_at)]);
  return (
    <dl className="opportunity-facts" data-testid="opportunity-facts">
      {rows.map(([label, value]) => (
        <div key={label} className="opportunity-facts__row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function DealsSection({ deals, pipelines, i18n }: { deals: Deal[]; pipelines: Pipeline[]; i18n: I18n }) {
  const { t, money } = i18n;
  const stageName = (deal: Deal) => pipelines.find((pipeline) => pipeline.id === deal.pipeline_id)?.stages.find((stage) => stage.id === deal.stage_id)?.name;
  return (
    <section className="settings__section" aria-labelledby="opportunity-deals">
      <h2 id="opportunity-deals" className="section-title">
        {t('opportunities.deals')}
      </h2>
      {deals.length === 0 && <p className="muted">{t('opportunities.noDeals')}</p>}
      <ul className="opportunity-deals">
        {deals.map((deal) => (
          <li key={deal.id} className="opportunity-deal" data-testid="opportunity-deal">
            <Link to={paths.deal(deal.pipeline_id, deal.id)} className="opportunity-deal__title" dir="auto">
              {deal.title}
            </Link>
            <span className="opportunity-deal__amount">{money(deal.amount_minor, deal.currency)}</span>
            <span className="muted opportunity-deal__where">
              <span className={`badge badge--${deal.status}`}>{t(`opportunities.dealStatus.${deal.status}`)}</span>
              {deal.status === 'open' && stageName(deal) && <bdi>{stageName(deal)}</bdi>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AddDealForm({ opportunityId, pipelines }: { opportunityId: string; pipelines: Pipeline[] }) {
  const { t, irrUnit, moneyUnit } = useI18n();
  const add = useAddOpportunityDeal(opportunityId);
  const empty: AddDealValues = { title: '', pipelineId: pipelines[0]?.id ?? '', amount: '', closeDate: '' };
  const [values, setValues] = useState(empty);
  const [invalid, setInvalid] = useState<AddDealField[]>([]);
  const errors = fieldErrorMap(add.error);
  const pipeline = pipelines.find((candidate) => candidate.id === values.pipelineId) ?? pipelines[0];
  const change = (patch: Partial<AddDealValues>) => setValues((current) => ({ ...current, ...patch }));
  const errorOf = (field: AddDealField) => (invalid.includes(field) ? t(`opportunities.invalid.${field}`) : errors[field]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseAddDeal(values, pipeline, { irrUnit });
    if ('invalid' in parsed) return setInvalid(parsed.invalid);
    setInvalid([]);
    add.mutate(parsed.input, {
      onSuccess: (deal) => {
        toast.success(t('opportunities.dealAdded', { title: deal.title }));
        setValues({ ...empty, pipelineId: values.pipelineId });
      },
    });
  };

  if (pipelines.length === 0) return <p className="muted">{t('opportunities.noPipeline')}</p>;
  return (
    <section className="settings__section" aria-labelledby="add-opportunity-deal">
      <h2 id="add-opportunity-deal" className="section-title">
        {t('opportunities.addDeal')}
      </h2>
      <form className="form opportunity-add" onSubmit={submit} noValidate data-testid="opportunity-add-deal">
        {add.error && Object.keys(errors).length === 0 && <FormAlert>{describeError(add.error, t)}</FormAlert>}
        <TextField
          label={t('opportunities.dealTitle')}
          name="title"
          dir="auto"
          value={values.title}
          onChange={(event) => change({ title: event.target.value })}
          error={errorOf('title')}
        />
        <SelectField
          label={t('opportunities.pipeline')}
          name="pipeline"
          value={pipeline?.id ?? ''}
          onChange={(event) => change({ pipelineId: event.target.value })}
        >
          {pipelines.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </SelectField>
        <div className="form__row">
          <AmountField
            label={t('opportunities.amount', { unit: pipeline ? moneyUnit(pipeline.currency) : '' })}
            name="amount"
            value={values.amount}
            onChange={(amount) => change({ amount })}
            error={errorOf('amount_minor')}
          />
          <DateField
            label={t('opportunities.expectedClose')}
            name="expected_close_date"
            value={values.closeDate}
            onChange={(closeDate) => change({ closeDate })}
            error={errorOf('expected_close_date')}
          />
        </div>
        <div className="form__actions form__actions--start">
          <Button type="submit" variant="primary" busy={add.isPending}>
            {t('opportunities.addDealSubmit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
