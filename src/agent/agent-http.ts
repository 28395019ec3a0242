// The one way the agent clients speak HTTP. Bodies always come back as streams, so the deadline
// that bounds a run covers the request, the headers and every byte of the body (or SSE stream);
// every failure leaves here as an AgentError that never names the agent key.
//
// undici rather than axios: an agent run is on every message's way, and undici's pooled client
// costs a third of axios's CPU per request and answers sooner (bench/webhook.bench.ts figures).
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { Agent, request as undiciRequest } from 'undici';
import { httpError, redirectError, toAgentError, withoutSecret } from './agent-error.mapper';
import { AgentError, AgentServerHealth, AgentTarget } from './agent.types';
import { isJsonObject, JsonObject, stringField } from './json-fields';

export interface AgentCall {
  timeoutMs: number;
  apiKey?: string;
  signal?: AbortSignal;
}

export interface AgentHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** A form (urlencoded, or multipart with files) or a JSON document. */
  body?: URLSearchParams | FormData | JsonObject;
}

export interface AgentHttpResponse {
  contentType: string;
  /** UTF-8 text chunks; destroyed when the deadline passes. */
  body: Readable;
}

@Injectable()
export class AgentHttp {
  /**
   * Keep-alive connections to the agent servers. The run's deadline is the only timeout: a
   * streamed run may stay quiet longer than undici's own defaults. Redirects are not followed:
   * the key would go along to wherever they point. Never closed: runs still in progress at
   * shutdown use it to the end, and idle sockets do not keep the process alive.
   */
  private readonly connections = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

  async withDeadline<T>(call: AgentCall, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = new RunDeadline(call.timeoutMs, call.signal);
    try {
      // The race makes the deadline exact even if some await inside `work` ignored the signal.
      return await Promise.race([work(deadline.signal), deadline.expired]);
    } catch (error) {
      throw withoutSecret(deadline.explain(error), call.apiKey);
    } finally {
      deadline.dispose();
    }
  }

  /** Sends a request; a redirect or a status ≥ 400 becomes an `http` AgentError (≥ 400 with the parsed body). */
  async send(request: AgentHttpRequest, signal: AbortSignal): Promise<AgentHttpResponse> {
    const { body, contentType } = encodedBody(request.body);
    const response = await undiciRequest(request.url, {
      dispatcher: this.connections,
      method: request.method,
      headers: contentType ? { ...request.headers, 'content-type': contentType } : request.headers,
      body,
      signal,
    });
    const text = response.body.setEncoding('utf8');
    if (response.statusCode >= 300 && response.statusCode < 400) {
      text.resume();
      throw redirectError(response.statusCode, response.headers.location);
    }
    if (response.statusCode >= 400) throw httpError(response.statusCode, await readText(text));
    return { contentType: String(response.headers['content-type'] ?? ''), body: text };
  }

  /** `GET /health`, which both agent servers answer without a key. */
  health(target: Pick<AgentTarget, 'apiUrl' | 'timeoutMs'>): Promise<AgentServerHealth> {
    return this.withDeadline(target, async (signal) => {
      const body = await this.sendForJson({ method: 'GET', url: joinUrl(target.apiUrl, '/health') }, signal);
      const status = isJsonObject(body) ? stringField(body, 'status') : undefined;
      return { status: status ?? 'unknown', raw: body };
    });
  }

  async sendForJson(request: AgentHttpRequest, signal: AbortSignal): Promise<unknown> {
    const response = await this.send(request, signal);
    return parseJson(await readText(response.body));
  }
}

/** FormData is sent as multipart by undici itself, which writes its boundary into the content type. */
function encodedBody(body: AgentHttpRequest['body']): { body?: string | FormData; contentType?: string } {
  if (body === undefined || body instanceof FormData) return { body };
  if (body instanceof URLSearchParams) return { body: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

export async function readText(body: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += chunk;
  return text;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const excerpt = text.slice(0, 1000);
    throw new AgentError('protocol', 'Agent server answered with a body that is not JSON', undefined, excerpt);
  }
}

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

/** One budget for a whole run, cut short when the caller aborts. */
class RunDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  readonly expired: Promise<never>;

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.expired = new Promise((_, reject) => {
      this.signal.addEventListener('abort', () => reject(this.expiry()), { once: true });
    });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    callerSignal?.addEventListener('abort', this.abortForCaller, { once: true });
    if (callerSignal?.aborted) this.abortForCaller();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Once the deadline has passed, whatever broke did so because of it. */
  explain(error: unknown): AgentError {
    if (error instanceof AgentError) return error;
    return this.signal.aborted ? this.expiry() : toAgentError(error);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.abortForCaller);
  }

  private readonly abortForCaller = (): void => this.controller.abort();

  private expiry(): AgentError {
    return this.timedOut
      ? new AgentError('timeout', `Agent did not answer within ${this.timeoutMs} ms`)
      : new AgentError('timeout', 'Agent run was aborted by the caller');
  }
}
