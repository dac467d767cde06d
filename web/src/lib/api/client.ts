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
 * Marks every request as the page's own script. The server then keeps the refresh token in its
 * HttpOnly cookie (never in an answer the page can read), and accepts that cookie only from
 * requests so marked: no form or other site can send this header (CSRF protection).
 */
export const scriptRequestHeader = { 'x-requested-with': 'XMLHttpRequest' } as const;

/**
 * Exchanges the refresh token (in its cookie) for a new access token and refresh token.
 * Single-flight within the tab (concurrent 401s share one refresh) and serialized across tabs
 * with the Web Locks API: refresh tokens rotate, and presenting a used one revokes the session.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= withRefreshLock(async () => {
    if (!tokenStore.get()) return false;
    // A refresh token an earlier version kept in localStorage moves into the cookie now.
    const legacy = tokenStore.takeLegacyRefreshToken();
    try {
      const response = await fetch(new URL('/api/v1/auth/refresh', apiOrigin()), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...scriptRequestHeader },
        body: JSON.stringify(legacy ? { refresh_token: legacy } : {}),
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
  headers.set('x-requested-with', scriptRequestHeader['x-requested-with']);
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
    if (isAuthRequest(request)) return await fetch(withBearer(request, null));
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
