// Generated from openapi/openapi.json by `npm run generate:api`; do not edit.
// The closed vocabularies of the API as values, for lists, pickers and runtime checks; their
// types are schema.d.ts's. A value the API adds appears here when the client is regenerated.
import type { components } from './schema';

type Schemas = components['schemas'];

/** Returns `values`, provided they are every member of `T` (a missing one does not compile). */
function every<T extends string | number>() {
  return <const V extends readonly T[]>(values: V & ([T] extends [V[number]] ? unknown : never)): V => values;
}

/** Whether `value` is one of `values`: for input from URLs, form fields and other servers. */
export function isOneOf<T extends string | number>(values: readonly T[], value: unknown): value is T {
  return (values as readonly unknown[]).includes(value);
}

/** How one item fared. (`components.schemas.BulkItemStatus`) */
export const bulkItemStatuses = every<Schemas['BulkItemStatus']>()(['ok', 'not_found', 'conflict', 'invalid', 'forbidden']);

/** The calendar a yearly date recurs in: a Jalali birthday comes round on its Jalali day. (`components.schemas.Calendar`) */
export const calendars = every<Schemas['Calendar']>()(['gregorian', 'jalali']);

/** How a custom-field condition compares. (`components.schemas.ComparisonDto`) */
export const comparisons = every<Schemas['ComparisonDto']>()(['equals', 'at_least', 'at_most', 'present']);

/** `components.schemas.DateKind` */
export const dateKinds = every<Schemas['DateKind']>()(['birthday', 'anniversary', 'founding', 'custom']);

/** `components.schemas.DealStatus` */
export const dealStatuses = every<Schemas['DealStatus']>()(['open', 'won', 'lost']);

/** Why a request failed: one stable name per cause. Decide by it, never by status alone. (`components.schemas.ErrorCode`) */
export const errorCodes = every<Schemas['ErrorCode']>()([
  'validation_failed',
  'required_fields_missing',
  'malformed_body',
  'bad_request',
  'invalid_cursor',
  'unauthenticated',
  'token_expired',
  'credentials_refused',
  'api_key_refused',
  'forbidden',
  'scope_missing',
  'self_change_forbidden',
  'not_found',
  'method_not_allowed',
  'deal_closed',
  'deal_open',
  'stage_in_other_pipeline',
  'neighbours_moved',
  'lead_qualified',
  'lead_disqualified',
  'lead_not_disqualified',
  'lead_status_needs_action',
  'activity_done',
  'activity_not_done',
  'note_is_not_a_task',
  'pipeline_has_deals',
  'stage_has_deals',
  'last_stage',
  'too_many_task_templates',
  'email_taken',
  'last_admin',
  'field_key_taken',
  'field_kind_unchangeable',
  'organization_name_taken',
  'lost_reason_in_use',
  'sku_taken',
  'product_in_use',
  'deal_has_documents',
  'quote_status',
  'quote_expired',
  'not_latest_revision',
  'quote_invoiced',
  'invoice_status',
  'invoice_has_payments',
  'no_lines',
  'batch_conflict',
  'idempotency_in_progress',
  'idempotency_not_repeatable',
  'workspace_choice_required',
  'version_mismatch',
  'version_required',
  'payload_too_large',
  'storage_quota_exceeded',
  'request_timeout',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
]);

/** A webhook event type. (`components.schemas.EventType`) */
export const eventTypes = every<Schemas['EventType']>()([
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
  'deal.reopened',
  'deal.deleted',
  'lead.created',
  'lead.updated',
  'lead.qualified',
  'lead.disqualified',
  'lead.deleted',
  'lead.erased',
  'opportunity.created',
  'contact.created',
  'contact.erased',
  'activity.created',
  'task.completed',
  'attachment.created',
  'attachment.deleted',
  'email.sent',
  'email.failed',
  'product.created',
  'product.updated',
  'product.deleted',
  'quote.created',
  'quote.sent',
  'quote.accepted',
  'quote.rejected',
  'quote.expired',
  'quote.superseded',
  'invoice.created',
  'invoice.issued',
  'invoice.paid',
  'invoice.voided',
  'invoice.deleted',
  'payment.recorded',
  'ping',
]);

/** Why one field was refused: every code a field error can carry, so that a client can word each in its language. `invalid` is the generic one, for a value of the wrong form. (`components.schemas.FieldCode`) */
export const fieldCodes = every<Schemas['FieldCode']>()([
  'required',
  'length',
  'too_long',
  'range',
  'invalid',
  'unique',
  'unknown',
  'type',
  'wrong',
  'unchanged',
  'reused',
  'inactive',
  'unknown_placeholder',
  'condition',
  'key',
  'options',
  'time_zone',
  'follows_lines',
  'exceeds_outstanding',
]);

