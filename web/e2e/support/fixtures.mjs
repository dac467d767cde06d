// Data set up through the API (the UI is tested elsewhere): a workspace, a pipeline and deals.
import { signUpWorkspace } from './api.mjs';
import { uniqueEmail } from './board.mjs';

/**
 * @param {string} baseUrl
 * @param {{ currency?: string, calendar?: 'gregorian' | 'jalali', stages?: { name: string, probability: number, rotting_days?: number | null }[], deals?: ({ title: string, stage?: number } & Record<string, unknown>)[] }} [options]
 */
export async function workspaceWithPipeline(baseUrl, options = {}) {
  const currency = options.currency ?? 'USD';
  const { pair, api } = await signUpWorkspace(baseUrl, { email: uniqueEmail(), currency, name: 'Sara Ahmadi', workspace: 'Pars Trading' });
  // Dates are typed on the workspace's calendar (Gregorian for a workspace made in English).
  if (options.calendar) await api.patch('/workspace', { calendar: options.calendar });
  const pipeline = await api.post('/pipelines', {
    name: 'New business',
    currency,
    stages: options.stages ?? [
      { name: 'Lead', probability: 10 },
      { name: 'Proposal', probability: 50 },
      { name: 'Negotiation', probability: 80 },
    ],
  });
  const deals = [];
  for (const { stage = 0, ...deal } of options.deals ?? []) {
    deals.push(await api.post('/deals', { pipeline_id: pipeline.id, stage_id: pipeline.stages[stage].id, ...deal }));
  }
  return { pair, api, pipeline, deals };
}

/**
 * A workspace with a pipeline (to qualify into), scoring rules and leads, each created through
 * the API; `status` moves a lead on afterwards (`working` by an edit, `disqualified` with a reason).
 * @param {string} baseUrl
 * @param {{ currency?: string, rules?: Record<string, unknown>[], leads: ({ name: string, status?: 'working' | 'disqualified' } & Record<string, unknown>)[] }} options
 */
export async function workspaceWithLeads(baseUrl, options) {
  const { pair, api, pipeline } = await workspaceWithPipeline(baseUrl, { currency: options.currency });
  if (options.rules) await api.put('/scoring-rules', { rules: options.rules });
  const leads = [];
  for (const { status, ...input } of options.leads) {
    let lead = await api.post('/leads', input);
    if (status === 'working') lead = await api.patch(`/leads/${lead.id}`, { status: 'working', version: lead.version });
    if (status === 'disqualified') lead = await api.post(`/leads/${lead.id}/disqualify`, { reason: 'no_budget' });
    leads.push(lead);
  }
  return { pair, api, pipeline, leads };
}

/**
 * Reorders a column behind the board's back, as someone else would: each deal, in the given
 * order, is moved to the end of the stage through the API.
 * @param {{ get: (path: string) => Promise<any>, post: (path: string, body: unknown, headers?: Record<string, string>) => Promise<any> }} api
 * @param {string} stageId
 * @param {{ id: string }[]} order
 */
export async function reorderColumn(api, stageId, order) {
  for (const { id } of order) {
    const current = await api.get(`/deals/${id}`);
    await api.post(`/deals/${id}/move`, { stage_id: stageId }, { 'If-Match': `"${current.version}"` });
  }
}
