import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { type Principal, scopeOf } from '../common/auth';
import { epochHourOf, inBinaryOrder, isPostgres } from '../database/portable-sql';
import type { DailyCountDto, HourlyCountDto, TopSenderDto, TraceAnalyticsResponseDto } from './dto/trace-analytics.dto';
import type { TraceWindowQueryDto } from './dto/trace-query.dto';
import { MessageTrace } from './message-trace.entity';
import { TraceFilter, whereTraces, windowOf } from './trace-filter';
import { aggregateGroups, nearestRankOffset, TraceGroupRow } from './trace-groups';
import { HOUR_MS, TraceRollupService } from './trace-rollup.service';

const TOP_SENDERS = 10;
const TIMED_COLUMNS = { processing: 't.total_processing_time_ms', agent: 't.agent_processing_time_ms' } as const;

/**
 * The analytics summary, computed by the database (GROUP BY, never rows loaded into memory) with
 * SQL that gives identical numbers on SQLite and PostgreSQL: sums and counts are integers, means
 * and rates are divided here, percentiles are read by rank with ORDER BY … OFFSET. Counts and
 * sums of whole hours already rolled up come from the hourly roll-ups, the rest from the traces.
 */
@Injectable()
export class TraceAnalyticsService {
  constructor(
    @InjectRepository(MessageTrace) private readonly traces: Repository<MessageTrace>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: TraceRollupService,
  ) {}

  async summary(principal: Principal, query: TraceWindowQueryDto): Promise<TraceAnalyticsResponseDto> {
    const window = windowOf(query);
    const filter: TraceFilter = { ...window, tenantId: scopeOf(principal) ?? query.tenant_id, instanceName: query.instance_name };
    const rolledUp = await this.rollups.coverage(window);
    const live: TraceFilter = rolledUp ? { ...filter, exceptHours: rolledUp } : filter;
    // Counts first (cheap with the roll-ups): the percentiles need them, and then every slow scan runs at once.
    const [liveGroups, rolledUpGroups] = await Promise.all([this.groups(live), rolledUp ? this.rollups.groups(filter, rolledUp) : []]);
    const totals = aggregateGroups([...liveGroups, ...rolledUpGroups]);
    const [liveHours, rolledUpHours, topSenders, p95Processing, p95Agent] = await Promise.all([
      this.hours(live),
      rolledUp ? this.rollups.hourlyCounts(filter, rolledUp) : [],
      this.topSenders(filter),
      this.percentile95(filter, TIMED_COLUMNS.processing, totals.processing.count),
      this.percentile95(filter, TIMED_COLUMNS.agent, totals.agent.count),
    ]);
    const hours = hourly([...rolledUpHours, ...liveHours]);
    return {
      total_messages: totals.total,
      successful_messages: totals.statuses.completed ?? 0,
      failed_messages: totals.statuses.failed ?? 0,
      success_rate: totals.total ? round2(((totals.statuses.completed ?? 0) / totals.total) * 100) : 0,
      avg_processing_time_ms: totals.processing.count ? round2(totals.processing.sum / totals.processing.count) : 0,
      avg_agent_time_ms: totals.agent.count ? round2(totals.agent.sum / totals.agent.count) : 0,
      p95_processing_time_ms: p95Processing,
      p95_agent_time_ms: p95Agent,
      message_types: totals.messageTypes,
      error_stages: totals.errorStages,
      instances: totals.instances,
      statuses: totals.statuses,
      messages_per_hour: hours,
      messages_per_day: perDay(hours),
      top_senders: topSenders,
      start_date: window.from ?? null,
      end_date: window.to ?? null,
    };
  }

  private query(filter: TraceFilter, manager?: EntityManager) {
    return whereTraces(manager ? manager.createQueryBuilder(MessageTrace, 't') : this.traces.createQueryBuilder('t'), filter);
  }

