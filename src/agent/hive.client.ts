// Client for agno AgentOS, which Automagik Hive serves: agent, team and workflow runs as form
// posts, answered with a RunOutput or an SSE stream (protocols.md §3).
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AgentCall, AgentHttp, joinUrl, parseJson, readText } from './agent-http';
import {
  AGENT_TYPES,
  AgentError,
  AgentReply,
  AgentRequest,
  AgentRunOptions,
  AgentServerHealth,
  AgentSummary,
  AgentTarget,
  AgentType,
} from './agent.types';
import { runForm, urlencodedForm } from './hive-run.form';
import { replyFromRunOutput } from './hive-run.output';
import { HiveRunStream } from './hive-run.stream';
import { isJsonObject, stringField } from './json-fields';
import { parseSseStream } from './sse.parser';

const COLLECTIONS: Record<AgentType, string> = { agent: 'agents', team: 'teams', workflow: 'workflows' };

@Injectable()
export class HiveClient {
  constructor(private readonly http: AgentHttp) {}

  run(target: AgentTarget, request: AgentRequest, options: AgentRunOptions = {}): Promise<AgentReply> {
    const path = `/${COLLECTIONS[target.agentType]}/${encodeURIComponent(target.agentId)}/runs`;
    return this.post(target, path, runForm(target, request), options);
  }

  /** Resumes a run paused for human-in-the-loop tool confirmation; `tools` are agno ToolExecutions. */
  async continueRun(
    target: AgentTarget,
    runId: string,
    tools: unknown[],
    sessionId: string,
    userId: string,
    options: AgentRunOptions = {},
  ): Promise<AgentReply> {
    if (target.agentType !== 'agent') {
      throw new AgentError('protocol', `AgentOS continues paused agent runs only, not ${target.agentType} runs`);
    }
    const path = `/agents/${encodeURIComponent(target.agentId)}/runs/${encodeURIComponent(runId)}/continue`;
    const form = urlencodedForm({
      tools: JSON.stringify(tools),
      stream: String(target.stream),
      session_id: sessionId,
      user_id: userId,
    });
    return this.post(target, path, form, options);
  }

  /** Everything the server offers, for discovery. Servers without teams or workflows list none. */
  async listAgents(target: AgentTarget): Promise<AgentSummary[]> {
    const lists = await Promise.all(AGENT_TYPES.map((type) => this.listOfType(target, type)));
    return lists.flat();
  }

  health(target: AgentTarget): Promise<AgentServerHealth> {
    return this.http.health(target);
  }

  private post(
    target: AgentTarget,
    path: string,
    form: URLSearchParams | FormData,
    options: AgentRunOptions,
  ): Promise<AgentReply> {
    const call: AgentCall = { ...target, signal: options.signal };
    return this.http.withDeadline(call, async (signal) => {
      const request = { method: 'POST' as const, url: joinUrl(target.apiUrl, path), body: form, headers: runHeaders(target) };
      const response = await this.http.send(request, signal);
      // Decided by what came back, not by what was asked: the default of `stream` differs across versions.
      if (response.contentType.includes('text/event-stream')) {
        return readRunStream(response.body, new HiveRunStream(target.agentType, options.onText));
      }
      return replyFromRunOutput(parseJson(await readText(response.body)));
    });
  }

  private async listOfType(target: AgentTarget, type: AgentType): Promise<AgentSummary[]> {
    const url = joinUrl(target.apiUrl, `/${COLLECTIONS[type]}`);
    try {
      const body = await this.http.withDeadline(target, (signal) =>
        this.http.sendForJson({ method: 'GET', url, headers: authHeaders(target.apiKey) }, signal),
      );
      return Array.isArray(body) ? body.flatMap((item) => summaryOf(item, type)) : [];
    } catch (error) {
      if (type !== 'agent' && error instanceof AgentError && error.status === 404) return [];
      throw error;
    }
  }
}

async function readRunStream(body: Readable, run: HiveRunStream): Promise<AgentReply> {
  for await (const event of parseSseStream(body)) {
    run.accept(event);
    // agno stores the run before it sends the final event, so hanging up here loses nothing.
    if (run.finished) break;
  }
  return run.reply();
}

/** AgentOS checks the bearer token; Hive 0.2's own routes and the original Omni use X-API-Key. */
function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}`, 'X-API-Key': apiKey } : {};
}

function runHeaders(target: AgentTarget): Record<string, string> {
  return { ...authHeaders(target.apiKey), Accept: target.stream ? 'text/event-stream' : 'application/json' };
}

function summaryOf(item: unknown, type: AgentType): AgentSummary[] {
  if (!isJsonObject(item)) return [];
  const id = stringField(item, 'id');
  return id ? [{ id, type, name: stringField(item, 'name'), description: stringField(item, 'description') }] : [];
}
