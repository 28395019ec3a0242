// Folds an AgentOS event stream into one reply, following protocols.md §3.5: only the top-level
// run's events count (a team stream also carries its members' events, marked by parent_run_id),
// deltas are reported as they arrive, and the completed event's content wins as the final text.
import { AgentError, AgentReply, AgentType } from './agent.types';
import { mediaOfRun } from './hive-run.media';
import { tokenCounts, toolNames } from './hive-run.output';
import { contentText, isJsonObject, JsonObject, objectField, stringField } from './json-fields';
import type { SseEvent } from './sse.parser';

interface RunEventNames {
  started: string;
  /** Deltas of the reply text; the second name is agno v1's. */
  content: string[];
  /** Outputs of workflow steps, the fallback text when WorkflowCompleted carries none. */
  stepOutput: string[];
  toolCompleted?: string;
  completed: string;
  paused?: string;
  cancelled: string;
}

const EVENT_NAMES: Record<AgentType, RunEventNames> = {
  agent: {
    started: 'RunStarted',
    content: ['RunContent', 'RunResponseContent'],
    stepOutput: [],
    toolCompleted: 'ToolCallCompleted',
    completed: 'RunCompleted',
    paused: 'RunPaused',
    cancelled: 'RunCancelled',
  },
  team: {
    started: 'TeamRunStarted',
    content: ['TeamRunContent', 'TeamRunResponseContent'],
    stepOutput: [],
    toolCompleted: 'TeamToolCallCompleted',
    completed: 'TeamRunCompleted',
    paused: 'TeamRunPaused',
    cancelled: 'TeamRunCancelled',
  },
  // A workflow's steps stream their agents' events too, but only the workflow's output is the answer.
  workflow: {
    started: 'WorkflowStarted',
    content: [],
    stepOutput: ['StepOutput', 'StepCompleted'],
    completed: 'WorkflowCompleted',
    cancelled: 'WorkflowCancelled',
  },
};

export class HiveRunStream {
  /** True once the run completed or paused: nothing after that changes the reply. */
  finished = false;
  private readonly names: RunEventNames;
  private deltas = '';
  private deltasReported = false;
  private finalText?: string;
  private stepText?: string;
  private runId?: string;
  private sessionId?: string;
  private tokens: Pick<AgentReply, 'inputTokens' | 'outputTokens'> = {};
  private readonly tools: string[] = [];
  private paused = false;
  private terminal?: JsonObject;
  private eventCount = 0;

  constructor(
    agentType: AgentType,
    private readonly onText?: (delta: string) => void,
  ) {
    this.names = EVENT_NAMES[agentType];
  }

  accept(sse: SseEvent): void {
    const data = eventData(sse);
    if (!data) return;
    this.eventCount++;
    const name = sse.event === 'message' ? (stringField(data, 'event') ?? sse.event) : sse.event;
    if (isTopLevel(data)) this.handle(name, data);
  }

  reply(): AgentReply {
    if (this.eventCount === 0) throw new AgentError('protocol', 'Agent stream ended without any event');
    const text = this.finalText ?? (this.deltas || this.stepText || '');
    if (!this.finished && !text) throw new AgentError('protocol', 'Agent stream ended before the run completed');
    // Whoever only listens to deltas still gets an answer that arrived in one piece.
    if (!this.deltasReported && text) this.onText?.(text);
    return {
      text,
      sessionId: this.sessionId,
      runId: this.runId,
      ...this.tokens,
      toolsUsed: [...new Set(this.tools)],
      paused: this.paused,
      media: this.terminal ? mediaOfRun(this.terminal) : [],
      raw: this.terminal ?? { content: text },
    };
  }

  private handle(name: string, data: JsonObject): void {
    const names = this.names;
    if (name.endsWith('Error') && name !== 'StepError') throw runError(name, data);
    if (name === names.cancelled) throw new AgentError('run_error', cancelMessage(data), undefined, data);
    if (name === names.started) this.rememberIds(data);
    if (names.content.includes(name)) this.appendDelta(data);
    if (names.stepOutput.includes(name)) this.stepText = stepContent(data) ?? this.stepText;
    if (name === names.toolCompleted) this.tools.push(...toolNames([data.tool]));
    if (name === names.completed) this.complete(data);
    if (name === names.paused) this.pause(data);
  }

  private appendDelta(data: JsonObject): void {
    const delta = data.content;
    if (typeof delta !== 'string' || delta === '') return;
    this.deltas += delta;
    this.deltasReported = true;
    this.onText?.(delta);
  }

  private complete(data: JsonObject): void {
    this.rememberIds(data);
    this.finalText = contentText(data.content);
    this.tokens = tokenCounts(data);
    this.tools.push(...toolNames(Array.isArray(data.tools) ? data.tools : []));
    this.terminal = data;
    this.finished = true;
  }

  private pause(data: JsonObject): void {
    this.rememberIds(data);
    this.paused = true;
    this.terminal = data;
    this.finished = true;
  }

  private rememberIds(data: JsonObject): void {
    this.runId = stringField(data, 'run_id') ?? this.runId;
    this.sessionId = stringField(data, 'session_id') ?? this.sessionId;
  }
}

function eventData(sse: SseEvent): JsonObject | undefined {
  if (sse.data.trim() === '[DONE]') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(sse.data);
  } catch {
    throw new AgentError('protocol', `Agent stream event ${sse.event} is not JSON`, undefined, sse.data.slice(0, 1000));
  }
  if (!isJsonObject(parsed)) throw new AgentError('protocol', `Agent stream event ${sse.event} is not an object`);
  return parsed;
}

function isTopLevel(data: JsonObject): boolean {
  return data.parent_run_id === undefined || data.parent_run_id === null || data.parent_run_id === '';
}

function runError(name: string, data: JsonObject): AgentError {
  const detail = stringField(data, 'content') || stringField(data, 'error');
  return new AgentError('run_error', detail || `Agent run failed (${name})`, undefined, data);
}

function cancelMessage(data: JsonObject): string {
  const reason = stringField(data, 'reason');
  return reason ? `Agent run was cancelled: ${reason}` : 'Agent run was cancelled';
}

/** StepOutput nests the step's result in `step_output`; StepCompleted carries `content` itself. */
function stepContent(data: JsonObject): string | undefined {
  return contentText((objectField(data, 'step_output') ?? data).content);
}
