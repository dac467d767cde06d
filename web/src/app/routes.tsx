import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { BulkSelection } from '../features/bulk/components/bulk-bar';
import { type BoardSelectionSlot, type BoardViewsSlot, BoardScreen } from '../features/deals/components/board-screen';
import type { LeadSelectionSlot, LeadViewsSlot } from '../features/leads/components/leads-screen';
import type { ContactSelectionSlot, CustomerViewsSlot } from '../features/customers/components/contacts-screen';
import { usePipelines } from '../features/pipelines/api/pipelines';
import { PipelinesEmptyState } from '../features/pipelines/components/pipelines-empty-state';
import { SavedViews } from '../features/views/components/saved-views';
import { EmptyState, ErrorState, Skeleton } from '../components/states';
import { useI18n } from '../lib/i18n/use-i18n';
import { useMembers } from '../lib/members/use-members';
import { lastPipeline, paths } from '../lib/paths';
import type { Deal, Lead, Stage } from '../lib/api/types';
import type { CustomerPageProps } from '../features/customer-page/components/customer-page';
import type { Customer } from '../features/customer-page/api/customer-page';

// Settings are visited rarely: they load on demand and stay out of the main bundle.
const PipelineSettings = lazy(() => import('../features/pipelines/components/pipeline-settings').then((module) => ({ default: module.PipelineSettings })));
const EmailsScreen = lazy(() => import('../features/emails/components/emails-screen').then((module) => ({ default: module.EmailsScreen })));
const WebhooksScreen = lazy(() => import('../features/webhooks/components/webhooks-screen').then((module) => ({ default: module.WebhooksScreen })));
const LeadsScreen = lazy(() => import('../features/leads/components/leads-screen').then((module) => ({ default: module.LeadsScreen })));
const AgendaScreen = lazy(() => import('../features/activities/components/agenda-screen').then((module) => ({ default: module.AgendaScreen })));
// A drawer's activities and a stage's follow-ups load when first shown, outside the main bundle.
const ActivitySection = lazy(() => import('../features/activities/components/activity-section').then((module) => ({ default: module.ActivitySection })));
const StageTaskTemplates = lazy(() =>
  import('../features/activities/components/stage-task-templates').then((module) => ({ default: module.StageTaskTemplates })),
);
const OpportunitiesScreen = lazy(() =>
  import('../features/opportunities/components/opportunities-screen').then((module) => ({ default: module.OpportunitiesScreen })),
);
const OpportunityPage = lazy(() => import('../features/opportunities/components/opportunity-page').then((module) => ({ default: module.OpportunityPage })));
const ReportsScreen = lazy(() => import('../features/reports/components/reports-screen').then((module) => ({ default: module.ReportsScreen })));
const ScoringScreen = lazy(() => import('../features/scoring/components/scoring-screen').then((module) => ({ default: module.ScoringScreen })));
const ProductsScreen = lazy(() => import('../features/products/components/products-screen').then((module) => ({ default: module.ProductsScreen })));
const LostReasonsScreen = lazy(() =>
  import('../features/lost-reasons/components/lost-reasons-screen').then((module) => ({ default: module.LostReasonsScreen })),
);
// The workspace's administration screens.
const MembersScreen = lazy(() => import('../features/members/components/members-screen').then((module) => ({ default: module.MembersScreen })));
const ApiKeysScreen = lazy(() => import('../features/api-keys/components/api-keys-screen').then((module) => ({ default: module.ApiKeysScreen })));
const AuditLogScreen = lazy(() => import('../features/audit-log/components/audit-log-screen').then((module) => ({ default: module.AuditLogScreen })));
const IntakeScreen = lazy(() => import('../features/api-keys/components/intake-screen').then((module) => ({ default: module.IntakeScreen })));
const ExchangeRates = lazy(() => import('../features/exchange-rates/components/exchange-rates').then((module) => ({ default: module.ExchangeRates })));
const CustomFieldsScreen = lazy(() =>
  import('../features/custom-fields/components/custom-fields-screen').then((module) => ({ default: module.CustomFieldsScreen })),
);
const WorkspaceSettings = lazy(() => import('../features/workspace/components/workspace-settings').then((module) => ({ default: module.WorkspaceSettings })));
const ContactsScreen = lazy(() => import('../features/customers/components/contacts-screen').then((module) => ({ default: module.ContactsScreen })));
const OrganizationsScreen = lazy(() =>
  import('../features/customers/components/organizations-screen').then((module) => ({ default: module.OrganizationsScreen })),
);
// A customer page's "Edit" and "Delete" and an organization's people come from the customers feature.
const CustomerRecordActions = lazy(() =>
  import('../features/customers/components/customer-actions').then((module) => ({ default: module.CustomerRecordActions })),
);
const OrganizationPeople = lazy(() =>
  import('../features/customers/components/organization-people').then((module) => ({ default: module.OrganizationPeople })),
);
const CustomerPage = lazy(() => import('../features/customer-page/components/customer-page').then((module) => ({ default: module.CustomerPage })));
const UpcomingDatesScreen = lazy(() =>
  import('../features/customer-page/components/upcoming-dates-screen').then((module) => ({ default: module.UpcomingDatesScreen })),
);
// A drawer's files load with it, outside the main bundle.
const AttachmentsSection = lazy(() =>
  import('../features/customer-page/components/attachments-section').then((module) => ({ default: module.AttachmentsSection })),
);
const SendEmailButton = lazy(() => import('../features/emails/components/send-email-button').then((module) => ({ default: module.SendEmailButton })));
const AutomationsScreen = lazy(() => import('../features/automations/components/automations-screen').then((module) => ({ default: module.AutomationsScreen })));
const AutomationDetail = lazy(() => import('../features/automations/components/automation-detail').then((module) => ({ default: module.AutomationDetail })));
const NewAutomation = lazy(() => import('../features/automations/components/automation-detail').then((module) => ({ default: module.NewAutomation })));
// Quotes and invoices: the drawer's section, the documents screen, a document's page, the settings.
const DealDocuments = lazy(() => import('../features/documents/components/deal-documents').then((module) => ({ default: module.DealDocuments })));
const DocumentsScreen = lazy(() => import('../features/documents/components/documents-screen').then((module) => ({ default: module.DocumentsScreen })));
const QuoteScreen = lazy(() => import('../features/documents/components/quote-screen').then((module) => ({ default: module.QuoteScreen })));
const InvoiceScreen = lazy(() => import('../features/documents/components/invoice-screen').then((module) => ({ default: module.InvoiceScreen })));
const DocumentSettingsScreen = lazy(() =>
  import('../features/documents/components/document-settings-screen').then((module) => ({ default: module.DocumentSettingsScreen })),
);
const WebhookDetail = lazy(() => import('../features/webhooks/components/webhook-detail').then((module) => ({ default: module.WebhookDetail })));

