import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { epochHourOf } from '../database/portable-sql';
import type { JobResult } from '../jobs/scheduled-job';
import { MessageTrace, TraceStatus } from './message-trace.entity';
import type { TraceFilter } from './trace-filter';
import type { TraceGroupRow } from './trace-groups';
import { TraceHourlyRollup, TraceRollupState } from './trace-rollup.entity';

export const HOUR_MS = 60 * 60 * 1000;
/** An hour is rolled up once it ended this long ago, so a replica whose clock runs behind never records into it. */
const SEAL_DELAY_MS = 10 * 60_000;
/** Hours per transaction: the first roll-up of a large table never holds the state row for long. */
const HOURS_PER_TRANSACTION = 24;
const UNFINISHED: TraceStatus[] = ['received', 'processing', 'agent_called'];
const STATE_ID = 1;

/** Whole hours [fromHour, toHour) of a window that the roll-ups answer; fromHour null: from the first. */
export interface HourRange {
  fromHour: number | null;
  toHour: number;
}

/** Which roll-ups a read is about: the scope fields of a trace filter. */
type RollupScope = Pick<TraceFilter, 'tenantId' | 'instanceId' | 'excludeInstanceIds' | 'instanceName'>;

const hourOf = (date: Date) => Math.floor(date.getTime() / HOUR_MS);

/**
 * Keeps hourly counts and timing sums of finished traces. Every hour before a watermark is rolled
 * up, and only hours whose traces are all finished: the summary reads those hours from here and
 * the rest from the traces, so its numbers are exact whenever the roll-up last ran. Whatever
 * changes traces behind the watermark (a dead letter retried, retention) tells this service.
 */
