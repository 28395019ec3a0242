import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { SkipLimitQueryDto } from '../../common/pagination.dto';
import { queryBoolean } from '../../common/query-boolean';

export class InstanceStatusQueryDto {
  /** Ask the channel for the live connection status of each instance (one call per instance). */
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  include_status?: boolean = false;

  /** Admin key only: pick the tenant when several tenants use the same instance name. */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}

export class ListInstancesQueryDto extends SkipLimitQueryDto {
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  include_status?: boolean = false;

  /** Admin key only: list one tenant's instances. */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}
