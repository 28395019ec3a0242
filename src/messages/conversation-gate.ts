// Whether the agent should answer a message at all: group policy and mentions, triggers and
// ignored chats. Pure rules over the instance's settings; the router records the reason.
import type { InboundMessage } from '../channels/channel';
import type { InstanceConfig } from '../instances/instance.entity';

export type GateDecision = { answer: true } | { answer: false; reason: string; keepAsGroupContext: boolean };

const ANSWER: GateDecision = { answer: true };
const skip = (reason: string, keepAsGroupContext = false): GateDecision => ({ answer: false, reason, keepAsGroupContext });

export function decideAnswer(instance: InstanceConfig, message: InboundMessage): GateDecision {
  if (isIgnoredChat(instance.ignoreJids ?? [], message)) return skip('chat is in ignore_jids');
  if (message.messageType === 'reaction') return skip('reactions are not sent to the agent');
  if (message.isGroup) {
    const group = decideGroup(instance, message);
    if (!group.answer) return group;
  }
  return decideTrigger(instance, message.text);
}

function decideGroup(instance: InstanceConfig, message: InboundMessage): GateDecision {
  const override = (instance.groupOverrides ?? []).find((o) => o.chat_id === message.chatId);
  const policy = override?.group_policy ?? instance.groupPolicy;
  if (policy === 'disabled') return skip('groups are disabled for this instance');
  const allowlisted = override?.group_policy === 'open' || (instance.groupAllowlist ?? []).includes(message.chatId);
  if (policy === 'allowlist' && !allowlisted) return skip('group is not in group_allowlist');
  const requireMention = override?.group_require_mention ?? instance.groupRequireMention;
  const patterns = override?.mention_patterns ?? instance.mentionPatterns ?? [];
  if (requireMention && !isAddressedToBot(instance, message, patterns)) {
    return skip('group message does not mention the bot', true);
  }
  return ANSWER;
}

/** Mentioned by phone JID or LID, replied to, or named by one of the mention patterns. */
export function isAddressedToBot(instance: InstanceConfig, message: InboundMessage, patterns: string[]): boolean {
  const own = ownIds(instance);
  if (message.mentions.some((id) => own.has(bareId(id)))) return true;
  if (message.quoted?.participant && own.has(bareId(message.quoted.participant))) return true;
  return patterns.some((pattern) => safeRegex(pattern)?.test(message.text) ?? false);
}

function ownIds(instance: InstanceConfig): Set<string> {
  return new Set([instance.ownerJid, instance.ownerLid].filter((id): id is string => Boolean(id)).map(bareId));
}

/** `5511…:12@s.whatsapp.net` → `5511…@s.whatsapp.net`: device suffixes do not change who it is. */
const bareId = (id: string) => id.replace(/:\d+(?=@)/, '').toLowerCase();

function isIgnoredChat(ignore: string[], message: InboundMessage): boolean {
  return ignore.some((entry) =>
    entry.startsWith('@') ? message.chatId.endsWith(entry) : entry === message.chatId || entry === message.sender.jid,
  );
}

function decideTrigger(instance: InstanceConfig, text: string): GateDecision {
  if (instance.triggerType === 'none') return skip('trigger_type is none');
  if (instance.triggerType === 'all') return ANSWER;
  return matchesTrigger(instance, text) ? ANSWER : skip('message does not match the trigger');
}

function matchesTrigger(instance: InstanceConfig, text: string): boolean {
  const value = instance.triggerValue ?? '';
  if (!value) return false;
  const subject = text.trim().toLowerCase();
  const wanted = value.toLowerCase();
  switch (instance.triggerOperator) {
    case 'equals':
      return subject === wanted;
    case 'starts_with':
      return subject.startsWith(wanted);
    case 'ends_with':
      return subject.endsWith(wanted);
    case 'regex':
      return safeRegex(value)?.test(text) ?? false;
    default:
      return subject.includes(wanted);
  }
}

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    return undefined;
  }
}
