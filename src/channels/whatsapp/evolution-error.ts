// How a failed Evolution call is reported: one error type, with Evolution's own reasons made readable.

/** `http`: Evolution answered with an error status; `refused`: HTTP 200 `{error:true}` (connect/restart). */
export type EvolutionFailure = 'http' | 'refused' | 'timeout' | 'network';

export class EvolutionError extends Error {
  constructor(
    readonly failure: EvolutionFailure,
    readonly status: number | undefined,
    readonly messages: string[],
    /** `METHOD /path`, without host or key. */
    readonly request: string,
  ) {
    super(`Evolution ${request} failed${status === undefined ? '' : ` (${status})`}: ${messages.join('; ')}`);
    this.name = 'EvolutionError';
  }
}

/** connect and restart answer HTTP 200 `{error: true, message}` when they fail. */
export function isEvolutionRefusal(body: unknown): boolean {
  return isObject(body) && body.error === true;
}

/**
 * Flattens Evolution's error body `{status, error, response:{message}}` into readable lines.
 * `message` may be a string, strings, or `{jid, exists:false, number}` objects (number not on WhatsApp).
 */
export function evolutionErrorMessages(body: unknown, status?: number): string[] {
  const items = [errorPayload(body)].flat();
  const lines = items.map(describeErrorItem).filter((line): line is string => Boolean(line));
  return lines.length > 0 ? lines : [status === undefined ? 'no answer' : `HTTP ${status}`];
}

function errorPayload(body: unknown): unknown {
  if (!isObject(body)) return body;
  if (isObject(body.response) && body.response.message !== undefined) return body.response.message;
  return body.message ?? (typeof body.error === 'string' ? body.error : undefined);
}

function describeErrorItem(item: unknown): string | undefined {
  if (typeof item === 'string') return item.slice(0, 500) || undefined;
  if (isObject(item) && item.exists === false) return `number ${String(item.number ?? item.jid)} is not on WhatsApp`;
  return item === undefined || item === null ? undefined : JSON.stringify(item).slice(0, 500);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
