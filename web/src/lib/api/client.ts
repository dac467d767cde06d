import createClient from 'openapi-fetch';
import { tokenStore } from '../session/token-store';
import { ApiError, codeOf, readProblem } from './api-error';
import type { paths } from './schema';
import type { ErrorCode, TokenPair } from './types';

const authPaths = ['/api/v1/auth/login', '/api/v1/auth/signup', '/api/v1/auth/refresh', '/api/v1/auth/logout'];

function isAuthRequest(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return authPaths.includes(path);
}

let refreshInFlight: Promise<boolean> | null = null;

/** Refusals of a request's access token that a new one can cure. */
const refreshableCodes: readonly ErrorCode[] = ['token_expired', 'unauthenticated'];
/**
 * Refusals of the refresh token itself (spent, revoked, unknown, or not a token at all): the
 * session is over. Anything else (the server down or busy, rate limited) keeps it for a retry.
 */
const sessionEndingCodes: readonly ErrorCode[] = ['credentials_refused', 'validation_failed', 'malformed_body'];

async function problemCode(response: Response): Promise<ErrorCode | null> {
  return response.ok ? null : codeOf(await readProblem(response));
}

/**
 * Exchanges the refresh token for a new pair. Single-flight within the tab (concurrent 401s share
 * one refresh) and serialized across tabs with the Web Locks API, always using the newest stored
 * refresh token: refresh tokens rotate, and presenting a used one revokes the whole session.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= withRefreshLock(async () => {
    const refreshToken = tokenStore.storedRefreshToken() ?? tokenStore.get()?.refreshToken;
    if (!refreshToken) return false;
    try {
      const response = await fetch(new URL('/api/v1/auth/refresh', apiOrigin()), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      if (!response.ok) {
        const code = await problemCode(response);
        if (code && sessionEndingCodes.includes(code)) tokenStore.clear('expired');
        return false;
      }
      tokenStore.set((await response.json()) as TokenPair);
      return true;
    } catch {
      return false;
    }
  }).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

async function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('kariz.refresh', task) : task();
}

function apiOrigin(): string {
  return typeof window === 'undefined' ? 'http://localhost' : window.location.origin;
}

function withBearer(request: Request, token: string | null): Request {
  const headers = new Headers(request.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/**
 * The fetch every API call goes through: adds the access token, refreshes it first when it is
 * missing or about to expire, and when the server refuses the access token (`token_expired`,
 * `unauthenticated`) refreshes once (shared by concurrent calls) and replays the request.
 * Network failures become an ApiError with status 0.
 */
export async function authFetch(request: Request): Promise<Response> {
  const replay = request.clone();
  try {
    if (isAuthRequest(request)) return await fetch(request);
    let session = tokenStore.get();
    if (session && (!session.accessToken || Date.now() >= session.accessExpiresAt)) {
      await refreshSession();
      session = tokenStore.get();
    }
    const response = await fetch(withBearer(request, session?.accessToken ?? null));
    const code = session ? await problemCode(response) : null;
    if (!code || !refreshableCodes.includes(code)) return response;
    // A refused refresh ends the session (refreshSession clears it); a failed one (server down)
    // keeps it, so the next call can try again.
    if (!(await refreshSession())) return response;
    return await fetch(withBearer(replay, tokenStore.get()?.accessToken ?? null));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, null, error instanceof Error ? error.message : 'network error');
  }
}

/** The typed client for the whole API, generated from openapi/openapi.json. */
export const api = createClient<paths>({ baseUrl: apiOrigin(), fetch: authFetch });

/** The `If-Match` header value for a version the client read. */
export function ifMatch(version: number): { 'If-Match': string } {
  return { 'If-Match': `"${version}"` };
}
