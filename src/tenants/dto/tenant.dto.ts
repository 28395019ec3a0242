import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class CreateTenantDto {
  /** Unique name of the team or customer. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Matches(/^[\w .@-]+$/, { message: 'name may contain letters, digits, spaces and . _ @ - only' })
  name!: string;
}

export class TenantResponseDto {
  id!: string;
  name!: string;
  created_at!: Date;
}
