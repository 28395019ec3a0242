import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { type Principal, scopeOf, type TenantScope } from '../common/auth';
import { normaliseSenderId } from '../common/sender-id';
import type { ListTracesQueryDto, TracePayloadsQueryDto } from './dto/trace-query.dto';
import type { TracePayloadResponseDto, TraceResponseDto } from './dto/trace-response.dto';
import { MessageTrace } from './message-trace.entity';
import { listFilterOf, TraceFilter, whereTraces } from './trace-filter';
import { TracePayload } from './trace-payload.entity';
import { toTracePayloadResponse, toTraceResponse } from './trace-response.mapper';

export interface TracePage {
  traces: TraceResponseDto[];
  /** Every trace matching the filter, beyond this page. */
  total: number;
}

/** Reads traces for the API, always within the caller's tenant. */
@Injectable()
export class TraceQueryService {
  constructor(
    @InjectRepository(MessageTrace) private readonly traces: Repository<MessageTrace>,
    @InjectRepository(TracePayload) private readonly payloads: Repository<TracePayload>,
  ) {}

  async list(principal: Principal, query: ListTracesQueryDto): Promise<TracePage> {
    const filter = { ...listFilterOf(query), tenantId: scopeOf(principal) ?? query.tenant_id };
    const [rows, total] = await this.newestFirst(filter).skip(query.offset).take(query.limit).getManyAndCount();
    return { traces: rows.map(toTraceResponse), total };
  }

  /** A sender's traces, newest first, at any time (as the original: no 24-hour window). */
  async listByPhone(principal: Principal, phone: string, limit: number): Promise<TraceResponseDto[]> {
    return this.newest({ tenantId: scopeOf(principal), senderPhone: normaliseSenderId(phone) }, limit);
  }

  /** A person's latest traces (the users API). */
  listOfUser(userId: string, tenantId: TenantScope, limit: number): Promise<TraceResponseDto[]> {
    return this.newest({ tenantId, userId }, limit);
  }

  async get(principal: Principal, traceId: string): Promise<TraceResponseDto> {
    return toTraceResponse(await this.findVisible(principal, traceId));
  }

  /** A trace's payloads in the order they were recorded. */
  async listPayloads(principal: Principal, traceId: string, query: TracePayloadsQueryDto): Promise<TracePayloadResponseDto[]> {
    const trace = await this.findVisible(principal, traceId);
    const rows = await this.payloads.find({ where: { traceId: trace.traceId }, order: { timestamp: 'ASC', id: 'ASC' } });
    const view = { includePayload: query.include_payload!, omitBase64: query.omit_base64! };
    return rows.map((row) => toTracePayloadResponse(row, view));
  }

  private async newest(filter: TraceFilter, limit: number): Promise<TraceResponseDto[]> {
    const rows = await this.newestFirst(filter).take(limit).getMany();
    return rows.map(toTraceResponse);
  }

  private newestFirst(filter: TraceFilter) {
    return whereTraces(this.traces.createQueryBuilder('t'), filter)
      .orderBy('t.receivedAt', 'DESC')
      .addOrderBy('t.traceId', 'DESC');
  }

  /** The trace if the caller may see it; another tenant's trace is "not found", as if it did not exist. */
  private async findVisible(principal: Principal, traceId: string): Promise<MessageTrace> {
    const scope = scopeOf(principal);
    const trace = await this.traces.findOneBy(scope ? { traceId, tenantId: scope } : { traceId });
    if (!trace) throw new NotFoundException(`Trace '${traceId}' not found`);
    return trace;
  }
}
