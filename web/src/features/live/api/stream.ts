import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';

/** A single-use ticket that opens the event stream once, within 30 seconds. */
export async function requestStreamTicket(): Promise<string> {
  return unwrap(await api.POST('/api/v1/stream/tickets')).ticket;
}
