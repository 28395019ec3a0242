import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PHONE_NUMBER, RecipientDto, withoutPhoneFormatting } from './recipient.dto';

const eachWithoutPhoneFormatting = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((item: unknown) => withoutPhoneFormatting({ value: item })) : value;

export class SendTextDto extends RecipientDto {
  @IsString()
  @Matches(/\S/, { message: 'text must not be blank' })
  @MaxLength(65_536)
  text!: string;

  /** Id of the message to reply to (the `message_id` of an earlier send, or an incoming message's id). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  quoted_message_id?: string;

  /** Turn `@5511999999999` in the text into mentions (ignored when `mentioned` is given). */
  @IsOptional()
  @IsBoolean()
  auto_parse_mentions?: boolean = true;

  /** Phone numbers to mention. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @Transform(eachWithoutPhoneFormatting)
  @Matches(PHONE_NUMBER, { each: true, message: 'each of mentioned must be 8–15 digits with an optional +' })
  mentioned?: string[];

  /** Mention everyone in the group. */
  @IsOptional()
  @IsBoolean()
  mentions_everyone?: boolean;

  /** Send each paragraph (blank-line separated) as its own message; defaults to the instance's `enable_auto_split`. */
  @IsOptional()
  @IsBoolean()
  split_message?: boolean;
}
