import { Controller, Delete, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiNotFound } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../common/auth';
import { ApiListWithTotalCount, type HeaderSettable, TOTAL_COUNT_HEADER } from '../common/total-count';
import { TraceAnalyticsResponseDto } from './dto/trace-analytics.dto';
import {
  ListTracesQueryDto,
  TraceCleanupQueryDto,
  TracePayloadsQueryDto,
  TracesByPhoneQueryDto,
  TraceWindowQueryDto,
} from './dto/trace-query.dto';
import { TraceCleanupResponseDto, TracePayloadResponseDto, TraceResponseDto } from './dto/trace-response.dto';
import { TraceAnalyticsService } from './trace-analytics.service';
import { TraceQueryService } from './trace-query.service';
import { TraceRetentionService } from './trace-retention.service';

@ApiTags('traces')
@ApiAuthenticated()
@Controller('traces')
export class TracesController {
  constructor(
    private readonly traces: TraceQueryService,
    private readonly analytics: TraceAnalyticsService,
    private readonly retention: TraceRetentionService,
  ) {}

  /** List message traces, newest first: the last 24 hours unless dates are given or `all_time` is set. */
  @Get()
  @ApiListWithTotalCount(TraceResponseDto, 'Traces')
  async listTraces(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListTracesQueryDto,
    @Res({ passthrough: true }) reply: HeaderSettable,
  ): Promise<TraceResponseDto[]> {
    const page = await this.traces.list(principal, query);
    reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.traces;
  }

  /** Counts, success rate, mean and p95 times, volume over time and top senders (last 24 hours by default). */
  @Get('analytics/summary')
  getTraceAnalytics(@CurrentPrincipal() principal: Principal, @Query() query: TraceWindowQueryDto): Promise<TraceAnalyticsResponseDto> {
    return this.analytics.summary(principal, query);
  }

  /** A sender's traces, newest first, at any time. */
  @Get('phone/:phone_number')
  listTracesByPhone(
    @CurrentPrincipal() principal: Principal,
    @Param('phone_number') phone: string,
    @Query() query: TracesByPhoneQueryDto,
  ): Promise<TraceResponseDto[]> {
    return this.traces.listByPhone(principal, phone, query.limit!);
  }

  /** Delete traces (and their payloads) older than `days_old` days; a dry run (the default) only counts them. */
  @Delete('cleanup')
  cleanupTraces(@CurrentPrincipal() principal: Principal, @Query() query: TraceCleanupQueryDto): Promise<TraceCleanupResponseDto> {
    return this.retention.cleanup(principal, query.days_old!, query.dry_run!);
  }

  /** Get one trace. */
  @Get(':trace_id')
  @ApiNotFound('Trace')
  getTrace(@CurrentPrincipal() principal: Principal, @Param('trace_id', ParseUUIDPipe) traceId: string): Promise<TraceResponseDto> {
    return this.traces.get(principal, traceId);
  }

  /** A trace's payloads (webhook, agent request and response, sends), decompressed with `include_payload=true`. */
  @Get(':trace_id/payloads')
  @ApiNotFound('Trace')
  listTracePayloads(
    @CurrentPrincipal() principal: Principal,
    @Param('trace_id', ParseUUIDPipe) traceId: string,
    @Query() query: TracePayloadsQueryDto,
  ): Promise<TracePayloadResponseDto[]> {
    return this.traces.listPayloads(principal, traceId, query);
  }
}