/** "/": the board the user last had open, or the first pipeline, or the invitation to create one. */
export function HomeRoute() {
  const { t } = useI18n();
  const pipelines = usePipelines();
  if (pipelines.isPending) {
    return (
      <main className="page" id="main" aria-busy="true">
        <Skeleton className="skeleton--title" />
      </main>
    );
  }
  if (pipelines.isError) {
    return (
      <main className="page" id="main">
        <ErrorState title={t('pipelines.loadFailed')} error={pipelines.error} onRetry={() => void pipelines.refetch()} />
      </main>
    );
  }
  const remembered = lastPipeline.get();
  const target = pipelines.data.find((pipeline) => pipeline.id === remembered) ?? pipelines.data[0];
  return target ? <Navigate to={paths.board(target.id)} replace /> : <PipelinesEmptyState />;
}

/** A drawer's activities and files, composed by the app: features do not import each other. */
function dealActivities(deal: Deal) {
  return (
    <Suspense fallback={<Skeleton className="skeleton--block" />}>
      <ActivitySection link={{ deal_id: deal.id }} />
      <AttachmentsSection link={{ deal_id: deal.id }} />
    </Suspense>
  );
}

/** A deal's quotes and invoices, under its line items in the drawer. */
function dealDocuments(deal: Deal) {
  return (
    <Suspense fallback={<Skeleton className="skeleton--block" />}>
      <DealDocuments deal={deal} />
    </Suspense>
  );
}

