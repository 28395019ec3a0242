import { IsBase64, IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { RecipientDto } from './recipient.dto';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };
export const MEDIA_TYPES = ['image', 'video', 'document'] as const;

export class SendMediaDto extends RecipientDto {
  @IsIn(MEDIA_TYPES)
  media_type!: (typeof MEDIA_TYPES)[number];

  /** e.g. `image/jpeg`, `video/mp4`, `application/pdf`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  mime_type!: string;

  /** URL of the file (or give `media_base64`). */
  @ValidateIf((dto: SendMediaDto) => dto.media_base64 === undefined)
  @IsDefined({ message: 'media_url or media_base64 is required' })
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  media_url?: string;

  /** The file's bytes, base64-encoded (without a `data:` prefix). */
  @IsOptional()
  @IsBase64()
  media_base64?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  caption?: string;

  /** File name shown for documents. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

/** Sent as a voice note. */
export class SendAudioDto extends RecipientDto {
  /** URL of the audio file (or give `audio_base64`). */
  @ValidateIf((dto: SendAudioDto) => dto.audio_base64 === undefined)
  @IsDefined({ message: 'audio_url or audio_base64 is required' })
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  audio_url?: string;

  @IsOptional()
  @IsBase64()
  audio_base64?: string;
}

export class SendStickerDto extends RecipientDto {
  /** URL of the sticker image (or give `sticker_base64`). */
  @ValidateIf((dto: SendStickerDto) => dto.sticker_base64 === undefined)
  @IsDefined({ message: 'sticker_url or sticker_base64 is required' })
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  sticker_url?: string;

  @IsOptional()
  @IsBase64()
  sticker_base64?: string;
}
