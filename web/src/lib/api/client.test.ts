// The silent token refresh decides by the problem's code: a refused access token that a new one
// can cure is refreshed and the request replayed; a refused credential is not.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tokenStore } from '../session/token-store';
import { authFetch } from './client';
import type { ErrorCode } from './types';

function problemResponse(status: number, code: ErrorCode): Response {
  return new Response(JSON.stringify({ type: 'urn:kariz:problem:x', code, title: 'x', status, detail: code, request_id: 'r' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

const tokens = { access_token: 'fresh-access', expires_in: 900, token_type: 'Bearer' };

describe('authFetch', () => {
  let calls: string[];
  let answers: Response[];

  beforeEach(() => {
    calls = [];
    answers = [];
    tokenStore.set({ access_token: 'old-access', expires_in: 900 });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request | URL) => {
        const request = input instanceof Request ? input : new Request(input);
        calls.push(`${new URL(request.url).pathname} ${request.headers.get('authorization') ?? ''}`.trim());
        return answers.shift() ?? new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    tokenStore.clear();
  });

  it('refreshes once and replays the request when the access token expired', async () => {
    answers.push(problemResponse(401, 'token_expired'), new Response(JSON.stringify(tokens), { status: 200 }));
    const response = await authFetch(new Request('http://localhost/api/v1/me'));
    expect(response.status).toBe(200);
    expect(calls).toEqual(['/api/v1/me Bearer old-access', '/api/v1/auth/refresh', '/api/v1/me Bearer fresh-access']);
  });

  it('refreshes for an access token that is not valid any more', async () => {
    answers.push(problemResponse(401, 'unauthenticated'), new Response(JSON.stringify(tokens), { status: 200 }));
    expect((await authFetch(new Request('http://localhost/api/v1/me'))).status).toBe(200);
    expect(calls).toHaveLength(3);
  });

  it('does not refresh for a refused credential or a refusal of another kind', async () => {
    for (const [status, code] of [
      [401, 'api_key_refused'],
      [401, 'credentials_refused'],
      [403, 'forbidden'],
    ] as const) {
      calls = [];
      answers.push(problemResponse(status, code));
      expect((await authFetch(new Request('http://localhost/api/v1/me'))).status).toBe(status);
      expect(calls, code).toEqual(['/api/v1/me Bearer old-access']);
    }
  });

  it('ends the session when the refresh token is refused, and keeps it when the server is unavailable', async () => {
    answers.push(problemResponse(401, 'token_expired'), problemResponse(503, 'unavailable'));
    expect((await authFetch(new Request('http://localhost/api/v1/me'))).status).toBe(401);
    expect(tokenStore.get()?.accessToken).toBe('old-access');

    answers.push(problemResponse(401, 'token_expired'), problemResponse(401, 'credentials_refused'));
    expect((await authFetch(new Request('http://localhost/api/v1/me'))).status).toBe(401);
    expect(tokenStore.get()).toBeNull();
  });
});
