import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth';
import { ApiAdminOnly, ApiAuthenticated, ApiConflict, ApiNotFound } from '../common/api-error-responses';
import { SkipLimitQueryDto } from '../common/pagination.dto';
import { CreateTenantDto, TenantResponseDto } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@ApiAuthenticated()
@ApiAdminOnly()
@AdminOnly()
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  /** Create a tenant (admin key only). */
  @Post()
  @ApiConflict('A tenant with that name exists')
  createTenant(@Body() dto: CreateTenantDto): Promise<TenantResponseDto> {
    return this.tenants.create(dto);
  }

  /** List tenants (admin key only). */
  @Get()
  listTenants(@Query() query: SkipLimitQueryDto): Promise<TenantResponseDto[]> {
    return this.tenants.list(query.skip!, query.limit!);
  }

  /** Get one tenant (admin key only). */
  @Get(':tenant_id')
  @ApiNotFound('Tenant')
  getTenant(@Param('tenant_id', ParseUUIDPipe) id: string): Promise<TenantResponseDto> {
    return this.tenants.get(id);
  }
}
