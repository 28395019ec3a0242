// The only code that talks HTTP to Evolution API v2. Every call names its server and key, since each
// Omni instance may point at a different Evolution. Routes and shapes: shared/notes/protocols.md §1.5, §2.
//
// undici rather than axios: every reply goes out through here, and undici's pooled client costs a
// third of axios's CPU per request and answers sooner (bench/webhook.bench.ts figures).
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Agent, request as undiciRequest } from 'undici';
import { parseJsonOrText } from '../../common/lenient-json';
import { EvolutionError, EvolutionFailure, evolutionErrorMessages, isEvolutionRefusal } from './evolution-error';
import type {
  CreateInstanceRequest,
  CreateInstanceResponse,
  EvolutionChat,
  EvolutionConnection,
  EvolutionConnectResponse,
  EvolutionContact,
  EvolutionInstanceInfo,
  EvolutionInstanceState,
  EvolutionLookupQuery,
  EvolutionMediaBase64,
  EvolutionMessageKey,
  EvolutionPresence,
  EvolutionProfile,
  EvolutionSentMessage,
  EvolutionStatusResponse,
  EvolutionWebhookRecord,
  EvolutionWebhookSettings,
  SendAudioRequest,
  SendContactRequest,
  SendMediaRequest,
  SendReactionRequest,
  SendStickerRequest,
  SendTextRequest,
} from './evolution.types';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface EvolutionClientConfig {
  retry: RetryPolicy;
  timeoutMs: number;
  /** Replaceable so tests can observe back-off without waiting. */
  sleep: (ms: number) => Promise<void>;
}

export const EVOLUTION_CLIENT_CONFIG = Symbol('EVOLUTION_CLIENT_CONFIG');

export interface EvolutionAttempt {
  attempt: number;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface EvolutionCallOptions {
  /** Per-attempt timeout (default 15 s). The `delay` a call asks Evolution to wait is always added on top. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called after every attempt, successful or not, so callers can trace each one. */
  onAttempt?: (attempt: EvolutionAttempt) => void;
}

type HttpMethod = 'GET' | 'POST' | 'DELETE';

interface EvolutionRequest {
  method: HttpMethod;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** Time Evolution is asked to wait before answering (`delay`), added to the timeout. */
  waitMs?: number;
  /** connect and restart answer HTTP 200 `{error:true, message}` when they fail. */
  failsWith200?: boolean;
}

type AttemptOutcome =
  | { ok: true; status: number; data: unknown }
  | { ok: false; error: EvolutionError; retryable: boolean; retryAfterMs?: number };

const DEFAULT_CONFIG: EvolutionClientConfig = {
  retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 },
  timeoutMs: 15_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// A Retry-After from a proxy in front of Evolution is honoured, but not to the point of hanging a reply.
const RETRY_AFTER_CAP_MS = 60_000;

@Injectable()
export class EvolutionClient {
  private readonly config: EvolutionClientConfig;
  /**
   * Keep-alive connections to the Evolution servers; each attempt's own timeout bounds it.
   * Redirects are not followed (the key would go along): a 3xx is a refused call. Never closed:
   * replies still going out at shutdown use it to the end, and idle sockets do not keep the
   * process alive.
   */
  private readonly connections = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

  constructor(@Optional() @Inject(EVOLUTION_CLIENT_CONFIG) config?: Partial<EvolutionClientConfig>) {
    this.config = { ...DEFAULT_CONFIG, ...config, retry: { ...DEFAULT_CONFIG.retry, ...config?.retry } };
  }

  createInstance(conn: EvolutionConnection, body: CreateInstanceRequest, options?: EvolutionCallOptions): Promise<CreateInstanceResponse> {
    return this.call(conn, { method: 'POST', path: '/instance/create', body }, options);
  }

  /** QR code (or pairing code when `number` is given), or the state when already open. */
  connect(conn: EvolutionConnection, instance: string, number?: string, options?: EvolutionCallOptions): Promise<EvolutionConnectResponse> {
    const query = number ? { number } : undefined;
    return this.call(conn, { method: 'GET', path: instancePath('/instance/connect', instance), query, failsWith200: true }, options);
  }

  connectionState(conn: EvolutionConnection, instance: string, options?: EvolutionCallOptions): Promise<EvolutionInstanceState> {
    return this.call(conn, { method: 'GET', path: instancePath('/instance/connectionState', instance) }, options);
  }

  fetchInstances(conn: EvolutionConnection, instance?: string, options?: EvolutionCallOptions): Promise<EvolutionInstanceInfo[]> {
    const query = instance ? { instanceName: instance } : undefined;
    return this.call(conn, { method: 'GET', path: '/instance/fetchInstances', query }, options);
  }

