// Data set up through the API (the UI is tested elsewhere): a workspace, a pipeline and deals.
import { signUpWorkspace } from './api.mjs';
import { uniqueEmail } from './board.mjs';

/**
 * @param {string} baseUrl
 * @param {{ currency?: string, stages?: { name: string, probability: number, rotting_days?: number | null }[], deals?: ({ title: string, stage?: number } & Record<string, unknown>)[] }} [options]
 */
export async function workspaceWithPipeline(baseUrl, options = {}) {
  const currency = options.currency ?? 'USD';
  const { pair, api } = await signUpWorkspace(baseUrl, { email: uniqueEmail(), currency, name: 'Sara Ahmadi', workspace: 'Pars Trading' });
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