@Injectable()
export class TraceRollupService {
  private readonly logger = new Logger(TraceRollupService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Moves the watermark up to the last hour that ended SEAL_DELAY ago, stopping at the oldest unfinished trace. */
  async rollUp(now = new Date()): Promise<JobResult> {
    let hours = 0;
    for (;;) {
      const rolled = await this.dataSource.transaction((tx) => this.rollNextHours(tx, now));
      if (rolled === null) break;
      hours += rolled;
    }
    const rolledUntil = await this.rolledUntilHour();
    if (hours) this.logger.log(`Rolled up ${hours} hours of traces, up to ${new Date(rolledUntil * HOUR_MS).toISOString()}`);
    return { hours_rolled_up: hours, rolled_up_until: new Date(rolledUntil * HOUR_MS).toISOString() };
  }

  /** A trace received at `receivedAt` is about to change or has changed: its hour and later ones are read from the traces again. */
  async invalidateFrom(receivedAt: Date): Promise<void> {
    const hour = hourOf(receivedAt);
    await this.dataSource.transaction(async (tx) => {
      if ((await this.lockState(tx)) <= hour) return;
      await tx.createQueryBuilder().delete().from(TraceHourlyRollup).where('hour >= :hour', { hour }).execute();
      await this.setState(tx, hour);
    });
  }

  /**
   * Every trace of `scope` received before its cut-off was deleted: their roll-ups go, and the hour
   * the cut-off falls in is counted again from the traces that remain.
   */
  async forgetBefore(scope: RollupScope & { before: Date }): Promise<void> {
    const cutoffHour = hourOf(scope.before);
    await this.dataSource.transaction(async (tx) => {
      const rolledUntil = await this.lockState(tx);
      const forget = tx.createQueryBuilder().delete().from(TraceHourlyRollup).where('hour < :cutoffHour', { cutoffHour });
      await whereRollupScope(forget, scope).execute();
      if (cutoffHour >= rolledUntil) return;
      await tx.createQueryBuilder().delete().from(TraceHourlyRollup).where('hour = :cutoffHour', { cutoffHour }).execute();
      await this.insertRollups(tx, cutoffHour, cutoffHour + 1);
    });
  }

  /** The whole hours of [from, to] that the roll-ups answer, or null when none. */
  async coverage(window: Pick<TraceFilter, 'from' | 'to'>): Promise<HourRange | null> {
    const rolledUntil = await this.rolledUntilHour();
    const fromHour = window.from ? Math.ceil(window.from.getTime() / HOUR_MS) : null;
    const toHour = window.to ? Math.min(rolledUntil, hourOf(window.to)) : rolledUntil;
    if (toHour <= (fromHour ?? 0)) return null;
    return { fromHour, toHour };
  }

  /** The summary's grouped rows for the hours of `range`, shaped as those read from the traces. */
  groups(scope: RollupScope, range: HourRange): Promise<TraceGroupRow[]> {
    return this.read(scope, range)
      .select('r.status', 'status')
      .addSelect('r.message_type', 'message_type')
      .addSelect("NULLIF(r.error_stage, '')", 'error_stage')
      .addSelect("NULLIF(r.instance_name, '')", 'instance_name')
      .addSelect('SUM(r.trace_count)', 'count')
      .addSelect('SUM(r.processing_count)', 'processing_count')
      .addSelect('SUM(r.processing_sum)', 'processing_sum')
      .addSelect('SUM(r.agent_count)', 'agent_count')
      .addSelect('SUM(r.agent_sum)', 'agent_sum')
      .groupBy('r.status')
      .addGroupBy('r.message_type')
      .addGroupBy('r.error_stage')
      .addGroupBy('r.instance_name')
      .getRawMany<TraceGroupRow>();
  }

  /** Traces per hour of `range`. */
  async hourlyCounts(scope: RollupScope, range: HourRange): Promise<{ hour: number; count: number }[]> {
    const rows = await this.read(scope, range)
      .select('r.hour', 'hour')
      .addSelect('SUM(r.trace_count)', 'count')
      .groupBy('r.hour')
      .getRawMany<{ hour: number | string; count: number | string }>();
    return rows.map((row) => ({ hour: Number(row.hour), count: Number(row.count) }));
  }

  private read(scope: RollupScope, range: HourRange): SelectQueryBuilder<TraceHourlyRollup> {
    const query = this.dataSource.getRepository(TraceHourlyRollup).createQueryBuilder('r').where('r.hour < :toHour', { toHour: range.toHour });
    if (range.fromHour !== null) query.andWhere('r.hour >= :fromHour', { fromHour: range.fromHour });
    return whereRollupScope(query, scope);
  }

  /**
   * Rolls up to HOURS_PER_TRANSACTION hours past the watermark (skipping hours without traces) and
   * returns how many hours it grouped; null when the watermark cannot move.
   */
  private async rollNextHours(tx: EntityManager, now: Date): Promise<number | null> {
    const rolledUntil = await this.lockState(tx);
    const target = await this.targetHour(tx, now);
    if (target <= rolledUntil) return null;
    const firstTrace = await this.earliestHourWhere(tx, 't.receivedAt >= :from', { from: new Date(rolledUntil * HOUR_MS) });
    const from = Math.min(firstTrace ?? target, target);
    const to = Math.min(target, from + HOURS_PER_TRANSACTION);
    if (from < to) await this.insertRollups(tx, from, to);
    await this.setState(tx, to);
    return to - from;
  }

  /** The hour the watermark may reach: sealed, and not past the hour of the oldest unfinished trace. */
  private async targetHour(tx: EntityManager, now: Date): Promise<number> {
    const sealed = hourOf(new Date(now.getTime() - SEAL_DELAY_MS));
    const oldestUnfinished = await this.earliestHourWhere(tx, 't.status IN (:...unfinished)', { unfinished: UNFINISHED });
    return oldestUnfinished === null ? sealed : Math.min(sealed, oldestUnfinished);
  }

  /** The hour of the earliest trace matching the condition; null when none does. */
  private async earliestHourWhere(tx: EntityManager, condition: string, parameters: object): Promise<number | null> {
    const earliest = await tx
      .createQueryBuilder(MessageTrace, 't')
      .select('MIN(t.receivedAt)', 'received_at')
      .where(condition, parameters)
      .getRawOne<{ received_at: Date | string | null }>();
    return earliest?.received_at ? hourOf(asDate(earliest.received_at)) : null;
  }

  /** INSERT … SELECT: the database groups the traces of hours [from, to); nothing crosses the wire. */
  private async insertRollups(tx: EntityManager, from: number, to: number): Promise<void> {
    const hour = epochHourOf(this.dataSource, 't.received_at');
    const [select, parameters] = tx
      .createQueryBuilder(MessageTrace, 't')
      .select(hour, 'hour')
      .addSelect("COALESCE(t.tenant_id, '')", 'tenant_id')
      .addSelect("COALESCE(t.instance_id, '')", 'instance_id')
      .addSelect("COALESCE(t.instance_name, '')", 'instance_name')
      .addSelect('t.status', 'status')
      .addSelect('t.message_type', 'message_type')
      .addSelect("COALESCE(t.error_stage, '')", 'error_stage')
      .addSelect('COUNT(*)', 'trace_count')
      .addSelect('COUNT(t.total_processing_time_ms)', 'processing_count')
      .addSelect('COALESCE(SUM(t.total_processing_time_ms), 0)', 'processing_sum')
      .addSelect('COUNT(t.agent_processing_time_ms)', 'agent_count')
      .addSelect('COALESCE(SUM(t.agent_processing_time_ms), 0)', 'agent_sum')
      .where('t.receivedAt >= :from AND t.receivedAt < :to', { from: new Date(from * HOUR_MS), to: new Date(to * HOUR_MS) })
      .groupBy(hour)
      .addGroupBy('t.tenant_id')
      .addGroupBy('t.instance_id')
      .addGroupBy('t.instance_name')
      .addGroupBy('t.status')
      .addGroupBy('t.message_type')
      .addGroupBy('t.error_stage')
      .getQueryAndParameters();
    // By name from a subquery: TypeORM may reorder the select list, INSERT … SELECT is positional.
    const columns = `hour, tenant_id, instance_id, instance_name, status, message_type, error_stage,
      trace_count, processing_count, processing_sum, agent_count, agent_sum`;
    await tx.query(`INSERT INTO trace_hourly_rollups (${columns}) SELECT ${columns} FROM (${select}) grouped`, parameters);
  }

  /** Reads the watermark with its row locked (an UPDATE locks on both drivers), so changes to it happen one at a time. */
  private async lockState(tx: EntityManager): Promise<number> {
    await tx.createQueryBuilder().update(TraceRollupState).set({ id: STATE_ID }).where('id = :id', { id: STATE_ID }).execute();
    const state = await tx.findOneByOrFail(TraceRollupState, { id: STATE_ID });
    return Number(state.rolledUntilHour);
  }

  private async setState(tx: EntityManager, rolledUntilHour: number): Promise<void> {
    await tx.update(TraceRollupState, { id: STATE_ID }, { rolledUntilHour });
  }

  private async rolledUntilHour(): Promise<number> {
    const state = await this.dataSource.getRepository(TraceRollupState).findOneByOrFail({ id: STATE_ID });
    return Number(state.rolledUntilHour);
  }
}

function whereRollupScope<T extends { andWhere(where: string, parameters?: object): T }>(query: T, scope: RollupScope): T {
  if (scope.tenantId !== undefined) query.andWhere('tenant_id = :scopeTenantId', { scopeTenantId: scope.tenantId });
  if (scope.instanceId !== undefined) query.andWhere('instance_id = :scopeInstanceId', { scopeInstanceId: scope.instanceId });
  if (scope.instanceName !== undefined) query.andWhere('instance_name = :scopeInstanceName', { scopeInstanceName: scope.instanceName });
  if (scope.excludeInstanceIds?.length) query.andWhere('instance_id NOT IN (:...scopeExcluded)', { scopeExcluded: scope.excludeInstanceIds });
  return query;
}

/** SQLite returns an aggregate over a datetime column as its stored UTC text. */
function asDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value.replace(' ', 'T') + 'Z');
}
