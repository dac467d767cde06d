// The SPA's routes in one place, so features can link to each other's screens without importing them.
export const paths = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  newPipeline: '/pipelines/new',
  board: (pipelineId: string) => `/pipelines/${pipelineId}`,
  deal: (pipelineId: string, dealId: string) => `/pipelines/${pipelineId}/deals/${dealId}`,
  pipelineSettings: (pipelineId: string) => `/pipelines/${pipelineId}/settings`,
  leads: '/leads',
  agenda: '/agenda',
  lead: (leadId: string) => `/leads/${leadId}`,
  reports: '/reports',
  opportunities: '/opportunities',
  opportunity: (opportunityId: string) => `/opportunities/${opportunityId}`,
  workspaceSettings: '/settings/workspace',
  lostReasons: '/settings/lost-reasons',
  products: '/settings/products',
  documents: '/documents',
  quote: (quoteId: string) => `/documents/quotes/${quoteId}`,
  invoice: (invoiceId: string) => `/documents/invoices/${invoiceId}`,
  documentSettings: '/settings/documents',
  members: '/settings/members',
  apiKeys: '/settings/api-keys',
  auditLog: '/settings/audit-log',
  intake: '/settings/website-form',
  customFields: '/settings/custom-fields',
  scoringRules: '/settings/scoring',
  accountPassword: '/account/password',
  accountNotifications: '/account/notifications',
  webhooks: '/settings/webhooks',
  emails: '/settings/emails',
  webhook: (webhookId: string) => `/settings/webhooks/${webhookId}`,
  automations: '/settings/automations',
  newAutomation: '/settings/automations/new',
  automation: (automationId: string) => `/settings/automations/${automationId}`,
  contacts: '/contacts',
  contact: (contactId: string) => `/contacts/${contactId}`,
  organizations: '/organizations',
  organization: (organizationId: string) => `/organizations/${organizationId}`,
  upcomingDates: '/contacts/upcoming-dates',
  /** A pipeline's board with the new-deal form open, linked to a contact and/or an organization. */
  newDeal: (pipelineId: string, customer: NewDealCustomer) => {
    const query = new URLSearchParams({ [newDealParams.open]: '1' });
    if (customer.contactId) query.set(newDealParams.contact, customer.contactId);
    if (customer.organizationId) query.set(newDealParams.organization, customer.organizationId);
    return `/pipelines/${pipelineId}?${query.toString()}`;
  },
} as const;

export interface NewDealCustomer {
  contactId?: string | null;
  organizationId?: string | null;
}

/** The board's query parameters that open the new-deal form prefilled (see `paths.newDeal`). */
export const newDealParams = { open: 'new_deal', contact: 'contact', organization: 'organization' } as const;

/** Route patterns, for matching the current URL. */
export const patterns = {
  pipeline: '/pipelines/:pipelineId/*',
  deal: '/pipelines/:pipelineId/deals/:dealId',
  lead: '/leads/:leadId',
} as const;

const lastPipelineKey = 'kariz.last-pipeline';

/** The board a user last looked at, so "/" takes them back to it. */
export const lastPipeline = {
  get(): string | null {
    try {
      return localStorage.getItem(lastPipelineKey);
    } catch {
      return null;
    }
  },
  set(pipelineId: string) {
    try {
      localStorage.setItem(lastPipelineKey, pipelineId);
    } catch {
      // Private browsing without storage: the first pipeline will do.
    }
  },
};
