import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/api-error';
import { makeApiError } from '../../../testing/factories';
import { workspaceChoices } from './workspace-choice';

const workspaces = [
  { id: '0190a0c2-0000-7000-8000-000000000001', name: 'Pars Trading' },
  { id: '0190a0c2-0000-7000-8000-000000000002', name: 'کاسپین' },
];

describe('workspaceChoices', () => {
  it('lists the workspaces of a workspace_choice_required answer, in its order', () => {
    expect(workspaceChoices(makeApiError('workspace_choice_required', { workspaces }))).toEqual(workspaces);
  });

  it('is null for every other outcome', () => {
    expect(workspaceChoices(makeApiError('credentials_refused'))).toBeNull();
    expect(workspaceChoices(makeApiError('rate_limited'))).toBeNull();
    // Another 409 with a list is still not a choice; nor is the code without one.
    expect(workspaceChoices(makeApiError('email_taken', { workspaces }))).toBeNull();
    expect(workspaceChoices(makeApiError('workspace_choice_required'))).toBeNull();
    expect(workspaceChoices(new ApiError(0, null))).toBeNull();
    expect(workspaceChoices(new Error('offline'))).toBeNull();
    expect(workspaceChoices(null)).toBeNull();
  });
});
