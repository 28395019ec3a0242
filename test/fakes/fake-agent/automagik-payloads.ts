// Automagik Agents API answers (`POST /api/v1/agent/{name}/run`), as the original Omni reads them.
import { randomUUID } from 'node:crypto';
import type { FakeRunAnswer, JsonObject } from './agentos-payloads';

export function automagikAnswer(sessionName: string | undefined, message: string, answer: FakeRunAnswer): JsonObject {
  const content = typeof answer.content === 'string' ? answer.content : JSON.stringify(answer.content);
  const requestTokens = 300 + message.length;
  const responseTokens = content.length;
  return {
    message: content,
    session_id: sessionName ?? randomUUID(),
    success: true,
    tool_calls: (answer.tools ?? []).map((name) => ({ tool_name: name, args: {}, tool_call_id: randomUUID() })),
    tool_outputs: [],
    usage: {
      request_tokens: requestTokens,
      response_tokens: responseTokens,
      total_tokens: requestTokens + responseTokens,
    },
  };
}

export function automagikFailure(sessionName: string | undefined, error: string): JsonObject {
  const sessionId = sessionName ?? randomUUID();
  return { message: error, session_id: sessionId, success: false, tool_calls: [], tool_outputs: [], usage: {} };
}