  restart(conn: EvolutionConnection, instance: string, options?: EvolutionCallOptions): Promise<EvolutionConnectResponse> {
    return this.call(conn, { method: 'POST', path: instancePath('/instance/restart', instance), failsWith200: true }, options);
  }

  logout(conn: EvolutionConnection, instance: string, options?: EvolutionCallOptions): Promise<EvolutionStatusResponse> {
    return this.call(conn, { method: 'DELETE', path: instancePath('/instance/logout', instance) }, options);
  }

  deleteInstance(conn: EvolutionConnection, instance: string, options?: EvolutionCallOptions): Promise<EvolutionStatusResponse> {
    return this.call(conn, { method: 'DELETE', path: instancePath('/instance/delete', instance) }, options);
  }

  setWebhook(conn: EvolutionConnection, instance: string, settings: EvolutionWebhookSettings, options?: EvolutionCallOptions): Promise<EvolutionWebhookRecord> {
    const body = { webhook: { ...settings, enabled: settings.enabled ?? true } };
    return this.call(conn, { method: 'POST', path: instancePath('/webhook/set', instance), body }, options);
  }

  sendText(conn: EvolutionConnection, instance: string, body: SendTextRequest, options?: EvolutionCallOptions): Promise<EvolutionSentMessage> {
    return this.send(conn, '/message/sendText', instance, body, options);
  }

  sendMedia(conn: EvolutionConnection, instance: string, body: SendMediaRequest, options?: EvolutionCallOptions): Promise<EvolutionSentMessage> {
    return this.send(conn, '/message/sendMedia', instance, body, options);
  }

  /** Sent as a voice note (ptt); Evolution converts the file unless `encoding: false`. */
  sendWhatsAppAudio(conn: EvolutionConnection, instance: string, body: SendAudioRequest, options?: EvolutionCallOptions): Promise<EvolutionSentMessage> {
    return this.send(conn, '/message/sendWhatsAppAudio', instance, body, options);
  }

  sendSticker(conn: EvolutionConnection, instance: string, body: SendStickerRequest, options?: EvolutionCallOptions): Promise<EvolutionSentMessage> {
    return this.send(conn, '/message/sendSticker', instance, body, options);
  }

  sendContact(conn: EvolutionConnection, instance: string, body: SendContactRequest, options?: EvolutionCallOptions): Promise<EvolutionSentMessage> {
    return this.send(conn, '/message/sendContact', instance, body, options);
  }

  sendReaction(conn: EvolutionConnection, instance: string, body: SendReactionRequest, options?: EvolutionCallOptions): Promise<EvolutionSentMessage> {
    return this.call(conn, { method: 'POST', path: instancePath('/message/sendReaction', instance), body }, options);
  }

  /** Evolution shows the presence, waits `delayMs`, then answers; all three fields are required. */
  sendPresence(
    conn: EvolutionConnection,
    instance: string,
    number: string,
    presence: EvolutionPresence,
    delayMs: number,
    options?: EvolutionCallOptions,
  ): Promise<{ presence: EvolutionPresence }> {
    const body = { number, presence, delay: delayMs };
    return this.call(conn, { method: 'POST', path: instancePath('/chat/sendPresence', instance), body, waitMs: delayMs }, options);
  }

  markMessageAsRead(conn: EvolutionConnection, instance: string, readMessages: EvolutionMessageKey[], options?: EvolutionCallOptions): Promise<{ message: string; read: string }> {
    return this.call(conn, { method: 'POST', path: instancePath('/chat/markMessageAsRead', instance), body: { readMessages } }, options);
  }

  fetchProfile(conn: EvolutionConnection, instance: string, number: string, options?: EvolutionCallOptions): Promise<EvolutionProfile> {
    return this.call(conn, { method: 'POST', path: instancePath('/chat/fetchProfile', instance), body: { number } }, options);
  }

  /** `picture` is a URL or base64. */
  updateProfilePicture(conn: EvolutionConnection, instance: string, picture: string, options?: EvolutionCallOptions): Promise<Record<string, unknown>> {
    return this.call(conn, { method: 'POST', path: instancePath('/chat/updateProfilePicture', instance), body: { picture } }, options);
  }

  findContacts(conn: EvolutionConnection, instance: string, query: EvolutionLookupQuery = {}, options?: EvolutionCallOptions): Promise<EvolutionContact[]> {
    return this.call(conn, { method: 'POST', path: instancePath('/chat/findContacts', instance), body: query }, options);
  }