function leadActivities(lead: Lead) {
  return (
    <Suspense fallback={<Skeleton className="skeleton--block" />}>
      <ActivitySection link={{ lead_id: lead.id }} />
      <AttachmentsSection link={{ lead_id: lead.id }} />
    </Suspense>
  );
}

function stageTaskTemplates(stage: Stage) {
  return (
    <Suspense fallback={<Skeleton className="skeleton--line" />}>
      <StageTaskTemplates stage={stage} />
    </Suspense>
  );
}

/** The board's and the inbox's saved views, composed by the app: features do not import each other. */
function boardViews({ current, onApply }: BoardViewsSlot) {
  return <SavedViews entity="deals" current={current} onApply={onApply} />;
}

function leadViews({ current, onApply }: LeadViewsSlot) {
  return <SavedViews entity="leads" current={current} onApply={onApply} />;
}

/** Whom records can be assigned to: the active members. */
function useAssignees() {
  const { members } = useMembers();
  return useMemo(() => members.filter((member) => member.active).map((member) => ({ id: member.id, name: member.name })), [members]);
}

export function BoardRoute() {
  const { pipelineId = '' } = useParams();
  useEffect(() => lastPipeline.set(pipelineId), [pipelineId]);
  const assignees = useAssignees();
  const dealSelection = useCallback(
    ({ ids, stages, nameOf, versionOf, children }: BoardSelectionSlot) => (
      <BulkSelection
        entity="deals"
        ids={ids}
        context={{ actions: ['assign', 'tag', 'untag', 'move', 'delete'], members: assignees, stages, nameOf, versionOf }}
      >
        {children}
      </BulkSelection>
    ),
    [assignees],
  );
  return (
    <BoardScreen
      key={pipelineId}
      pipelineId={pipelineId}
      dealExtra={dealActivities}
      dealDocuments={dealDocuments}
      views={boardViews}
      selection={dealSelection}
    />
  );
}

function LazyScreen({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Suspense
      fallback={
        <main className="page page--narrow" id="main" aria-busy="true">
          <span className="visually-hidden">{t('common.loading')}</span>
          <Skeleton className="skeleton--title" />
        </main>
      }
    >
      {children}
    </Suspense>
  );
}

export function SettingsRoute() {
  const { pipelineId = '' } = useParams();
  return (
    <LazyScreen>
      <PipelineSettings key={pipelineId} pipelineId={pipelineId} stageExtra={stageTaskTemplates} />
    </LazyScreen>
  );
}

export function ProductsRoute() {
  return (
    <LazyScreen>
      <ProductsScreen />
    </LazyScreen>
  );
}

/** Quotes and invoices (`/documents`), and one quote's or invoice's page. */
export function DocumentsRoute() {
  const { quoteId, invoiceId } = useParams();
  let screen = <DocumentsScreen />;
  if (quoteId) screen = <QuoteScreen key={quoteId} quoteId={quoteId} />;
  else if (invoiceId) screen = <InvoiceScreen key={invoiceId} invoiceId={invoiceId} />;
  return <LazyScreen>{screen}</LazyScreen>;
}

export function DocumentSettingsRoute() {
  return (
    <LazyScreen>
      <DocumentSettingsScreen />
    </LazyScreen>
  );
}

