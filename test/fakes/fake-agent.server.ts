// A loopback agent server speaking both AgentOS (Automagik Hive) and the Automagik Agents API,
// with answers shaped like ../shared/fixtures/hive. Tests steer it (replies, delays, failures,
// one-shot behaviours) and read back every call it received.
import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  continuedRunEvents,
  displayName,
  failedRunOutput,
  failingRunEvents,
  FakeRunAnswer,
  JsonObject,
  RATE_LIMIT_ERROR,
  RunContext,
  RunKind,
  runEvents,
  runOutput,
  StreamEvent,
} from './fake-agent/agentos-payloads';
import { automagikAnswer, automagikFailure } from './fake-agent/automagik-payloads';
import { parseBody, readBody, ReceivedFile } from './fake-agent/request-body';
import { AgentOsRunRoute, FakeRoute, matchRoute } from './fake-agent/routes';

export type { FakeRunAnswer } from './fake-agent/agentos-payloads';

export interface RecordedAgentRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** How the body came: a form (urlencoded or multipart), JSON, nothing, or something else. */
  bodyKind: 'form' | 'json' | 'empty' | 'other';
  /** Form fields as sent: message, stream, session_id, user_id, tools... */
  fields: Record<string, string>;
  files: ReceivedFile[];
  /** The parsed JSON body, or the body as text. */
  body: unknown;
  /** When the call arrived (ms since the epoch). */
  receivedAt: number;
  /** When the fake finished answering it (ms since the epoch), once it has. */
  respondedAt?: number;
  /** `performance.now()` when the call arrived and when it was answered: sub-millisecond, for the benchmark. */
  arrivedAt: number;
  answeredAt?: number;
}

export type FakeReply = (request: RecordedAgentRequest) => string | FakeRunAnswer;

/**
 * `{status, body}` answers with that error; `hang` never answers; `stream-error` fails the run
 * after its first words (a RunError inside a 200 stream, `status: ERROR` without streaming,
 * `success: false` on the Automagik API).
 */
export type FakeFailure = { status: number; body: unknown } | 'hang' | 'stream-error';

export interface FakeBehaviour {
  reply?: FakeReply;
  delayMs?: number;
  streamChunkDelayMs?: number;
  failWith?: FakeFailure;
}

export interface FakeAgentServerOptions {
  /** When set: AgentOS wants `Authorization: Bearer <key>`, Automagik wants `x-api-key: <key>`. */
  apiKey?: string;
  agents?: string[];
  teams?: string[];
  workflows?: string[];
}

const TRUE_VALUES = new Set(['true', '1', 'yes', 'on']);

