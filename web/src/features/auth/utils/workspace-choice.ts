import { errorCode, isApiError } from '../../../lib/api/api-error';
import type { WorkspaceChoice } from '../../../lib/api/types';

/**
 * The workspaces a sign-in must choose from, when the email and password opened accounts in
 * several (`workspace_choice_required`); null for any other outcome. Only workspaces whose
 * account the password opened are listed, so showing them reveals nothing the user did not prove.
 */
export function workspaceChoices(error: unknown): WorkspaceChoice[] | null {
  if (!isApiError(error) || errorCode(error) !== 'workspace_choice_required') return null;
  const workspaces = error.problem?.workspaces ?? [];
  return workspaces.length > 0 ? workspaces : null;
}
