// What the agent sees for one or more queued messages of a chat, and where the agent is.
import type { AgentRequest, AgentTarget } from '../agent/agent.types';
import type { InboundMessage } from '../channels/channel';
import type { InstanceConfig } from '../instances/instance.entity';
import type { GroupContextLine } from '../conversations/group-context.service';
import type { ResolvedPerson } from '../users/users.service';

export function agentTargetOf(instance: InstanceConfig): AgentTarget {
  return {
    instanceType: instance.agentInstanceType,
    apiUrl: instance.agentApiUrl ?? '',
    apiKey: instance.agentApiKey ?? undefined,
    agentId: instance.agentId || instance.defaultAgent || 'default',
    agentType: instance.agentType,
    timeoutMs: instance.agentTimeout * 1000,
    stream: instance.agentStreamMode,
  };
}

/**
 * One line per message. In groups each line names its author (`[Ana]: …`), as the original
 * did, so the agent can tell people apart; a quoted reply adds what it answers.
 */
export function agentTextOf(messages: InboundMessage[]): string {
  return messages.map(lineOf).join('\n');
}

function lineOf(message: InboundMessage): string {
  const quote = message.quoted?.text ? `Replying to: "${message.quoted.text}"\n` : '';
  const author = message.isGroup ? `[${message.sender.displayName ?? message.sender.id}]: ` : '';
  return `${quote}${author}${message.text}`;
}

/**
 * The agent request for a chat's messages. In a group, the messages that were not addressed to
 * the bot since its last answer come first, as context.
 */
export function buildAgentRequest(
  messages: InboundMessage[],
  person: ResolvedPerson,
  sessionId: string,
  groupContext: GroupContextLine[] = [],
): AgentRequest {
  const last = messages[messages.length - 1];
  const media = messages.flatMap((m) => (m.media && (m.media.base64 || m.media.url) ? [m.media] : []));
  return {
    text: contextPreamble(groupContext) + agentTextOf(messages),
    sessionId,
    userId: person.personId,
    userName: last.sender.displayName,
    phoneNumber: person.phone,
    messageType: last.messageType,
    media: media.length ? media : undefined,
    context: { channel: last.channel, chat_id: last.chatId, is_group: last.isGroup },
  };
}

function contextPreamble(lines: GroupContextLine[]): string {
  if (!lines.length) return '';
  const history = lines.map((l) => `[${l.senderName ?? 'someone'}]: ${l.text}`).join('\n');
  return `Earlier in this group:\n${history}\n\nNow:\n`;
}

/**
 * Stable per person and chat: `{session_id_prefix}{person}` in a direct chat, with the group id
 * in a group. A chat whose conversation ended (finish keyword, expiry) gets `-{n}` appended.
 */
export function sessionNameOf(instance: InstanceConfig, message: InboundMessage, person: ResolvedPerson, epoch = 0): string {
  const prefix = instance.sessionIdPrefix ?? `${instance.name}-`;
  const base = message.isGroup ? `${prefix}${message.chatId.split('@')[0]}_${person.personId}` : `${prefix}${person.personId}`;
  return epoch > 0 ? `${base}-${epoch}` : base;
}