export class FakeAgentServer {
  reply: FakeReply = echo;
  delayMs = 0;
  streamChunkDelayMs = 0;
  failWith?: FakeFailure;
  /** Stream as agno v1 did: bare pretty-printed JSON objects, `RunResponseContent` deltas. */
  legacyStream = false;
  readonly requests: RecordedAgentRequest[] = [];
  private readonly queue: FakeBehaviour[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));
  private readonly lifetime = new AbortController();
  private readonly known: Record<RunKind, string[]>;
  private url?: string;

  constructor(private readonly options: FakeAgentServerOptions = {}) {
    this.known = {
      agent: options.agents ?? ['atendimento', 'faturamento'],
      team: options.teams ?? ['suporte'],
      workflow: options.workflows ?? ['onboarding'],
    };
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('FakeAgentServer is not started');
    return this.url;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.lifetime.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Behaviours for the next run calls, one each, before the defaults apply again. */
  enqueue(...behaviours: FakeBehaviour[]): void {
    this.queue.push(...behaviours);
  }

  reset(): void {
    this.reply = echo;
    this.delayMs = 0;
    this.streamChunkDelayMs = 0;
    this.failWith = undefined;
    this.legacyStream = false;
    this.queue.length = 0;
    this.requests.length = 0;
  }

  async waitForRequests(count: number, timeoutMs = 2000): Promise<RecordedAgentRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`FakeAgentServer got ${this.requests.length} of ${count} requests in ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
    return this.requests.slice(0, count);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Clients hang up mid-answer on purpose (timeouts, early finish); that is no server error.
    res.on('error', () => undefined);
    try {
      const request = await this.record(req);
      await this.route(matchRoute(request.method, request.path), request, res);
    } catch (error) {
      if (!this.lifetime.signal.aborted && !res.headersSent) sendJson(res, 500, { detail: String(error) });
    }
  }

  private async record(req: IncomingMessage): Promise<RecordedAgentRequest> {
    const receivedAt = Date.now();
    const arrivedAt = performance.now();
    const parsed = parseBody(req.headers['content-type'], await readBody(req));
    const request: RecordedAgentRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      headers: req.headers,
      bodyKind: parsed.kind,
      fields: parsed.fields,
      files: parsed.files,
      body: parsed.body,
      receivedAt,
      arrivedAt,
    };
    this.requests.push(request);
    for (const wake of this.waiters) wake();
    return request;
  }

  private async route(route: FakeRoute | undefined, request: RecordedAgentRequest, res: ServerResponse): Promise<void> {
    if (!route) return sendJson(res, 404, { detail: 'Not Found' });
    if (route.api === 'automagik') return this.automagikRun(route.id, request, res);
    if (route.action === 'health') return sendJson(res, 200, { status: 'ok', instantiated_at: '1763896400.123456' });
    const denied = this.agentOsAuthFailure(request.headers);
    if (denied) return sendJson(res, 401, denied);
    if (route.action === 'list') {
      return sendJson(res, 200, this.known[route.kind].map((id) => listEntry(route.kind, id)));
    }
    return this.agentOsRun(route, request, res);
  }

  private async agentOsRun(
    route: AgentOsRunRoute,
    request: RecordedAgentRequest,
    res: ServerResponse,
  ): Promise<void> {
    const required = route.action === 'continue' ? 'tools' : 'message';
    // FastAPI takes an empty form field for a missing one.
    if (request.bodyKind !== 'form' || !request.fields[required]) {
      return sendJson(res, 422, missingField(required));
    }
    if (!this.known[route.kind].includes(route.id)) {
      return sendJson(res, 404, { detail: `${displayName(route.kind)} not found` });
    }
    if (route.action === 'continue' && !isJson(request.fields.tools)) {
      return sendJson(res, 400, { detail: 'Invalid JSON in tools field' });
    }
    await this.answer(request, res, (answer, failing, chunkDelayMs) => {
      const ctx = runContext(route, request);
      const stream = streamRequested(request.fields.stream, route.kind !== 'agent' || route.action === 'continue');
      if (!stream) return sendJson(res, 200, failing ? failedRunOutput(ctx, RATE_LIMIT_ERROR) : runOutput(ctx, answer));
      const events = failing
        ? failingRunEvents(ctx, answer)
        : route.action === 'continue'
          ? continuedRunEvents(ctx, answer)
          : runEvents(ctx, answer);
      return this.writeStream(res, events, chunkDelayMs);
    });
  }

  private async automagikRun(agentId: string, request: RecordedAgentRequest, res: ServerResponse): Promise<void> {
    const key = this.options.apiKey;
    if (key && request.headers['x-api-key'] !== key) return sendJson(res, 401, { detail: 'Invalid API Key' });
    const body = request.body as JsonObject;
    if (request.bodyKind !== 'json' || typeof body?.message_content !== 'string') {
      return sendJson(res, 422, missingField('message_content'));
    }
    if (!this.known.agent.includes(agentId)) return sendJson(res, 404, { detail: `Agent ${agentId} not found` });
    const sessionName = typeof body.session_name === 'string' ? body.session_name : undefined;
    await this.answer(request, res, async (answer, failing) => {
      const payload = failing
        ? automagikFailure(sessionName, RATE_LIMIT_ERROR)
        : automagikAnswer(sessionName, body.message_content as string, answer);
      sendJson(res, 200, payload);
    });
  }

  /** Applies the next behaviour (delay, failure) and lets `respond` answer when the run goes ahead. */
  private async answer(
    request: RecordedAgentRequest,
    res: ServerResponse,
    respond: (answer: FakeRunAnswer, failing: boolean, chunkDelayMs: number) => Promise<void> | void,
  ): Promise<void> {
    const behaviour = this.nextBehaviour();
    await this.pause(behaviour.delayMs ?? this.delayMs);
    const failure = behaviour.failWith ?? this.failWith;
    if (failure === 'hang') return;
    if (typeof failure === 'object') return sendJson(res, failure.status, failure.body);
    const answer = asAnswer((behaviour.reply ?? this.reply)(request));
    await respond(answer, failure === 'stream-error', behaviour.streamChunkDelayMs ?? this.streamChunkDelayMs);
    request.respondedAt = Date.now();
    request.answeredAt = performance.now();
  }

  private nextBehaviour(): FakeBehaviour {
    return this.queue.shift() ?? {};
  }

  private async writeStream(res: ServerResponse, events: StreamEvent[], chunkDelayMs: number): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    for (const [index, event] of events.entries()) {
      if (index > 0) await this.pause(chunkDelayMs);
      if (res.destroyed) return;
      res.write(this.legacyStream ? legacyFrame(event) : sseFrame(event));
    }
    res.end();
  }

  private async pause(ms: number): Promise<void> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.lifetime.signal });
  }

  private agentOsAuthFailure(headers: IncomingHttpHeaders): JsonObject | undefined {
    if (!this.options.apiKey) return undefined;
    if (!headers.authorization) return { detail: 'Authorization header required' };
    if (headers.authorization !== `Bearer ${this.options.apiKey}`) return { detail: 'Invalid authentication token' };
    return undefined;
  }
}

function echo(request: RecordedAgentRequest): string {
  const body = request.body as JsonObject | undefined;
  return `echo: ${request.fields.message ?? body?.message_content ?? ''}`;
}

function asAnswer(reply: string | FakeRunAnswer): FakeRunAnswer {
  return typeof reply === 'string' ? { content: reply } : reply;
}

function runContext(route: AgentOsRunRoute, request: RecordedAgentRequest): RunContext {
  return {
    kind: route.kind,
    id: route.id,
    runId: route.action === 'continue' ? route.runId : randomUUID(),
    sessionId: request.fields.session_id || randomUUID(),
    userId: request.fields.user_id,
    message: request.fields.message ?? '',
  };
}

function streamRequested(field: string | undefined, byDefault: boolean): boolean {
  return field === undefined ? byDefault : TRUE_VALUES.has(field.toLowerCase());
}

function listEntry(kind: RunKind, id: string): JsonObject {
  const model = { name: 'OpenAIChat', model: 'gpt-4.1-mini', provider: 'OpenAI' };
  const entry = { id, name: displayName(id), db_id: 'hive-postgres' };
  return kind === 'workflow' ? { ...entry, description: `${displayName(id)} workflow` } : { ...entry, model };
}

/** FastAPI's validation answer for a missing form or body field. */
function missingField(field: string): JsonObject {
  return { detail: [{ type: 'missing', loc: ['body', field], msg: 'Field required', input: null }] };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sseFrame({ event, data }: StreamEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** agno v1 had no SSE framing and called content deltas `RunResponseContent`. */
function legacyFrame({ event, data }: StreamEvent): string {
  const name = event.replace(/RunContent$/, 'RunResponseContent');
  return JSON.stringify({ ...data, event: name }, null, 2);
}
