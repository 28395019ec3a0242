import { IsOptional, IsUUID } from 'class-validator';

/** Query of every per-instance route: which tenant's instance, when a name is ambiguous. */
export class InstanceScopeQueryDto {
  /** Admin key only: pick the tenant when several tenants use the same instance name. */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}
