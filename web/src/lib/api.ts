// SPDX-License-Identifier: Apache-2.0
// The one way the console talks to the API: JSON in and out, the session cookie, and RFC 9457 errors.
import type { Problem } from '../../../contracts/common.ts';

/** A failed request, carrying the problem+json body the server sent (or one built for network failures). */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** Field errors keyed by field path (`qualifications.0` and the like stay as sent). */
  get fieldErrors(): ReadonlyArray<{ field: string; message: string }> {
    return this.problem.errors ?? [];
  }
}

/** Query values; undefined, null and '' are left out of the URL. */
export type Query = Record<string, string | number | boolean | null | undefined>;

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
};

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called when any request (other than the session calls themselves) answers 401: the session has ended. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** `path` with its query string. */
export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === 'number' && typeof v.title === 'string' && typeof v.code === 'string';
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      const body: unknown = JSON.parse(text);
      if (isProblem(body)) return body;
    } catch {
      // Not JSON: a proxy or gateway page; fall through to a generic problem.
    }
  }
  return {
    type: 'about:blank',
    title: res.statusText || `HTTP ${res.status}`,
    status: res.status,
    code: `http-${res.status}`,
    detail: res.status >= 500 ? `服务暂不可用 (HTTP ${res.status}) · Service unavailable` : `HTTP ${res.status}`,
  };
}

/** The error of a request that never reached the server. */
function networkError(): ApiError {
  return new ApiError({
    type: 'about:blank',
    title: 'Network error',
    status: 0,
    code: 'network-error',
    detail: '无法连接服务器，请检查网络 · Cannot reach the server',
  });
}

const SESSION_PATHS = ['/api/auth/login', '/api/auth/me', '/api/auth/logout'];

/** Sends a request and returns the parsed JSON answer (undefined for 204). Throws ApiError on failure. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw networkError();
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && !SESSION_PATHS.includes(path)) unauthenticatedListeners.forEach((l) => l());
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  // The server's answers follow contracts/*.ts; the console trusts its own API rather than re-validating.
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Sends `file` itself as the request body (with its media type) and returns the parsed JSON answer.
 * Throws ApiError on failure, as `request` does.
 */
export async function upload<T>(path: string, query: Query | undefined, file: Blob, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method: 'POST',
      headers: { Accept: 'application/json, application/problem+json', 'Content-Type': file.type || 'application/octet-stream' },
      credentials: 'same-origin',
      body: file,
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw networkError();
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401) unauthenticatedListeners.forEach((l) => l());
    throw new ApiError(problem);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Shorthands. */
export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
};

/** A page of items as list endpoints answer. */
export type Page<T> = { items: T[]; total: number; limit: number; offset: number };

/** The items of a non-paged list. */
export type Items<T> = { items: T[] };

/** The message to show for any error. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail ?? err.problem.title;
  if (err instanceof Error) return err.message;
  return String(err);
}