export function LostReasonsRoute() {
  return (
    <LazyScreen>
      <LostReasonsScreen />
    </LazyScreen>
  );
}

export function ScoringRoute() {
  return (
    <LazyScreen>
      <ScoringScreen />
    </LazyScreen>
  );
}

export function MembersRoute() {
  return (
    <LazyScreen>
      <MembersScreen />
    </LazyScreen>
  );
}

export function ApiKeysRoute() {
  return (
    <LazyScreen>
      <ApiKeysScreen />
    </LazyScreen>
  );
}

export function AuditLogRoute() {
  return (
    <LazyScreen>
      <AuditLogScreen />
    </LazyScreen>
  );
}

/** Form keys (API keys that only send leads) and the web form to paste into a website. */
export function IntakeRoute() {
  return (
    <LazyScreen>
      <IntakeScreen />
    </LazyScreen>
  );
}

export function CustomFieldsRoute() {
  return (
    <LazyScreen>
      <CustomFieldsScreen />
    </LazyScreen>
  );
}

/** The workspace's settings, with the exchange rates its reports convert with below them. */
export function WorkspaceSettingsRoute() {
  return (
    <LazyScreen>
      <WorkspaceSettings extra={<ExchangeRates />} />
    </LazyScreen>
  );
}

/** The email log and templates (admins and managers). */
export function EmailsRoute() {
  return (
    <LazyScreen>
      <EmailsScreen />
    </LazyScreen>
  );
}

/** Webhooks name pipelines (their filter); the app hands the list over from the pipelines feature. */
export function WebhooksRoute() {
  const { webhookId } = useParams();
  const pipelines = usePipelines().data ?? [];
  return (
    <LazyScreen>
      {webhookId ? <WebhookDetail key={webhookId} webhookId={webhookId} pipelines={pipelines} /> : <WebhooksScreen pipelines={pipelines} />}
    </LazyScreen>
  );
}

/** Automation rules name stages and pipelines (triggers, conditions, actions); the app hands the list over. */
export function AutomationsRoute() {
  const { automationId } = useParams();
  const pipelines = usePipelines().data ?? [];
  let screen = <AutomationsScreen pipelines={pipelines} />;
  if (automationId === 'new') screen = <NewAutomation pipelines={pipelines} />;
  else if (automationId) screen = <AutomationDetail key={automationId} automationId={automationId} pipelines={pipelines} />;
  return <LazyScreen>{screen}</LazyScreen>;
}

/** The lead inbox; qualifying opens deals in a pipeline, so the app hands the list over. */
export function LeadsRoute() {
  const pipelines = usePipelines().data ?? [];
  const assignees = useAssignees();
  const leadSelection = useCallback(
    ({ ids, reasons, nameOf, versionOf, children }: LeadSelectionSlot) => (
      <BulkSelection
        entity="leads"
        ids={ids}
        context={{ actions: ['assign', 'tag', 'untag', 'disqualify', 'delete'], members: assignees, reasons, nameOf, versionOf }}
      >
        {children}
      </BulkSelection>
    ),
    [assignees],
  );
  return (
    <LazyScreen>
      <LeadsScreen pipelines={pipelines} leadExtra={leadActivities} views={leadViews} selection={leadSelection} />
    </LazyScreen>
  );
}

/** The signed-in user's agenda. */
export function AgendaRoute() {
  return (
    <LazyScreen>
      <AgendaScreen />
    </LazyScreen>
  );
}

/** The opportunities and one opportunity's page; adding a deal picks a pipeline, which the app hands over. */
export function OpportunitiesRoute() {
  const { opportunityId } = useParams();
  const pipelines = usePipelines().data ?? [];
  return (
    <LazyScreen>
      {opportunityId ? <OpportunityPage key={opportunityId} opportunityId={opportunityId} pipelines={pipelines} /> : <OpportunitiesScreen />}
    </LazyScreen>
  );
}