  /**
   * Runs one of the summary's long scans without PostgreSQL's parallel workers: the summary
   * already runs its scans side by side, and workers on top of that oversubscribe the cores
   * (three scans of 1M traces on two cores: 490–560 ms serial, 620 ms with workers).
   */
  private serialScan<T>(scan: (manager?: EntityManager) => Promise<T>): Promise<T> {
    if (!isPostgres(this.dataSource)) return scan();
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
      return scan(tx);
    });
  }

  /** One pass: counts and timing sums per (status, type, error stage, instance); everything else adds them up. */
  private groups(filter: TraceFilter): Promise<TraceGroupRow[]> {
    return this.query(filter)
      .select('t.status', 'status')
      .addSelect('t.message_type', 'message_type')
      .addSelect('t.error_stage', 'error_stage')
      .addSelect('t.instance_name', 'instance_name')
      .addSelect('COUNT(*)', 'count')
      .addSelect(`COUNT(${TIMED_COLUMNS.processing})`, 'processing_count')
      .addSelect(`SUM(${TIMED_COLUMNS.processing})`, 'processing_sum')
      .addSelect(`COUNT(${TIMED_COLUMNS.agent})`, 'agent_count')
      .addSelect(`SUM(${TIMED_COLUMNS.agent})`, 'agent_sum')
      .groupBy('t.status')
      .addGroupBy('t.message_type')
      .addGroupBy('t.error_stage')
      .addGroupBy('t.instance_name')
      .getRawMany<TraceGroupRow>();
  }

  private async hours(filter: TraceFilter): Promise<HourCount[]> {
    const hour = epochHourOf(this.dataSource, 't.received_at');
    const rows = await this.query(filter)
      .select(hour, 'hour')
      .addSelect('COUNT(*)', 'count')
      .groupBy(hour)
      .getRawMany<{ hour: number | string; count: number | string }>();
    return rows.map((row) => ({ hour: Number(row.hour), count: Number(row.count) }));
  }

  /** Nearest-rank p95: the value at rank ⌈0.95·n⌉, read from the top so the sort keeps only 5 % of the rows. */
  private async percentile95(filter: TraceFilter, column: string, count: number): Promise<number | null> {
    if (!count) return null;
    const row = await this.serialScan((manager) =>
      this.query(filter, manager)
        .select(column, 'value')
        .andWhere(`${column} IS NOT NULL`)
        .orderBy(column, 'DESC')
        .offset(nearestRankOffset(count, 0.95))
        .limit(1)
        .getRawOne<{ value: number | string }>(),
    );
    return row ? Number(row.value) : null;
  }

  private async topSenders(filter: TraceFilter): Promise<TopSenderDto[]> {
    const rows = await this.serialScan((manager) =>
      this.query(filter, manager)
        .select('t.sender_phone', 'sender_phone')
        .addSelect('COUNT(*)', 'count')
        .andWhere('t.sender_phone IS NOT NULL')
        .groupBy('t.sender_phone')
        .orderBy('count', 'DESC')
        .addOrderBy(inBinaryOrder(this.dataSource, 't.sender_phone'))
        .limit(TOP_SENDERS)
        .getRawMany<{ sender_phone: string; count: number | string }>(),
    );
    return Promise.all(
      rows.map(async (row) => ({
        sender_phone: row.sender_phone,
        sender_name: await this.latestName({ ...filter, senderPhone: row.sender_phone }),
        count: Number(row.count),
      })),
    );
  }

  private async latestName(filter: TraceFilter): Promise<string | null> {
    const row = await this.query(filter)
      .select('t.sender_name', 'sender_name')
      .andWhere('t.sender_name IS NOT NULL')
      .orderBy('t.received_at', 'DESC')
      .limit(1)
      .getRawOne<{ sender_name: string }>();
    return row?.sender_name ?? null;
  }
}

interface HourCount {
  hour: number;
  count: number;
}

/** Counts per hour, oldest first, from the roll-ups and the traces (each hour comes from one of them). */
function hourly(counts: HourCount[]): HourlyCountDto[] {
  const byHour = new Map<number, number>();
  for (const { hour, count } of counts) byHour.set(hour, (byHour.get(hour) ?? 0) + count);
  return [...byHour]
    .sort(([a], [b]) => a - b)
    .map(([hour, count]) => ({ hour: new Date(hour * HOUR_MS), count }));
}

function perDay(hours: HourlyCountDto[]): DailyCountDto[] {
  const days = new Map<string, number>();
  for (const { hour, count } of hours) {
    const day = hour.toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + count);
  }
  return [...days].map(([day, count]) => ({ day, count }));
}

const round2 = (value: number) => Math.round(value * 100) / 100;
