import { Transform } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

/** A phone number with its country code: 8–15 digits, an optional leading `+`. */
export const PHONE_NUMBER = /^\+?\d{8,15}$/;
/** A phone number, or a WhatsApp chat JID: a person (`@s.whatsapp.net`), a hidden number (`@lid`) or a group (`@g.us`). */
export const RECIPIENT = /^(\+?\d{8,15}|\d+(-\d+)?@(s\.whatsapp\.net|lid|g\.us))$/;

const RECIPIENT_RULE =
  'phone_number must be 8–15 digits with an optional + (e.g. +5511999999999), ' +
  'or a JID ending in @s.whatsapp.net, @lid or @g.us';

/** Spaces, dashes, dots and brackets people type in phone numbers are dropped (JIDs are kept as they are). */
export const withoutPhoneFormatting = ({ value }: { value: unknown }) =>
  typeof value === 'string' && !value.includes('@') ? value.replace(/[\s().-]/g, '') : value;

/** Who receives the message: a phone number or chat JID, or (later) an Omni user id. */
export class RecipientDto {
  /** Phone number with country code (`+5511999999999`) or chat JID (`…@s.whatsapp.net`, `…@lid`, `…@g.us`). */
  @ValidateIf((dto: RecipientDto) => dto.user_id === undefined)
  @Transform(withoutPhoneFormatting)
  @IsDefined({ message: 'phone_number is required (or user_id)' })
  @Matches(RECIPIENT, { message: RECIPIENT_RULE })
  phone_number?: string;

  /** Omni user id of the recipient. Not supported yet: pass `phone_number`. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  user_id?: string;
}
