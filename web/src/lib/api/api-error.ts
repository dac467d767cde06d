import type { ErrorCode, FieldError, Problem } from './types';
import { errorCodes, isOneOf } from './vocabularies';
import { localeStore } from '../i18n/locale-store';
import { fieldErrorText } from './field-error-messages';

/**
 * A failed API call. `problem` is the server's RFC 9457 body when it sent one; `status` is 0 when
 * the server could not be reached at all. Decide what to do by `code`, never by `status` alone:
 * a dozen causes share 409, and 401 is both "refresh the token" and "sign in again".
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  /**
   * The cause the problem names (the API's `ErrorCode`). Null without a problem body (the server
   * was unreachable, or something in front of it answered) or for a code this build does not know
   * yet; describeError then falls back to the server's `detail`.
   */
  readonly code: ErrorCode | null;

  constructor(status: number, problem: Problem | null, message?: string) {
    super(message ?? problem?.detail ?? `request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.code = codeOf(problem);
  }

  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }

  /** The object changed since the client read it, or the server asked for the version read. */
  get isStale(): boolean {
    return this.code === 'version_mismatch' || this.code === 'version_required';
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The cause a problem body names, when it is one this build knows. */
export function codeOf(problem: Problem | null): ErrorCode | null {
  const code: unknown = problem?.code;
  return isOneOf(errorCodes, code) ? code : null;
}

/** The cause of a failed call, when it is an API problem with a known code. */
export function errorCode(error: unknown): ErrorCode | null {
  return isApiError(error) ? error.code : null;
}

function looksLikeProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body;
}

/**
 * The problem body of a raw error response, or null when it has none; the response itself stays
 * unread for whoever gets it next.
 */
export async function readProblem(response: Response): Promise<Problem | null> {
  if (!/[/+]json\b/.test(response.headers.get('content-type') ?? '')) return null;
  try {
    const body: unknown = await response.clone().json();
    return looksLikeProblem(body) ? body : null;
  } catch {
    return null;
  }
}

/**
 * Turns an openapi-fetch result into its data, or throws an ApiError. Every feature's fetchers go
 * through this, so components only ever see typed data or an ApiError.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) {
    return result.data as T;
  }
  const problem = looksLikeProblem(result.error) ? result.error : null;
  throw new ApiError(result.response.status, problem);
}

/**
 * Field errors keyed by field name, for forms, in the language shown (`fieldErrorText`: the
 * server's words in English, the code's message in Persian). Nested names (`stages.0.name`) are
 * kept whole.
 */
export function fieldErrorMap(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const { locale } = localeStore.get();
  const map: Record<string, string> = {};
  for (const fieldError of error.fieldErrors) {
    map[fieldError.field] ??= fieldErrorText(fieldError, locale);
  }
  return map;
}
