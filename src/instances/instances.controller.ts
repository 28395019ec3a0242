import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiConflict, ApiNotFound, ApiUnprocessable } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../common/auth';
import { CreateInstanceDto } from './dto/create-instance.dto';
import { InstanceStatusQueryDto, ListInstancesQueryDto } from './dto/instance-query.dto';
import {
  InstanceDeletedResponseDto,
  InstanceResponseDto,
  SupportedChannelsResponseDto,
} from './dto/instance-response.dto';
import { UpdateInstanceDto } from './dto/update-instance.dto';
import { InstancesService } from './instances.service';

@ApiTags('instances')
@ApiAuthenticated()
@Controller('instances')
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  /** Channel types this Omni can run instances on. */
  @Get('supported-channels')
  getSupportedChannels(): SupportedChannelsResponseDto {
    const channels = this.instances.supportedChannels();
    return { supported_channels: channels, total_channels: channels.length };
  }

  /** Create an instance. A WhatsApp instance is also created on its Evolution server, with its webhook pointed at Omni. */
  @Post()
  @ApiConflict('An instance with that name exists in the tenant')
  @ApiUnprocessable('The name is unusable, or the channel refused the instance')
  createInstance(@CurrentPrincipal() principal: Principal, @Body() dto: CreateInstanceDto): Promise<InstanceResponseDto> {
    return this.instances.create(principal, dto);
  }

  /** List instances (a tenant key sees its own tenant's only). */
  @Get()
  async listInstances(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListInstancesQueryDto,
  ): Promise<InstanceResponseDto[]> {
    const rows = await this.instances.list(principal, query.skip!, query.limit!, query.tenant_id);
    return Promise.all(rows.map((row) => this.instances.withStatus(row, query.include_status!)));
  }

  /** Get one instance by name. */
  @Get(':instance_name')
  @ApiNotFound('Instance')
  async getInstance(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceStatusQueryDto,
  ): Promise<InstanceResponseDto> {
    const instance = await this.instances.getByName(principal, name, query.tenant_id);
    return this.instances.withStatus(instance, query.include_status!);
  }

  /** Change an instance's settings (only the fields sent). */
  @Put(':instance_name')
  @ApiNotFound('Instance')
  updateInstance(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceStatusQueryDto,
    @Body() dto: UpdateInstanceDto,
  ): Promise<InstanceResponseDto> {
    return this.instances.update(principal, name, dto, query.tenant_id);
  }

  /** Delete an instance (and, for WhatsApp, the instance on the Evolution server). */
  @Delete(':instance_name')
  @ApiNotFound('Instance')
  deleteInstance(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceStatusQueryDto,
  ): Promise<InstanceDeletedResponseDto> {
    return this.instances.remove(principal, name, query.tenant_id);
  }
}
