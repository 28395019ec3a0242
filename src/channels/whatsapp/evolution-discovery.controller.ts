import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiBadGateway, ApiUnprocessable } from '../../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../../common/auth';
import { DiscoverInstancesDto, DiscoverInstancesResponseDto } from './dto/discover-instances.dto';
import { EvolutionDiscoveryService } from './evolution-discovery.service';

@ApiTags('instances')
@ApiAuthenticated()
@Controller('instances')
export class EvolutionDiscoveryController {
  constructor(private readonly discovery: EvolutionDiscoveryService) {}

  /** Import the instances that already exist on an Evolution server, as they are (webhooks untouched). */
  @Post('discover')
  @HttpCode(200)
  @ApiUnprocessable('Evolution refused the key')
  @ApiBadGateway('Evolution did not answer or failed')
  discoverInstances(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: DiscoverInstancesDto,
  ): Promise<DiscoverInstancesResponseDto> {
    return this.discovery.discover(principal, dto);
  }
}
