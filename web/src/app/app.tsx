import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router';
import { CreatePipelineForm } from '../features/pipelines/components/create-pipeline-form';
import { ChangePasswordForm } from '../features/auth/components/change-password-form';
import { NotificationSettings } from '../features/notifications/components/notification-settings';
import { SignInForm } from '../features/auth/components/sign-in-form';
import { SignUpForm } from '../features/auth/components/sign-up-form';
import { ErrorBoundary } from '../components/error-boundary';
import { Toaster } from '../components/toast';
import { AppShell } from './app-shell';
import { PublicOnly, RequireSession } from './guards';
import {
  AgendaRoute,
  AutomationsRoute,
  BoardRoute,
  ContactRoute,
  ContactsRoute,
  EmailsRoute,
  HomeRoute,
  LeadsRoute,
  NotFoundRoute,
  OrganizationRoute,
  OrganizationsRoute,
  OpportunitiesRoute,
  ReportsRoute,
  SettingsRoute,
  UpcomingDatesRoute,
  WebhooksRoute,
  WorkspaceSettingsRoute,
  LostReasonsRoute,
  ProductsRoute,
  ScoringRoute,
  MembersRoute,
  ApiKeysRoute,
  AuditLogRoute,
  IntakeRoute,
  CustomFieldsRoute,
  DocumentsRoute,
  DocumentSettingsRoute,
} from './routes';

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <ErrorBoundary>
        <BrowserRouter>
          <Routes>
            <Route
              path="/sign-in"
              element={
                <PublicOnly>
                  <SignInForm />
                </PublicOnly>
              }
            />
            <Route
              path="/sign-up"
              element={
                <PublicOnly>
                  <SignUpForm />
                </PublicOnly>
              }
            />
            <Route
              element={
                <RequireSession>
                  <AppShell />
                </RequireSession>
              }
            >
              <Route index element={<HomeRoute />} />
              <Route path="pipelines/new" element={<CreatePipelineForm />} />
              <Route path="pipelines/:pipelineId/settings" element={<SettingsRoute />} />
              <Route path="pipelines/:pipelineId" element={<BoardRoute />} />
              <Route path="pipelines/:pipelineId/deals/:dealId" element={<BoardRoute />} />
              <Route path="leads" element={<LeadsRoute />} />
              <Route path="leads/:leadId" element={<LeadsRoute />} />
              <Route path="contacts" element={<ContactsRoute />} />
              <Route path="organizations" element={<OrganizationsRoute />} />
              <Route path="agenda" element={<AgendaRoute />} />
              <Route path="contacts/upcoming-dates" element={<UpcomingDatesRoute />} />
              <Route path="contacts/:contactId" element={<ContactRoute />} />
              <Route path="organizations/:organizationId" element={<OrganizationRoute />} />
              <Route path="reports" element={<ReportsRoute />} />
              <Route path="opportunities" element={<OpportunitiesRoute />} />
              <Route path="opportunities/:opportunityId" element={<OpportunitiesRoute />} />
              <Route path="settings/workspace" element={<WorkspaceSettingsRoute />} />
              <Route path="settings/lost-reasons" element={<LostReasonsRoute />} />
              <Route path="settings/products" element={<ProductsRoute />} />
              <Route path="settings/documents" element={<DocumentSettingsRoute />} />
              <Route path="documents" element={<DocumentsRoute />} />
              <Route path="documents/quotes/:quoteId" element={<DocumentsRoute />} />
              <Route path="documents/invoices/:invoiceId" element={<DocumentsRoute />} />
              <Route path="settings/members" element={<MembersRoute />} />
              <Route path="settings/api-keys" element={<ApiKeysRoute />} />
              <Route path="settings/audit-log" element={<AuditLogRoute />} />
              <Route path="settings/website-form" element={<IntakeRoute />} />
              <Route path="settings/custom-fields" element={<CustomFieldsRoute />} />
              <Route path="settings/scoring" element={<ScoringRoute />} />
              <Route path="account/password" element={<ChangePasswordForm />} />
              <Route path="account/notifications" element={<NotificationSettings />} />
              <Route path="settings/emails" element={<EmailsRoute />} />
              <Route path="settings/webhooks" element={<WebhooksRoute />} />
              <Route path="settings/webhooks/:webhookId" element={<WebhooksRoute />} />
              <Route path="settings/automations" element={<AutomationsRoute />} />
              <Route path="settings/automations/:automationId" element={<AutomationsRoute />} />
              <Route path="*" element={<NotFoundRoute />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </ErrorBoundary>
      <Toaster />
    </QueryClientProvider>
  );
}
