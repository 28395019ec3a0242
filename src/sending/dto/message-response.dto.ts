import { ApiProperty } from '@nestjs/swagger';

export const MESSAGE_STATUSES = ['sent', 'updated'] as const;

/**
 * The original's MessageResponse. Failures are HTTP errors (422 refused, 502 unreachable), so a
 * response always says `success: true`; `success` and `error` stay for existing clients.
 */
export class MessageResponseDto {
  success!: boolean;
  /** The channel's id of the sent message (for a split text: the first part), for replies and reactions. */
  message_id!: string | null;
  /** Ids of every message sent, in order (several when a text was split). */
  message_ids!: string[];
  @ApiProperty({ enum: MESSAGE_STATUSES })
  status!: (typeof MESSAGE_STATUSES)[number];
  error!: string | null;
}
