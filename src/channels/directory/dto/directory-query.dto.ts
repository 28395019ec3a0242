import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CHANNEL_TYPES, type ChannelType } from '../../channel';
import { InstanceScopeQueryDto } from '../../instance-scope-query.dto';
import { CHAT_TYPES, type ChatType } from './omni-chat.dto';
import { CONTACT_STATUSES, type ContactStatus } from './omni-contact.dto';

const queryBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** `page`/`page_size` paging of the original's channel views. */
class DirectoryPageQueryDto extends InstanceScopeQueryDto {
  /** Page number, from 1. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number = 1;

  /** Items per page (1–500). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  page_size?: number = 50;

  /** Case-insensitive text to find in the name or the id (WhatsApp: the phone number is in the id). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search_query?: string;

  /** Only answer for instances of this channel (another channel gives an empty page and a partial error). */
  @IsOptional()
  @IsIn(CHANNEL_TYPES)
  channel_type?: ChannelType;
}

export class ContactsQueryDto extends DirectoryPageQueryDto {
  @IsOptional()
  @IsIn(CONTACT_STATUSES)
  status_filter?: ContactStatus;
}

export class ChatsQueryDto extends DirectoryPageQueryDto {
  /** `direct` (people, WhatsApp `@s.whatsapp.net` and `@lid`), `group`, `channel` (broadcasts) or `thread`. */
  @IsOptional()
  @IsIn(CHAT_TYPES)
  chat_type_filter?: ChatType;

  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  archived?: boolean;
}
