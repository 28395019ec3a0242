import { ApiProperty } from '@nestjs/swagger';
import type { ChannelType } from '../../channel';
import { PartialErrorDto } from './partial-error.dto';

export const CHAT_TYPES = ['direct', 'group', 'channel', 'thread'] as const;
export type ChatType = (typeof CHAT_TYPES)[number];

/**
 * The original's OmniChat: a conversation of the instance. Open to additions: conversation state
 * (e.g. whether the agent is paused in the chat) belongs here as further fields.
 */
export class OmniChatDto {
  /** The channel's id (WhatsApp: the chat JID). */
  id!: string;
  name!: string;
  @ApiProperty({ enum: CHAT_TYPES })
  chat_type!: ChatType;
  channel_type!: ChannelType;
  instance_name!: string;
  participant_count!: number | null;
  is_muted!: boolean;
  is_archived!: boolean;
  is_pinned!: boolean;
  description!: string | null;
  avatar_url!: string | null;
  unread_count!: number | null;
  /** What only this channel knows (WhatsApp: `group_id`, `phone_number`, `raw_data` with the last message). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  channel_data!: Record<string, unknown>;
  created_at!: Date | null;
  last_message_at!: Date | null;
  /** In the single-chat view: whether the agent is silent in this chat now (a human took over, or an operator paused it). */
  agent_paused?: boolean;
  agent_paused_until?: Date | null;
  /** `human_takeover` or `operator`. */
  agent_pause_reason?: string | null;
}

export class OmniChatsResponseDto {
  chats!: OmniChatDto[];
  /** Chats matching the filters, over all pages. */
  total_count!: number;
  page!: number;
  page_size!: number;
  has_more!: boolean;
  instance_name!: string;
  channel_type!: ChannelType | null;
  partial_errors!: PartialErrorDto[];
}
