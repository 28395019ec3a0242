import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiBadGateway, ApiNotFound, ApiUnprocessable } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../common/auth';
import { InstanceScopeQueryDto } from '../channels/instance-scope-query.dto';
import { MessageResponseDto } from './dto/message-response.dto';
import { FetchProfileDto, FetchProfileResponseDto, UpdateProfilePictureDto } from './dto/profile.dto';
import { SendingService } from './sending.service';

@ApiTags('profiles')
@ApiAuthenticated()
@ApiNotFound('Instance')
@ApiUnprocessable('Refused by the channel (e.g. the number is not on WhatsApp), or not supported for this channel yet')
@ApiBadGateway('The channel server (Evolution) did not answer or failed, after retries')
@Controller('instance')
export class ProfilesController {
  constructor(private readonly sending: SendingService) {}

  /** Look up a person's public profile (name, picture, status). */
  @Post(':instance_name/fetch-profile')
  @HttpCode(200)
  fetchProfile(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: FetchProfileDto,
  ): Promise<FetchProfileResponseDto> {
    return this.sending.fetchProfile({ principal, name, tenantId: query.tenant_id }, dto);
  }

  /** Change the instance's own profile picture. */
  @Post(':instance_name/update-profile-picture')
  @HttpCode(200)
  updateProfilePicture(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: UpdateProfilePictureDto,
  ): Promise<MessageResponseDto> {
    return this.sending.updateProfilePicture({ principal, name, tenantId: query.tenant_id }, dto.picture_url);
  }
}
