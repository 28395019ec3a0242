import { omitBase64 } from './base64-omission';
import type { TracePayloadResponseDto, TraceResponseDto } from './dto/trace-response.dto';
import type { MessageTrace } from './message-trace.entity';
import { decodePayload } from './payload-codec';
import type { TracePayload } from './trace-payload.entity';

export function toTraceResponse(t: MessageTrace): TraceResponseDto {
  return {
    trace_id: t.traceId,
    tenant_id: t.tenantId,
    instance_name: t.instanceName,
    channel_type: t.channelType,
    whatsapp_message_id: t.whatsappMessageId,
    chat_id: t.chatId,
    is_group: t.isGroup,
    sender_phone: t.senderPhone,
    sender_name: t.senderName,
    sender_jid: t.senderJid,
    user_id: t.userId,
    message_type: t.messageType,
    has_media: t.hasMedia,
    has_quoted_message: t.hasQuotedMessage,
    message_length: t.messageLength,
    session_name: t.sessionName,
    agent_session_id: t.agentSessionId,
    status: t.status,
    error_message: t.errorMessage,
    error_stage: t.errorStage,
    received_at: t.receivedAt,
    processing_started_at: t.processingStartedAt,
    agent_request_at: t.agentRequestAt,
    agent_response_at: t.agentResponseAt,
    evolution_send_at: t.evolutionSendAt,
    completed_at: t.completedAt,
    agent_processing_time_ms: t.agentProcessingTimeMs,
    total_processing_time_ms: t.totalProcessingTimeMs,
    agent_request_tokens: t.agentRequestTokens,
    agent_response_tokens: t.agentResponseTokens,
    agent_response_success: t.agentResponseSuccess,
    agent_response_length: t.agentResponseLength,
    agent_tools_used: t.agentToolsUsed,
    evolution_response_code: t.evolutionResponseCode,
    evolution_success: t.evolutionSuccess,
    blocked_by_access_rule: t.status === 'blocked',
    access_rule_id: t.accessRuleId,
    blocking_reason: t.blockingReason,
    processing_attempts: t.processingAttempts,
  };
}

export interface PayloadView {
  includePayload: boolean;
  omitBase64: boolean;
}

export function toTracePayloadResponse(p: TracePayload, view: PayloadView): TracePayloadResponseDto {
  const response: TracePayloadResponseDto = {
    id: p.id,
    trace_id: p.traceId,
    stage: p.stage,
    payload_type: p.payloadType,
    timestamp: p.timestamp,
    status_code: p.statusCode,
    error_details: p.errorDetails,
    attempt: p.attempt,
    payload_size_original: p.payloadSizeOriginal,
    payload_size_compressed: p.payloadSizeCompressed,
    compression_ratio: p.payloadSizeOriginal ? round(p.payloadSizeCompressed / p.payloadSizeOriginal, 3) : null,
    contains_media: p.containsMedia,
    contains_base64: p.containsBase64,
  };
  if (view.includePayload) {
    const payload = p.payloadCompressed === null ? null : decodePayload(p.payloadCompressed);
    response.payload = view.omitBase64 ? omitBase64(payload) : payload;
  }
  return response;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
