import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiConflict, ApiNotFound } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal, scopeOf } from '../common/auth';
import { ReplayQueryDto, ReplayResponseDto } from './dto/replay.dto';
import { ReplayService } from './replay.service';

@ApiTags('traces')
@ApiAuthenticated()
@Controller('traces')
export class ReplayController {
  constructor(private readonly replays: ReplayService) {}

  /** Re-run a traced message against the agent; with `dry_run=true` the answer is returned, not sent. */
  @Post(':trace_id/replay')
  @HttpCode(200)
  @ApiNotFound('Trace')
  @ApiConflict('The trace no longer holds the message')
  replayTrace(
    @CurrentPrincipal() principal: Principal,
    @Param('trace_id', ParseUUIDPipe) traceId: string,
    @Query() query: ReplayQueryDto,
  ): Promise<ReplayResponseDto> {
    return this.replays.replay(scopeOf(principal), traceId, query.dry_run!);
  }
}
