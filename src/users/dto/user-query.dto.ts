import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { SkipLimitQueryDto } from '../../common/pagination.dto';

export class UserQueryDto extends SkipLimitQueryDto {
  /** Part of a name, phone number or channel id (case-insensitive). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /** Admin key only: one tenant's users. */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}
