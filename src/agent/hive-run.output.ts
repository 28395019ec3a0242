// Maps AgentOS's non-streaming answer (RunOutput / TeamRunOutput / WorkflowRunOutput) to a reply.
import { AgentError, AgentReply } from './agent.types';
import { mediaOfRun } from './hive-run.media';
import {
  arrayField,
  contentText,
  isJsonObject,
  JsonObject,
  numberField,
  objectField,
  stringField,
} from './json-fields';

export function replyFromRunOutput(body: unknown): AgentReply {
  if (!isJsonObject(body)) throw new AgentError('protocol', 'Agent run answer is not a JSON object', undefined, body);
  const text = contentText(body.content) ?? '';
  const status = stringField(body, 'status');
  // Model failures can come back as HTTP 200 with the run marked failed.
  if (status === 'ERROR') throw new AgentError('run_error', text || 'Agent run failed', undefined, body);
  if (status === 'CANCELLED') throw new AgentError('run_error', 'Agent run was cancelled', undefined, body);
  return {
    text,
    sessionId: stringField(body, 'session_id'),
    runId: stringField(body, 'run_id'),
    ...tokenCounts(body),
    toolsUsed: toolNames(arrayField(body, 'tools')),
    paused: status === 'PAUSED',
    media: mediaOfRun(body),
    raw: body,
  };
}

export function tokenCounts(run: JsonObject): Pick<AgentReply, 'inputTokens' | 'outputTokens'> {
  const metrics = objectField(run, 'metrics') ?? {};
  return { inputTokens: numberField(metrics, 'input_tokens'), outputTokens: numberField(metrics, 'output_tokens') };
}

/** `tool_name` of each ToolExecution, each name once, in the order they ran. */
export function toolNames(tools: unknown[]): string[] {
  const names = tools.map((tool) => (isJsonObject(tool) ? stringField(tool, 'tool_name') : undefined));
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}
