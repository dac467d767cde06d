import { ApiError, readProblem } from '../api/api-error';
import { authFetch } from '../api/client';
import type { components } from '../api/schema';

export type ImportReport = components['schemas']['ImportReport'];

/** The API's CSV imports, each answering the same row-by-row report. */
export type ImportPath = '/api/v1/leads/import' | '/api/v1/contacts/import' | '/api/v1/organizations/import' | '/api/v1/products/import';

/**
 * Uploads a CSV file as it is (`text/csv`) with the column mapping, and answers the server's
 * row-by-row report. Sent through the same authenticated fetch as every call, not the typed
 * client, which has no way to send a file as the body; one wizard serves every import.
 */
export async function importCsv(path: ImportPath, file: Blob, mapping: string): Promise<ImportReport> {
  const url = new URL(path, window.location.origin);
  url.searchParams.set('mapping', mapping);
  const response = await authFetch(new Request(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file }));
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as ImportReport;
}
