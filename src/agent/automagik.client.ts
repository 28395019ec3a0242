// Client for the Automagik Agents API (`POST /api/v1/agent/{name}/run`, JSON in and out), the
// original Omni's default agent backend (omni-features.md §5.2).
import { Injectable } from '@nestjs/common';
import type { InboundMedia, MessageType } from '../channels/channel';
import { AgentHttp, joinUrl } from './agent-http';
import {
  AgentError,
  AgentReply,
  AgentRequest,
  AgentRunOptions,
  AgentServerHealth,
  AgentTarget,
} from './agent.types';
import { uploadMimeType } from './hive-run.form';
import { arrayField, isJsonObject, JsonObject, numberField, objectField, stringField } from './json-fields';

/** The message types the Automagik API knows; the rest reach it as text. */
const AUTOMAGIK_MESSAGE_TYPES: Partial<Record<MessageType, string>> = {
  text: 'text',
  image: 'image',
  sticker: 'image',
  video: 'video',
  audio: 'audio',
  document: 'document',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AutomagikAgentClient {
  constructor(private readonly http: AgentHttp) {}

  run(target: AgentTarget, request: AgentRequest, options: AgentRunOptions = {}): Promise<AgentReply> {
    const url = joinUrl(target.apiUrl, `/api/v1/agent/${encodeURIComponent(target.agentId)}/run`);
    return this.http.withDeadline({ ...target, signal: options.signal }, async (signal) => {
      const body = await this.http.sendForJson(
        { method: 'POST', url, body: runBody(request), headers: headers(target.apiKey) },
        signal,
      );
      return replyFromAnswer(body);
    });
  }

  health(target: AgentTarget): Promise<AgentServerHealth> {
    return this.http.health(target);
  }
}

function headers(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { 'x-api-key': apiKey } : {};
}

function runBody(request: AgentRequest): JsonObject {
  return {
    message_content: request.text,
    message_type: AUTOMAGIK_MESSAGE_TYPES[request.messageType] ?? 'text',
    session_name: request.sessionId,
    // The API keys its users by UUID; a phone number or Discord id reaches it through `user` instead.
    user_id: UUID.test(request.userId) ? request.userId : undefined,
    user: { phone_number: request.phoneNumber, user_data: { name: request.userName } },
    media_contents: request.media?.length ? request.media.map((item) => mediaContent(item, request.text)) : undefined,
    context: request.context,
  };
}

/** The original Omni's `media_contents` item: bytes when it has them, else a URL. */
function mediaContent(item: InboundMedia, caption: string): JsonObject {
  return {
    alt_text: caption || item.kind,
    mime_type: uploadMimeType(item),
    ...(item.base64 ? { data: item.base64 } : { media_url: item.url }),
    name: item.fileName,
    duration: item.seconds,
  };
}

function replyFromAnswer(body: unknown): AgentReply {
  if (!isJsonObject(body)) throw new AgentError('protocol', 'Automagik answer is not a JSON object', undefined, body);
  const message = stringField(body, 'message') ?? '';
  if (body.success === false) throw new AgentError('run_error', message || 'Agent run failed', undefined, body);
  const usage = objectField(body, 'usage') ?? {};
  return {
    text: message,
    sessionId: stringField(body, 'session_id'),
    inputTokens: numberField(usage, 'request_tokens'),
    outputTokens: numberField(usage, 'response_tokens'),
    toolsUsed: toolCallNames(arrayField(body, 'tool_calls')),
    // The Automagik agents API answers with text only.
    media: [],
    raw: body,
  };
}

/** pydantic-ai tool calls name the tool `tool_name`; older answers used `name`. */
function toolCallNames(calls: unknown[]): string[] {
  const names = calls.map((call) =>
    isJsonObject(call) ? (stringField(call, 'tool_name') ?? stringField(call, 'name')) : undefined,
  );
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}
