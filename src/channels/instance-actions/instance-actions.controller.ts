import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiAuthenticated,
  ApiBadGateway,
  ApiConflict,
  ApiNotFound,
  ApiUnprocessable,
} from '../../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../../common/auth';
import { InstanceScopeQueryDto } from '../instance-scope-query.dto';
import { ConnectionStatusResponseDto, InstanceActionResponseDto, QrCodeResponseDto } from './dto/instance-actions.dto';
import { InstanceActionsService } from './instance-actions.service';

@ApiTags('instances')
@ApiAuthenticated()
@ApiNotFound('Instance (in Omni, or on the channel server)')
@ApiUnprocessable('The channel does not offer this yet, or its server refused')
@ApiBadGateway('The channel server (Evolution) did not answer or failed')
@Controller('instances')
export class InstanceActionsController {
  constructor(private readonly actions: InstanceActionsService) {}

  /** QR code to pair a WhatsApp number (or the invite link of a Discord bot). */
  @Get(':instance_name/qr')
  getInstanceQrCode(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<QrCodeResponseDto> {
    return this.actions.qrCode(principal, name, query.tenant_id);
  }

  /** Live connection status, as the channel server reports it. */
  @Get(':instance_name/status')
  getInstanceConnectionStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<ConnectionStatusResponseDto> {
    return this.actions.status(principal, name, query.tenant_id);
  }

  /** Start the instance's session (WhatsApp: a QR code is then ready to scan); marks it active. */
  @Post(':instance_name/connect')
  @HttpCode(200)
  connectInstance(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<InstanceActionResponseDto> {
    return this.actions.perform(principal, name, 'connect', query.tenant_id);
  }

  /** Stop the instance's session (WhatsApp: log the number out); marks it inactive. Already stopped is fine. */
  @Post(':instance_name/disconnect')
  @HttpCode(200)
  disconnectInstance(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<InstanceActionResponseDto> {
    return this.actions.perform(principal, name, 'disconnect', query.tenant_id);
  }

  /** Restart the instance's session; marks it active. */
  @Post(':instance_name/restart')
  @HttpCode(200)
  @ApiConflict('The instance is not in a state that allows it (e.g. not connected)')
  restartInstance(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<InstanceActionResponseDto> {
    return this.actions.perform(principal, name, 'restart', query.tenant_id);
  }

  /** Log the WhatsApp number out (a new QR scan is needed afterwards); marks the instance inactive. */
  @Post(':instance_name/logout')
  @HttpCode(200)
  @ApiConflict('The instance is not connected')
  logoutInstance(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<InstanceActionResponseDto> {
    return this.actions.perform(principal, name, 'logout', query.tenant_id);
  }
}
