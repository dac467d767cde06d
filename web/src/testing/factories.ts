// Builders of typed API objects for unit tests only; the app never renders made-up data.
import { ApiError } from '../lib/api/api-error';
import { cardOf, cardWeightedAmount } from '../features/deals/utils/card';
import type { Board, BoardColumn, Card, Deal, ErrorCode, Lead, Problem, Stage } from '../lib/api/types';

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${String(++sequence).padStart(4, '0')}`;

export function makeStage(overrides: Partial<Stage> = {}): Stage {
  return {
    id: nextId('stage'),
    pipeline_id: 'pipeline-1',
    name: 'Stage',
    position: 0,
    probability: 50,
    rotting_days: null,
    required_fields: [],
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export function makeDeal(overrides: Partial<Deal> = {}): Deal {
  const amount = overrides.amount_minor ?? 1000;
  const probability = overrides.probability ?? 50;
  return {
    id: nextId('deal'),
    pipeline_id: 'pipeline-1',
    stage_id: 'stage-x',
    title: 'Deal',
    amount_minor: amount,
    currency: 'USD',
    probability,
    custom_probability: null,
    weighted_amount_minor: Math.round((amount * probability) / 100),
    expected_close_date: null,
    owner_id: 'user-1',
    status: 'open',
    lost_reason: null,
    lost_reason_id: null,
    closed_at: null,
    position: 'a0',
    stage_entered_at: '2026-01-01T00:00:00Z',
    tags: [],
    custom_fields: {},
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** A card of the board, as the board returns it: `makeDeal`'s deal projected. */
export function makeCard(overrides: Partial<Deal> = {}, next: Pick<Card, 'next_activity_at' | 'overdue'> | null = null): Card {
  return cardOf(makeDeal(overrides), next);
}

/** A board whose columns hold the given deals as cards; counts and totals are computed from them. */
export function makeBoard(columns: { stage: Stage; deals: (Deal | Card)[] }[]): Board {
  const built: BoardColumn[] = columns.map(({ stage, deals }) => {
    const placed = deals.map((deal) => ('pipeline_id' in deal ? cardOf(deal) : deal));
    const totals = new Map<string, { amount: number; weighted: number }>();
    for (const card of placed) {
      const total = totals.get(card.currency) ?? { amount: 0, weighted: 0 };
      total.amount += card.amount_minor;
      total.weighted += cardWeightedAmount(card, stage.probability);
      totals.set(card.currency, total);
    }
    return {
      stage,
      count: placed.length,
      totals: [...totals].map(([currency, total]) => ({ currency, amount_minor: total.amount, weighted_amount_minor: total.weighted })),
      deals: placed,
      next_cursor: null,
    };
  });
  return {
    pipeline: {
      id: 'pipeline-1',
      name: 'Pipeline',
      currency: 'USD',
      position: 0,
      archived: false,
      version: 1,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      stages: columns.map((column) => column.stage),
    },
    columns: built,
    contacts: [],
    organizations: [],
  };
}

export function makeLead(overrides: Partial<Lead> = {}): Lead {
  return {
    id: nextId('lead'),
    name: 'Lead',
    email: null,
    phone: null,
    company: null,
    job_title: null,
    source: 'other',
    campaign: null,
    medium: null,
    owner_id: null,
    status: 'new',
    disqualify_reason: null,
    disqualify_note: null,
    closed_at: null,
    score: 0,
    tags: [],
    notes: null,
    custom_fields: {},
    submissions: 1,
    opportunity_id: null,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** A failed call as the API answers it: the problem body with `code` and the matching status. */
export function makeApiError(code: ErrorCode, overrides: Partial<Problem> = {}): ApiError {
  const status = overrides.status ?? statusOf[code];
  return new ApiError(status, {
    type: `urn:kariz:problem:${code.replaceAll('_', '-')}`,
    code,
    title: 'Problem',
    status,
    detail: `the server says ${code}`,
    request_id: 'req-1234',
    ...overrides,
  });
}

// README.md's table of error codes: the status each code comes with.
const statusOf: Record<ErrorCode, number> = {
  validation_failed: 422,
  required_fields_missing: 422,
  malformed_body: 400,
  bad_request: 400,
  invalid_cursor: 400,
  unauthenticated: 401,
  token_expired: 401,
  credentials_refused: 401,
  api_key_refused: 401,
  forbidden: 403,
  scope_missing: 403,
  self_change_forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  deal_closed: 409,
  deal_open: 409,
  stage_in_other_pipeline: 409,
  neighbours_moved: 409,
  lead_qualified: 409,
  lead_disqualified: 409,
  lead_not_disqualified: 409,
  lead_status_needs_action: 409,
  activity_done: 409,
  activity_not_done: 409,
  note_is_not_a_task: 409,
  pipeline_has_deals: 409,
  stage_has_deals: 409,
  last_stage: 409,
  too_many_task_templates: 409,
  email_taken: 409,
  last_admin: 409,
  field_key_taken: 409,
  field_kind_unchangeable: 409,
  organization_name_taken: 409,
  lost_reason_in_use: 409,
  sku_taken: 409,
  product_in_use: 409,
  deal_has_documents: 409,
  quote_status: 409,
  quote_expired: 409,
  not_latest_revision: 409,
  quote_invoiced: 409,
  invoice_status: 409,
  invoice_has_payments: 409,
  no_lines: 409,
  batch_conflict: 409,
  idempotency_in_progress: 409,
  idempotency_not_repeatable: 409,
  workspace_choice_required: 409,
  version_mismatch: 412,
  version_required: 428,
  payload_too_large: 413,
  storage_quota_exceeded: 413,
  request_timeout: 408,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};
