// A tiny HTTP client for tests: real requests to the app's port, JSON in and out.
import { ADMIN_KEY } from './test-app';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ApiRequestOptions {
  body?: unknown;
  /** API key sent in x-api-key; `null` sends none. Defaults to the admin key. */
  key?: string | null;
  headers?: Record<string, string>;
  rawBody?: string;
}

export function apiClient(baseUrl: string) {
  return async function request<T = unknown>(
    method: string,
    path: string,
    options: ApiRequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const key = options.key === undefined ? ADMIN_KEY : options.key;
    const headers: Record<string, string> = { ...options.headers };
    if (key) headers['x-api-key'] = key;
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: tests read `text`.
    }
    return { status: response.status, headers: response.headers, body: body as T, text };
  };
}

export type Api = ReturnType<typeof apiClient>;
