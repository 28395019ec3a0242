// AgentOS answers shaped like ../shared/fixtures/hive: a RunOutput for non-stream runs, and the
// event sequences of agent, team and workflow streams (protocols.md §3.4–3.5).
import { randomUUID } from 'node:crypto';

export type JsonObject = Record<string, unknown>;
export type RunKind = 'agent' | 'team' | 'workflow';

export interface FakeRunAnswer {
  /** The reply; an object stands for structured output. */
  content: string | JsonObject;
  /** Names of the tools the run used. */
  tools?: string[];
  /** Pause the run for a human-in-the-loop confirmation of its tools. */
  paused?: boolean;
  /** Files of the run, as `Image.to_dict()` / `Audio.to_dict()` give them (`url` or base64 `content`). */
  media?: { images?: JsonObject[]; videos?: JsonObject[]; audio?: JsonObject[]; files?: JsonObject[]; response_audio?: JsonObject };
}

export interface RunContext {
  kind: RunKind;
  id: string;
  runId: string;
  sessionId: string;
  userId?: string;
  message: string;
}

export interface StreamEvent {
  event: string;
  data: JsonObject;
}

const MODEL = { model: 'gpt-4.1-mini', model_provider: 'OpenAI' };
/** The model provider's error as AgentOS relays it (fixtures/hive/run.stream.error.sse.txt). */
export const RATE_LIMIT_ERROR =
  "Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4.1-mini', " +
  "'type': 'requests', 'code': 'rate_limit_exceeded'}}";