/** `components.schemas.FunnelStep` */
export const funnelSteps = every<Schemas['FunnelStep']>()(['leads', 'qualified', 'opportunities', 'deals', 'won']);

/** A language the product speaks. (`components.schemas.Locale`) */
export const locales = every<Schemas['Locale']>()(['en', 'fa']);

/** `month`, `quarter` or `year`: how long a report's periods are. Quarters and years are the report's calendar's: on `jalali`, the year starts on 1 Farvardin (the Persian fiscal year). (`components.schemas.ReportInterval`) */
export const reportIntervals = every<Schemas['ReportInterval']>()(['month', 'quarter', 'year']);

/** `components.schemas.Role` */
export const roles = every<Schemas['Role']>()(['admin', 'manager', 'member']);

/** What a hit is. (`components.schemas.SearchHitType`) */
export const searchHitTypes = every<Schemas['SearchHitType']>()(['deal', 'lead', 'contact', 'organization']);

/** What happened to a deal: opened, moved to another stage, won or lost. (`components.schemas.TimelineDealAction`) */
export const timelineDealActions = every<Schemas['TimelineDealAction']>()(['opened', 'moved', 'won', 'lost']);

/** What happened to a lead: it came in, or it was qualified. (`components.schemas.TimelineLeadAction`) */
export const timelineLeadActions = every<Schemas['TimelineLeadAction']>()(['captured', 'qualified']);

/** `everyone`: every member sees every record. `owner_and_managers`: members see the records they own; managers and admins see all. Hidden records answer 404, as if they did not exist. (`components.schemas.Visibility`) */
export const visibilities = every<Schemas['Visibility']>()(['everyone', 'owner_and_managers']);

/** `components.schemas.DeliveryResponse.properties.status` */
export const deliveryStatuses = every<Schemas['DeliveryResponse']['status']>()(['pending', 'succeeded', 'failed']);

/** `components.schemas.LeadResponse.properties.status` */
export const leadStatuses = every<Schemas['LeadResponse']['status']>()(['new', 'working', 'qualified', 'disqualified']);

/** `components.schemas.LeadInput.properties.source` */
export const leadSources = every<Schemas['LeadResponse']['source']>()([
  'website',
  'social',
  'exhibition',
  'event',
  'email_campaign',
  'phone',
  'referral',
  'other',
]);

/** `components.schemas.DisqualifyLeadRequest.properties.reason` */
export const disqualifyReasons = every<Schemas['DisqualifyLeadRequest']['reason']>()([
  'no_budget',
  'no_need',
  'no_authority',
  'bad_timing',
  'wrong_contact',
  'unreachable',
  'competitor',
  'duplicate',
  'other',
]);

/** `components.schemas.ActivityResponse.properties.kind` */
export const activityKinds = every<Schemas['ActivityResponse']['kind']>()(['call', 'meeting', 'email', 'note', 'task']);

/** `components.schemas.ActivityResponse.properties.priority` */
export const activityPriorities = every<Schemas['ActivityResponse']['priority']>()(['low', 'normal', 'high']);

/** `components.schemas.CreateApiKeyRequest.properties.scopes.items` */
export const apiKeyScopes = every<Schemas['ApiKeyResponse']['scopes'][number]>()(['read', 'write', 'intake', 'admin']);

/** `components.schemas.CreateFieldDefinitionRequest.properties.entity` */
export const fieldEntities = every<Schemas['FieldDefinitionResponse']['entity']>()(['lead', 'contact', 'organization', 'deal']);

/** `components.schemas.CreateFieldDefinitionRequest.properties.kind` */
export const fieldKinds = every<Schemas['FieldDefinitionResponse']['kind']>()(['text', 'number', 'boolean', 'date', 'select']);

/** `components.schemas.QuoteResponse.properties.status` */
export const quoteStatuses = every<Schemas['QuoteResponse']['status']>()(['draft', 'sent', 'accepted', 'rejected', 'expired', 'superseded']);

/** `components.schemas.InvoiceResponse.properties.status` */
export const invoiceStatuses = every<Schemas['InvoiceResponse']['status']>()(['draft', 'issued', 'partially_paid', 'paid', 'void']);

/** `components.schemas.RecordPaymentRequest.properties.method` */
export const paymentMethods = every<Schemas['RecordPaymentRequest']['method']>()(['cash', 'card', 'bank_transfer', 'cheque', 'other']);

/** `components.schemas.DocumentSettingsResponse.properties.rial_display` */
export const rialDisplays = every<Schemas['DocumentSettingsResponse']['rial_display']>()(['rial', 'toman']);
