import { IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

export class CreateApiKeyDto {
  /** What the key is for (shown in listings). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  /** The tenant the key acts for. Required unless `is_admin` is true. */
  @ValidateIf((dto: CreateApiKeyDto) => !dto.is_admin)
  @IsUUID()
  tenant_id?: string;

  /** A second admin key (for rotation); it sees every tenant. */
  @IsOptional()
  @IsBoolean()
  is_admin?: boolean;
}

export class ApiKeyQueryDto {
  /** Only keys of this tenant. */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}

export class ApiKeyResponseDto {
  id!: string;
  name!: string;
  tenant_id!: string | null;
  is_admin!: boolean;
  /** The first characters of the key, to recognise it. */
  key_prefix!: string;
  created_at!: Date;
  last_used_at!: Date | null;
  revoked_at!: Date | null;
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  /** The key itself. Shown only in this response: store it now. */
  key!: string;
}
