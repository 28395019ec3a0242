import { ApiProperty } from '@nestjs/swagger';
import type { ChannelType } from '../../channel';
import { PartialErrorDto } from './partial-error.dto';

export const CONTACT_STATUSES = ['online', 'offline', 'away', 'dnd', 'unknown'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** The original's OmniContact: a person or group the instance knows, in channel-neutral fields. */
export class OmniContactDto {
  /** The channel's id (WhatsApp: the JID). */
  id!: string;
  name!: string;
  channel_type!: ChannelType;
  instance_name!: string;
  avatar_url!: string | null;
  @ApiProperty({ enum: CONTACT_STATUSES })
  status!: ContactStatus;
  is_verified!: boolean | null;
  is_business!: boolean | null;
  /** What only this channel knows (WhatsApp: `phone_number`, `is_contact`, `is_group`, `push_name`, `raw_data`). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  channel_data!: Record<string, unknown>;
  created_at!: Date | null;
  last_seen!: Date | null;
}

export class OmniContactsResponseDto {
  contacts!: OmniContactDto[];
  /** Contacts matching the filters, over all pages. */
  total_count!: number;
  page!: number;
  page_size!: number;
  has_more!: boolean;
  instance_name!: string;
  channel_type!: ChannelType | null;
  partial_errors!: PartialErrorDto[];
}