/** The reports dashboard; its pipeline filter lists the pipelines, which the app hands over. */
export function ReportsRoute() {
  const pipelines = usePipelines().data ?? [];
  return (
    <LazyScreen>
      <ReportsScreen pipelines={pipelines} />
    </LazyScreen>
  );
}

/** The contacts' and organizations' saved views, composed by the app. */
function contactViews({ current, onApply }: CustomerViewsSlot) {
  return <SavedViews entity="contacts" current={current} onApply={onApply} />;
}

function organizationViews({ current, onApply }: CustomerViewsSlot) {
  return <SavedViews entity="organizations" current={current} onApply={onApply} />;
}

/** The contacts list (its filters in the URL), with saved views, row checkboxes and bulk actions. */
export function ContactsRoute() {
  const assignees = useAssignees();
  const contactSelection = useCallback(
    ({ ids, nameOf, versionOf, children }: ContactSelectionSlot) => (
      <BulkSelection entity="contacts" ids={ids} context={{ actions: ['assign', 'tag', 'untag', 'delete'], members: assignees, nameOf, versionOf }}>
        {children}
      </BulkSelection>
    ),
    [assignees],
  );
  return (
    <LazyScreen>
      <ContactsScreen views={contactViews} selection={contactSelection} />
    </LazyScreen>
  );
}

/**
 * What the app adds to a customer's page from other features, by render props of `CustomerPage`:
 * `profileActions(customer)` beside the name (the customers feature's "Edit" and "Delete", and for a
 * contact with an address the emails feature's "Send email") and
 * `extraSections(customer)` in the main column (an organization's people), each loaded when first shown.
 */
const customerSlots: Pick<CustomerPageProps, 'profileActions' | 'extraSections'> = {
  profileActions: (customer: Customer) => (
    <Suspense fallback={null}>
      <CustomerRecordActions customer={customer} />
      {customer.kind === 'contact' && <SendEmailButton contactId={customer.record.id} email={customer.record.email} />}
    </Suspense>
  ),
  extraSections: (customer: Customer) =>
    customer.kind === 'organization' ? (
      <Suspense fallback={<Skeleton className="skeleton--block" />}>
        <OrganizationPeople organizationId={customer.record.id} />
      </Suspense>
    ) : null,
};

/** A contact's page: profile, key figures, notes and files, timeline. */
export function ContactRoute() {
  const { contactId = '' } = useParams();
  const pipelines = usePipelines().data ?? [];
  return (
    <LazyScreen>
      <CustomerPage key={contactId} kind="contact" id={contactId} pipelines={pipelines} {...customerSlots} />
    </LazyScreen>
  );
}

/** The organizations list (its filters in the URL), with saved views; organizations have no bulk actions. */
export function OrganizationsRoute() {
  return (
    <LazyScreen>
      <OrganizationsScreen views={organizationViews} />
    </LazyScreen>
  );
}

/** An organization's page, as a contact's. */
export function OrganizationRoute() {
  const { organizationId = '' } = useParams();
  const pipelines = usePipelines().data ?? [];
  return (
    <LazyScreen>
      <CustomerPage key={organizationId} kind="organization" id={organizationId} pipelines={pipelines} {...customerSlots} />
    </LazyScreen>
  );
}

/** The coming birthdays and other dates; "Start a deal" picks one of the pipelines the app hands over. */
export function UpcomingDatesRoute() {
  const pipelines = usePipelines().data ?? [];
  return (
    <LazyScreen>
      <UpcomingDatesScreen pipelines={pipelines} />
    </LazyScreen>
  );
}

export function NotFoundRoute() {
  const { t } = useI18n();
  return (
    <main className="page" id="main">
      <EmptyState
        title={t('notFound.title')}
        body={t('notFound.body')}
        action={
          <Link className="button button--primary" to={paths.home}>
            {t('notFound.action')}
          </Link>
        }
      />
    </main>
  );
}
