import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth';
import { HealthResponseDto } from './health-response.dto';
import { HealthService } from './health.service';

interface StatusSettable {
  status(code: number): unknown;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness and database reachability (no key needed). 503 when the database cannot be reached. */
  @Get()
  @ApiResponse({ status: 503, description: 'The database cannot be reached', type: HealthResponseDto })
  async getHealth(@Res({ passthrough: true }) reply: StatusSettable): Promise<HealthResponseDto> {
    const report = await this.health.check();
    if (report.status !== 'healthy') reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
