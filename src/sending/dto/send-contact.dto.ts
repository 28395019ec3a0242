import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PHONE_NUMBER, RecipientDto, withoutPhoneFormatting } from './recipient.dto';

export class ContactCardDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  full_name!: string;

  /** The card's number (WhatsApp needs it to make the card tappable). */
  @Transform(withoutPhoneFormatting)
  @Matches(PHONE_NUMBER, { message: 'phone_number must be 8–15 digits with an optional +' })
  phone_number!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  organization?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  url?: string;
}

export class SendContactDto extends RecipientDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContactCardDto)
  contacts!: ContactCardDto[];
}
