// What the router hands to an agent server and what comes back, independent of the server's API.
import type { InboundMedia, MessageType, OutboundFile } from '../channels/channel';

export const AGENT_INSTANCE_TYPES = ['automagik', 'hive'] as const;
export type AgentInstanceType = (typeof AGENT_INSTANCE_TYPES)[number];

export const AGENT_TYPES = ['agent', 'team', 'workflow'] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

/** Where and how to reach an instance's agent. */
export interface AgentTarget {
  instanceType: AgentInstanceType;
  apiUrl: string;
  apiKey?: string;
  agentId: string;
  agentType: AgentType;
  timeoutMs: number;
  stream: boolean;
}

export interface AgentRequest {
  /** The text the agent sees (already prefixed/contextualised by the router). */
  text: string;
  sessionId: string;
  userId: string;
  userName?: string;
  phoneNumber?: string;
  messageType: MessageType;
  media?: InboundMedia[];
  /** Extra context (channel, chat, group history...) for agent servers that accept it. */
  context?: Record<string, unknown>;
}

export interface AgentReply {
  text: string;
  sessionId?: string;
  runId?: string;
  inputTokens?: number;
  outputTokens?: number;
  toolsUsed: string[];
  /** True when the run paused for a human-in-the-loop tool confirmation (Hive). */
  paused?: boolean;
  /** Files the agent answered with (images it made, a spoken reply...), sent after the text. */
  media: OutboundFile[];
  raw: unknown;
}

export interface AgentRunOptions {
  /** Called with each piece of reply text as it streams in (streaming mode only). */
  onText?: (delta: string) => void;
  signal?: AbortSignal;
}

export type AgentErrorKind = 'timeout' | 'http' | 'protocol' | 'run_error' | 'network';

export class AgentError extends Error {
  constructor(
    readonly kind: AgentErrorKind,
    message: string,
    readonly status?: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

/** One agent, team or workflow an agent server offers (discovery). */
export interface AgentSummary {
  id: string;
  type: AgentType;
  name?: string;
  description?: string;
}

export interface AgentServerHealth {
  /** The server's own word, e.g. `ok` for AgentOS. */
  status: string;
  raw: unknown;
}
