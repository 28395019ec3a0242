// The one way the agent clients speak HTTP. Bodies always come back as streams, so the deadline
// that bounds a run covers the request, the headers and every byte of the body (or SSE stream);
// every failure leaves here as an AgentError that never names the agent key.
import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import type { AxiosRequestConfig } from 'axios';
import { Readable, addAbortSignal } from 'node:stream';
import { firstValueFrom } from 'rxjs';
import { httpError, toAgentError, withoutSecret } from './agent-error.mapper';
import { AgentError, AgentServerHealth, AgentTarget } from './agent.types';
import { isJsonObject, stringField } from './json-fields';

export interface AgentCall {
  timeoutMs: number;
  apiKey?: string;
  signal?: AbortSignal;
}

export interface AgentHttpResponse {
  contentType: string;
  /** UTF-8 text chunks; destroyed when the deadline passes. */
  body: Readable;
}

@Injectable()
export class AgentHttp {
  constructor(private readonly http: HttpService) {}

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

  /** Sends a request; a status ≥ 400 becomes an `http` AgentError carrying the parsed body. */
  async send(request: AxiosRequestConfig, signal: AbortSignal): Promise<AgentHttpResponse> {
    const response = await firstValueFrom(
      this.http.request<Readable>({ ...request, signal, responseType: 'stream', validateStatus: () => true }),
    );
    const body = addAbortSignal(signal, response.data).setEncoding('utf8');
    if (response.status >= 400) throw httpError(response.status, await readText(body));
    return { contentType: String(response.headers['content-type'] ?? ''), body };
  }

  /** `GET /health`, which both agent servers answer without a key. */
  health(target: Pick<AgentTarget, 'apiUrl' | 'timeoutMs'>): Promise<AgentServerHealth> {
    return this.withDeadline(target, async (signal) => {
      const body = await this.sendForJson({ method: 'GET', url: joinUrl(target.apiUrl, '/health') }, signal);
      const status = isJsonObject(body) ? stringField(body, 'status') : undefined;
      return { status: status ?? 'unknown', raw: body };
    });
  }

  async sendForJson(request: AxiosRequestConfig, signal: AbortSignal): Promise<unknown> {
    const response = await this.send(request, signal);
    return parseJson(await readText(response.body));
  }
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