export function displayName(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

export function runOutput(ctx: RunContext, answer: FakeRunAnswer): JsonObject {
  const tools = answer.tools?.length ? { tools: answer.tools.map((name) => toolExecution(name, answer.paused)) } : {};
  return {
    run_id: ctx.runId,
    ...owner(ctx),
    session_id: ctx.sessionId,
    ...(ctx.userId ? { user_id: ctx.userId } : {}),
    content: answer.content,
    content_type: contentType(answer.content),
    ...MODEL,
    metrics: metrics(ctx.message, answer.content),
    created_at: now(),
    status: answer.paused ? 'PAUSED' : 'COMPLETED',
    ...tools,
    ...answer.media,
    ...(ctx.kind === 'team' ? { member_responses: [] } : {}),
    ...(ctx.kind === 'workflow' ? { step_results: [{ step_name: 'answer', content: answer.content }] } : {}),
    input: { input_content: ctx.message },
  };
}

export function failedRunOutput(ctx: RunContext, error: string): JsonObject {
  return { ...runOutput(ctx, { content: error }), status: 'ERROR' };
}

export function runEvents(ctx: RunContext, answer: FakeRunAnswer): StreamEvent[] {
  if (ctx.kind === 'team') return teamEvents(ctx, answer);
  if (ctx.kind === 'workflow') return workflowEvents(ctx, answer);
  return agentEvents(ctx, answer, 'RunStarted');
}

export function continuedRunEvents(ctx: RunContext, answer: FakeRunAnswer): StreamEvent[] {
  return agentEvents(ctx, answer, 'RunContinued');
}

/** A run that fails after its first words: the error arrives as an event inside an HTTP 200. */
export function failingRunEvents(ctx: RunContext, answer: FakeRunAnswer): StreamEvent[] {
  const started = runEvents(ctx, answer).slice(0, 1);
  const [firstDelta] = deltas(text(answer.content));
  if (ctx.kind === 'workflow') {
    return [...started, event('WorkflowError', workflowBase(ctx), { error: RATE_LIMIT_ERROR })];
  }
  const prefix = ctx.kind === 'team' ? 'Team' : '';
  const content = event(`${prefix}RunContent`, runBase(ctx), contentDelta(firstDelta));
  // When the exception escapes the run object, AgentOS sends the error with blank ids and no run_id.
  const error = event(`${prefix}RunError`, { agent_id: '', agent_name: '' }, { content: RATE_LIMIT_ERROR });
  return [...started, content, error];
}

function agentEvents(ctx: RunContext, answer: FakeRunAnswer, opening: string): StreamEvent[] {
  const base = runBase(ctx);
  const tools = (answer.tools ?? []).flatMap((name) => toolCallEvents('', base, name, answer.paused));
  if (answer.paused) return [event(opening, base, MODEL), ...tools.slice(0, 1), pausedEvent(base, answer)];
  return [
    event(opening, base, MODEL),
    ...tools,
    ...contentEvents('Run', base, answer.content),
    event('RunCompleted', base, { ...completion(ctx, answer.content), ...answer.media }),
  ];
}

function teamEvents(ctx: RunContext, answer: FakeRunAnswer): StreamEvent[] {
  const base = runBase(ctx);
  const memberAnswer = `member notes for: ${ctx.message}`;
  const member = { agent_id: 'faturamento', agent_name: 'Faturamento', run_id: randomUUID(), parent_run_id: ctx.runId };
  const memberBase = { ...member, session_id: ctx.sessionId };
  const delegation = toolCall('delegate_task_to_member', { member_id: 'faturamento', task: ctx.message });
  return [
    event('TeamRunStarted', base, MODEL),
    event('TeamToolCallStarted', base, { tool: delegation }),
    event('RunStarted', memberBase, MODEL),
    ...contentEvents('Run', memberBase, memberAnswer),
    event('RunCompleted', memberBase, { content: memberAnswer, content_type: 'str' }),
    event('TeamToolCallCompleted', base, { content: memberAnswer, tool: { ...delegation, result: memberAnswer } }),
    ...(answer.tools ?? []).flatMap((name) => toolCallEvents('Team', base, name)),
    ...contentEvents('TeamRun', base, answer.content),
    event('TeamRunCompleted', base, completion(ctx, answer.content)),
  ];
}

/** Two steps, each an agent whose own events pass through; only the last step's output is the answer. */
function workflowEvents(ctx: RunContext, answer: FakeRunAnswer): StreamEvent[] {
  const base = workflowBase(ctx);
  const research = `research notes for: ${ctx.message}`;
  return [
    event('WorkflowStarted', base, {}),
    ...stepEvents(ctx, 'research', 0, research),
    ...stepEvents(ctx, 'answer', 1, answer.content),
    event('WorkflowCompleted', base, {
      content: answer.content,
      content_type: contentType(answer.content),
      step_results: [{ step_name: 'answer', content: answer.content }],
    }),
  ];
}

function stepEvents(ctx: RunContext, stepName: string, stepIndex: number, content: string | JsonObject): StreamEvent[] {
  const step = { ...workflowBase(ctx), step_name: stepName, step_index: stepIndex };
  const agent = {
    agent_id: stepName,
    agent_name: displayName(stepName),
    run_id: randomUUID(),
    session_id: ctx.sessionId,
    workflow_id: ctx.id,
  };
  return [
    event('StepStarted', step, {}),
    event('RunStarted', agent, MODEL),
    ...contentEvents('Run', agent, content),
    event('RunCompleted', agent, { content, content_type: contentType(content) }),
    event('StepCompleted', step, { content, content_type: contentType(content) }),
  ];
}

function contentEvents(prefix: 'Run' | 'TeamRun', base: JsonObject, content: string | JsonObject): StreamEvent[] {
  const pieces = typeof content === 'string' ? deltas(content) : [JSON.stringify(content)];
  return [
    ...pieces.map((piece) => event(`${prefix}Content`, base, contentDelta(piece))),
    event(`${prefix}ContentCompleted`, base, {}),
  ];
}

function toolCallEvents(prefix: '' | 'Team', base: JsonObject, name: string, paused = false): StreamEvent[] {
  const tool = toolCall(name, {});
  return [
    event(`${prefix}ToolCallStarted`, base, { tool: { ...tool, requires_confirmation: paused || null } }),
    event(`${prefix}ToolCallCompleted`, base, { tool: { ...tool, result: `${name} done` } }),
  ];
}

function pausedEvent(base: JsonObject, answer: FakeRunAnswer): StreamEvent {
  const tools = (answer.tools ?? []).map((name) => toolExecution(name, true));
  return event('RunPaused', base, { content: text(answer.content), tools });
}

function event(name: string, base: JsonObject, extra: JsonObject): StreamEvent {
  return { event: name, data: { created_at: now(), event: name, ...base, ...extra } };
}

function runBase(ctx: RunContext): JsonObject {
  return { ...owner(ctx), run_id: ctx.runId, session_id: ctx.sessionId };
}

function workflowBase(ctx: RunContext): JsonObject {
  return { workflow_id: ctx.id, workflow_name: displayName(ctx.id), run_id: ctx.runId, session_id: ctx.sessionId };
}

function owner(ctx: RunContext): JsonObject {
  const name = displayName(ctx.id);
  if (ctx.kind === 'team') return { team_id: ctx.id, team_name: name };
  if (ctx.kind === 'workflow') return { workflow_id: ctx.id, workflow_name: name };
  return { agent_id: ctx.id, agent_name: name };
}

function completion(ctx: RunContext, content: string | JsonObject): JsonObject {
  return { content, content_type: contentType(content), metrics: metrics(ctx.message, content) };
}

function contentDelta(piece: string): JsonObject {
  return { content: piece, content_type: 'str', reasoning_content: '' };
}

function toolCall(name: string, args: JsonObject): JsonObject {
  return {
    tool_call_id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    tool_name: name,
    tool_args: args,
    tool_call_error: null,
    result: null,
    created_at: now(),
  };
}

function toolExecution(name: string, paused = false): JsonObject {
  return { ...toolCall(name, {}), requires_confirmation: paused, confirmed: paused ? null : true };
}

/** Three or so deltas cut at word boundaries, like a model streaming tokens. */
export function deltas(content: string): string[] {
  const words = content.match(/\S+\s*|\s+/g) ?? [];
  const size = Math.max(1, Math.ceil(words.length / 3));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(''));
  return pieces;
}

function metrics(message: string, content: string | JsonObject): JsonObject {
  const input = 400 + wordCount(message);
  const output = wordCount(text(content));
  return { input_tokens: input, output_tokens: output, total_tokens: input + output, duration: 0.25 };
}

function wordCount(value: string): number {
  return value.split(/\s+/).filter(Boolean).length;
}

function text(content: string | JsonObject): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

function contentType(content: string | JsonObject): string {
  return typeof content === 'string' ? 'str' : 'dict';
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