  findChats(conn: EvolutionConnection, instance: string, query: EvolutionLookupQuery = {}, options?: EvolutionCallOptions): Promise<EvolutionChat[]> {
    return this.call(conn, { method: 'POST', path: instancePath('/chat/findChats', instance), body: query }, options);
  }

  /** Downloads a stored message's media; the message must be in Evolution's database. */
  getBase64FromMediaMessage(
    conn: EvolutionConnection,
    instance: string,
    messageId: string,
    convertToMp4 = false,
    options?: EvolutionCallOptions,
  ): Promise<EvolutionMediaBase64> {
    const body = { message: { key: { id: messageId } }, convertToMp4 };
    return this.call(conn, { method: 'POST', path: instancePath('/chat/getBase64FromMediaMessage', instance), body }, options);
  }

  private send<T extends { delay?: number }>(
    conn: EvolutionConnection,
    route: string,
    instance: string,
    body: T,
    options?: EvolutionCallOptions,
  ): Promise<EvolutionSentMessage> {
    return this.call(conn, { method: 'POST', path: instancePath(route, instance), body, waitMs: body.delay }, options);
  }

  private async call<T>(conn: EvolutionConnection, request: EvolutionRequest, options: EvolutionCallOptions = {}): Promise<T> {
    const policy = { ...this.config.retry, ...options.retry };
    const timeoutMs = (options.timeoutMs ?? this.config.timeoutMs) + (request.waitMs ?? 0);
    for (let attempt = 1; ; attempt++) {
      const startedAt = Date.now();
      const outcome = await this.attempt(conn, request, timeoutMs);
      options.onAttempt?.(attemptReport(attempt, outcome, Date.now() - startedAt));
      if (outcome.ok) return outcome.data as T;
      if (!outcome.retryable || attempt >= policy.maxAttempts) throw outcome.error;
      await this.config.sleep(retryDelayMs(attempt, policy, outcome.retryAfterMs));
    }
  }

  private async attempt(conn: EvolutionConnection, request: EvolutionRequest, timeoutMs: number): Promise<AttemptOutcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const response = await undiciRequest(`${conn.baseUrl.replace(/\/+$/, '')}${request.path}${query}`, {
        dispatcher: this.connections,
        method: request.method,
        headers: { apikey: conn.apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
        signal: timeout,
      });
      const data = parseJsonOrText(await response.body.text());
      return outcomeOfResponse(request, conn.apiKey, response.statusCode, data, response.headers['retry-after']);
    } catch (error) {
      return outcomeOfTransportError(request, conn.apiKey, error, timeout.aborted ? timeoutMs : undefined);
    }
  }
}

function instancePath(route: string, instance: string): string {
  return `${route}/${encodeURIComponent(instance)}`;
}

function describeRequest(request: EvolutionRequest): string {
  return `${request.method} ${request.path}`;
}

function outcomeOfResponse(request: EvolutionRequest, apiKey: string, status: number, data: unknown, retryAfter: unknown): AttemptOutcome {
  const fail = (failure: EvolutionFailure) => new EvolutionError(failure, status, redact(evolutionErrorMessages(data, status), apiKey), describeRequest(request));
  if (status >= 200 && status < 300) {
    const refused = request.failsWith200 && isEvolutionRefusal(data);
    return refused ? { ok: false, error: fail('refused'), retryable: false } : { ok: true, status, data };
  }
  const retryable = status === 429 || status >= 500;
  return { ok: false, error: fail('http'), retryable, retryAfterMs: retryable ? parseRetryAfter(retryAfter) : undefined };
}

/** `timedOutAfterMs` is set when the attempt's timeout cut it short. */
function outcomeOfTransportError(request: EvolutionRequest, apiKey: string, error: unknown, timedOutAfterMs: number | undefined): AttemptOutcome {
  const timedOut = timedOutAfterMs !== undefined;
  const detail = timedOut ? `no answer within ${timedOutAfterMs} ms` : error instanceof Error ? error.message : String(error);
  const failure: EvolutionFailure = timedOut ? 'timeout' : 'network';
  return { ok: false, error: new EvolutionError(failure, undefined, redact([detail], apiKey), describeRequest(request)), retryable: true };
}

function attemptReport(attempt: number, outcome: AttemptOutcome, durationMs: number): EvolutionAttempt {
  if (outcome.ok) return { attempt, status: outcome.status, durationMs };
  return { attempt, status: outcome.error.status, error: outcome.error.messages.join('; '), durationMs };
}

function redact(lines: string[], apiKey: string): string[] {
  return apiKey ? lines.map((line) => line.split(apiKey).join('***')) : lines;
}

/** Full-jitter exponential back-off, or the server's Retry-After when it sent one. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, RETRY_AFTER_CAP_MS);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
