import type { ChannelType, MessageType } from '../../channels/channel';
import type { TraceStatus } from '../message-trace.entity';

/** The journey of one message: the original's TraceResponse fields, and Omni's additions. */
export class TraceResponseDto {
  trace_id!: string;
  tenant_id!: string | null;
  instance_name!: string | null;
  channel_type!: ChannelType;
  /** The channel's message id (the original's name; a Discord message id too). */
  whatsapp_message_id!: string | null;
  /** Where the message was written: a WhatsApp chat JID (person or group) or a Discord channel id. */
  chat_id!: string | null;
  is_group!: boolean;
  /** The sender's phone digits, or their channel id when no number is known. */
  sender_phone!: string | null;
  sender_name!: string | null;
  sender_jid!: string | null;
  user_id!: string | null;
  message_type!: MessageType;
  has_media!: boolean;
  has_quoted_message!: boolean;
  message_length!: number;
  session_name!: string | null;
  agent_session_id!: string | null;
  status!: TraceStatus;
  error_message!: string | null;
  error_stage!: string | null;
  received_at!: Date;
  processing_started_at!: Date | null;
  agent_request_at!: Date | null;
  agent_response_at!: Date | null;
  evolution_send_at!: Date | null;
  completed_at!: Date | null;
  agent_processing_time_ms!: number | null;
  total_processing_time_ms!: number | null;
  agent_request_tokens!: number | null;
  agent_response_tokens!: number | null;
  agent_response_success!: boolean | null;
  agent_response_length!: number | null;
  agent_tools_used!: number;
  evolution_response_code!: number | null;
  evolution_success!: boolean | null;
  /** The access rules stopped the message (status `blocked`). */
  blocked_by_access_rule!: boolean;
  /** The rule that decided, when one matched. */
  access_rule_id!: string | null;
  blocking_reason!: string | null;
  processing_attempts!: number;
}

export class TracePayloadResponseDto {
  id!: string;
  trace_id!: string;
  /** webhook_received, agent_request, agent_response, evolution_send, … */
  stage!: string;
  /** webhook, request or response. */
  payload_type!: string;
  timestamp!: Date;
  status_code!: number | null;
  error_details!: string | null;
  /** Which try of a retried call (1-based). */
  attempt!: number | null;
  payload_size_original!: number;
  payload_size_compressed!: number;
  /** Compressed size over original size. */
  compression_ratio!: number | null;
  contains_media!: boolean;
  contains_base64!: boolean;
  /** The payload, decompressed (only with `include_payload=true`). */
  payload?: unknown;
}

export class TraceCleanupResponseDto {
  /** `dry_run` (nothing deleted) or `completed`. */
  status!: 'dry_run' | 'completed';
  /** Traces received before this instant are (or would be) deleted. */
  cutoff_date!: Date;
  /** Dry run: how many traces would be deleted. */
  traces_to_delete?: number;
  traces_deleted?: number;
  payloads_deleted?: number;
  message!: string;
}
