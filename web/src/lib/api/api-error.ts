import type { FieldError, Problem } from './types';

/**
 * A failed API call. `problem` is the server's RFC 9457 body when it sent one; `status` is 0 when
 * the server could not be reached at all.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message?: string) {
    super(message ?? problem?.detail ?? `request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }

  /** The object changed since the client read it (412), or the server asked for a version (428). */
  get isStale(): boolean {
    return this.status === 412 || this.status === 428;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function looksLikeProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body;
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

/** Field errors keyed by field name, for forms. Nested names (`stages.0.name`) are kept whole. */
export function fieldErrorMap(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const map: Record<string, string> = {};
  for (const fieldError of error.fieldErrors) {
    map[fieldError.field] ??= fieldError.message;
  }
  return map;
}
