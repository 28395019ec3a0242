import { IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsRegexPattern } from '../../common/is-regex-pattern.validator';

/** Settings for one group chat that override the instance's group settings. */
export class GroupOverrideDto {
  /** The group's chat id (WhatsApp `…@g.us`, or a Discord channel id). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  chat_id!: string;

  /** `open` answers in this group even when the instance's policy would not; `disabled` never answers there. */
  @IsOptional()
  @IsIn(['open', 'disabled'])
  group_policy?: 'open' | 'disabled';

  @IsOptional()
  @IsBoolean()
  group_require_mention?: boolean;

  @IsOptional()
  @IsArray()
  @IsRegexPattern({ each: true })
  mention_patterns?: string[];
}
