import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChannelType, MessageType } from '../channels/channel';
import { DateTimeColumn, UpdatedAtColumn } from '../database/portable-columns';

/** The journey of one message; statuses in order: received → processing → agent_called → completed | failed. */
export const TRACE_STATUSES = [
  'received',
  'processing',
  'agent_called',
  'completed',
  'failed',
  'blocked',
  'ignored',
  'duplicate',
  'invalid',
] as const;
export type TraceStatus = (typeof TRACE_STATUSES)[number];

const nullableInt = (name: string) => Column({ name, type: 'integer', nullable: true });
const nullableText = (name: string, length = 200) => Column({ name, type: 'varchar', length, nullable: true });

@Entity('message_traces')
export class MessageTrace {
  @PrimaryColumn({ name: 'trace_id', type: 'varchar', length: 36 })
  traceId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true }) tenantId!: string | null;
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true }) instanceId!: string | null;
  @nullableText('instance_name', 50) instanceName!: string | null;
  @Column({ name: 'channel_type', type: 'varchar', length: 20, default: 'whatsapp' }) channelType!: ChannelType;
  /** The channel's message id (kept under the original's name): unique per instance. */
  @nullableText('whatsapp_message_id') whatsappMessageId!: string | null;
  @nullableText('chat_id') chatId!: string | null;
  @Column({ name: 'is_group', type: 'boolean', default: false }) isGroup!: boolean;
  @nullableText('sender_phone') senderPhone!: string | null;
  @nullableText('sender_name') senderName!: string | null;
  @nullableText('sender_jid') senderJid!: string | null;
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true }) userId!: string | null;
  @Column({ name: 'message_type', type: 'varchar', length: 20, default: 'unknown' }) messageType!: MessageType;
  @Column({ name: 'has_media', type: 'boolean', default: false }) hasMedia!: boolean;
  @Column({ name: 'has_quoted_message', type: 'boolean', default: false }) hasQuotedMessage!: boolean;
  @Column({ name: 'message_length', type: 'integer', default: 0 }) messageLength!: number;
  @nullableText('session_name') sessionName!: string | null;
  @nullableText('agent_session_id') agentSessionId!: string | null;
  @Column({ type: 'varchar', length: 20, default: 'received' }) status!: TraceStatus;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage!: string | null;
  @nullableText('error_stage', 50) errorStage!: string | null;

  @DateTimeColumn({ name: 'received_at' }) receivedAt!: Date;
  @DateTimeColumn({ name: 'processing_started_at', nullable: true }) processingStartedAt!: Date | null;
  @DateTimeColumn({ name: 'agent_request_at', nullable: true }) agentRequestAt!: Date | null;
  @DateTimeColumn({ name: 'agent_response_at', nullable: true }) agentResponseAt!: Date | null;
  @DateTimeColumn({ name: 'evolution_send_at', nullable: true }) evolutionSendAt!: Date | null;
  @DateTimeColumn({ name: 'completed_at', nullable: true }) completedAt!: Date | null;

  @nullableInt('agent_processing_time_ms') agentProcessingTimeMs!: number | null;
  @nullableInt('total_processing_time_ms') totalProcessingTimeMs!: number | null;
  @nullableInt('agent_request_tokens') agentRequestTokens!: number | null;
  @nullableInt('agent_response_tokens') agentResponseTokens!: number | null;
  @Column({ name: 'agent_response_success', type: 'boolean', nullable: true }) agentResponseSuccess!: boolean | null;
  @nullableInt('agent_response_length') agentResponseLength!: number | null;
  @Column({ name: 'agent_tools_used', type: 'integer', default: 0 }) agentToolsUsed!: number;
  @nullableInt('evolution_response_code') evolutionResponseCode!: number | null;
  @Column({ name: 'evolution_success', type: 'boolean', nullable: true }) evolutionSuccess!: boolean | null;
  @Column({ name: 'access_rule_id', type: 'varchar', length: 36, nullable: true }) accessRuleId!: string | null;
  @nullableText('blocking_reason') blockingReason!: string | null;

  /** The normalised message: the durable queue while it waits, then what replay and dead-letter retries re-run. */
  @Column({ name: 'inbound_message', type: 'text', nullable: true }) inboundMessage!: string | null;
  @Column({ name: 'processing_attempts', type: 'integer', default: 0 }) processingAttempts!: number;
  /** The replica that recorded (holds) or processes (claimed) the message keeps it until then; afterwards recovery may take it over. */
  @DateTimeColumn({ name: 'claimed_until', nullable: true }) claimedUntil!: Date | null;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
