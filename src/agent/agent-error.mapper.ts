// Turns whatever failed while talking to an agent server into one AgentError, so the router can
// decide (apologise, retry, mark the trace) on `kind` alone.
import { parseJsonOrText } from '../common/lenient-json';
import { AgentError } from './agent.types';
import { isJsonObject } from './json-fields';

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const REDACTED = '***';

export function toAgentError(error: unknown): AgentError {
  if (error instanceof AgentError) return error;
  const code = errorCode(error);
  if (code && TIMEOUT_CODES.has(code)) return new AgentError('timeout', `Agent server timed out (${code})`);
  if (code) return new AgentError('network', `Agent server unreachable (${code})`);
  return new AgentError('protocol', `Unexpected failure talking to the agent server: ${messageOf(error)}`);
}

/** A status ≥ 400: the message is FastAPI's `detail` (or the body's own message) when there is one. */
export function httpError(status: number, bodyText: string): AgentError {
  const body = parseJsonOrText(bodyText);
  return new AgentError('http', detailOf(body) ?? `Agent server answered HTTP ${status}`, status, body);
}

/** A redirect is reported, not followed (the key would go along): the operator points the instance at the new address. */
export function redirectError(status: number, location: string | string[] | undefined): AgentError {
  const target = Array.isArray(location) ? location[0] : location;
  const where = target ? ` to ${target}` : '';
  return new AgentError('http', `Agent server redirected${where} (HTTP ${status}): set the instance's agent URL to the address it answers at`, status);
}

/** Servers sometimes echo request headers into errors; the agent key must never reach a log. */
export function withoutSecret(error: AgentError, secret: string | undefined): AgentError {
  if (!secret || !error.message.includes(secret)) return error;
  return new AgentError(error.kind, error.message.split(secret).join(REDACTED), error.status, error.body);
}

/** Node's socket errors and undici's errors both carry a string `code` (ECONNREFUSED, UND_ERR_SOCKET...). */
function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function detailOf(body: unknown): string | undefined {
  if (!isJsonObject(body)) return typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : undefined;
  const detail = body.detail ?? body.message ?? body.error;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map(validationIssue).join('; ');
  return undefined;
}

/** FastAPI's 422 items: `{loc: ["body","message"], msg: "Field required"}` → `message: Field required`. */
function validationIssue(issue: unknown): string {
  if (!isJsonObject(issue)) return String(issue);
  const loc = Array.isArray(issue.loc) ? issue.loc.filter((part) => part !== 'body').join('.') : '';
  const msg = typeof issue.msg === 'string' ? issue.msg : JSON.stringify(issue);
  return loc ? `${loc}: ${msg}` : msg;
}
