import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUrl, MaxLength } from 'class-validator';
import { RecipientDto } from './recipient.dto';

export class FetchProfileDto extends RecipientDto {}

export class FetchProfileResponseDto {
  success!: boolean;
  /** The profile as the channel describes it (WhatsApp: `wuid`, `name`, `picture`, `status`, `isBusiness`…). */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  profile!: Record<string, unknown> | null;
}

export class UpdateProfilePictureDto {
  /** URL of the new picture of the instance's own profile. */
  @IsString()
  @IsNotEmpty()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2000)
  picture_url!: string;
}
