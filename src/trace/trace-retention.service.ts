import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { type Principal, scopeOf } from '../common/auth';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { InstancesService } from '../instances/instances.service';
import type { JobResult } from '../jobs/scheduled-job';
import type { TraceCleanupResponseDto } from './dto/trace-response.dto';
import { MessageTrace } from './message-trace.entity';
import { TraceFilter, whereTraces } from './trace-filter';
import { TracePayload } from './trace-payload.entity';
import { TraceRollupService } from './trace-rollup.service';

/** Traces per transaction: ingestion waits at most one batch for the tables, never the whole clean-up. */
const BATCH_SIZE = 5_000;
/**
 * After each batch the deletion rests 1.4 times as long as the batch took, so it takes at most
 * 42 % of the database's time: messages arriving meanwhile are recorded at over 80 % of their
 * usual rate on two cores, and half of 1M traces are still deleted within a minute.
 */
const REST_PER_BATCH_TIME = 1.4;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DeletedCounts {
  traces: number;
  payloads: number;
}

/** Deletes old traces and their payloads, in batches: the scheduled retention and the clean-up endpoint. */
@Injectable()
export class TraceRetentionService {
  private readonly logger = new Logger(TraceRetentionService.name);

  constructor(
    @InjectRepository(MessageTrace) private readonly traces: Repository<MessageTrace>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly instances: InstancesService,
    private readonly rollups: TraceRollupService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Keeps AUTOMAGIK_OMNI_TRACE_RETENTION_DAYS of traces, or an instance's own `trace_retention_days`
   * for its traces. Traces of deleted instances follow the default.
   */
  async applyRetention(now = new Date()): Promise<JobResult> {
    const startedAt = Date.now();
    const ownPeriods = await this.instances.findWithOwnTraceRetention();
    const defaultCutoff = daysBefore(now, this.config.tracing.retentionDays);
    const deleted = await this.deleteTraces({ before: defaultCutoff, excludeInstanceIds: ownPeriods.map((i) => i.id) });
    for (const instance of ownPeriods) {
      const own = await this.deleteTraces({ before: daysBefore(now, instance.traceRetentionDays!), instanceId: instance.id });
      deleted.traces += own.traces;
      deleted.payloads += own.payloads;
    }
    const result = {
      traces_deleted: deleted.traces,
      payloads_deleted: deleted.payloads,
      retention_days: this.config.tracing.retentionDays,
      cutoff: defaultCutoff.toISOString(),
      instances_with_own_retention: ownPeriods.length,
      duration_ms: Date.now() - startedAt,
    };
    this.logger.log(
      `Trace retention deleted ${deleted.traces} traces and ${deleted.payloads} payloads received before ` +
        `${result.cutoff} (${ownPeriods.length} instances with their own period) in ${result.duration_ms} ms`,
    );
    return result;
  }

  /** `DELETE /traces/cleanup`: the caller's traces older than `daysOld` days, or only their count. */
  async cleanup(principal: Principal, daysOld: number, dryRun: boolean): Promise<TraceCleanupResponseDto> {
    const cutoff = daysBefore(new Date(), daysOld);
    const filter = { tenantId: scopeOf(principal), before: cutoff };
    if (dryRun) {
      const count = await whereTraces(this.traces.createQueryBuilder('t'), filter).getCount();
      return {
        status: 'dry_run',
        cutoff_date: cutoff,
        traces_to_delete: count,
        message: `Would delete ${count} traces older than ${daysOld} days`,
      };
    }
    const deleted = await this.deleteTraces(filter);
    this.logger.log(`Trace clean-up deleted ${deleted.traces} traces and ${deleted.payloads} payloads older than ${daysOld} days`);
    return {
      status: 'completed',
      cutoff_date: cutoff,
      traces_deleted: deleted.traces,
      payloads_deleted: deleted.payloads,
      message: `Deleted ${deleted.traces} traces older than ${daysOld} days`,
    };
  }

  /** Deletes every trace of the scope received before the cut-off, oldest first, one committed batch at a time. */
  async deleteTraces(filter: TraceFilter & { before: Date }): Promise<DeletedCounts> {
    const total: DeletedCounts = { traces: 0, payloads: 0 };
    for (;;) {
      const startedAt = Date.now();
      const batch = await this.dataSource.transaction((tx) => this.deleteBatch(tx, filter));
      total.traces += batch.traces;
      total.payloads += batch.payloads;
      if (batch.traces < BATCH_SIZE) break;
      await sleep((Date.now() - startedAt) * REST_PER_BATCH_TIME);
    }
    await this.rollups.forgetBefore(filter);
    return total;
  }

  /** Payloads first, by the batch's trace ids: their count is reported, and nothing relies on the cascade. */
  private async deleteBatch(tx: EntityManager, filter: TraceFilter): Promise<DeletedCounts> {
    const rows = await whereTraces(tx.createQueryBuilder(MessageTrace, 't'), filter)
      .select('t.trace_id', 'trace_id')
      .orderBy('t.received_at')
      .limit(BATCH_SIZE)
      .getRawMany<{ trace_id: string }>();
    if (!rows.length) return { traces: 0, payloads: 0 };
    const ids = rows.map((row) => row.trace_id);
    const payloads = await tx.createQueryBuilder().delete().from(TracePayload).where('trace_id IN (:...ids)', { ids }).execute();
    const traces = await tx.createQueryBuilder().delete().from(MessageTrace).where('trace_id IN (:...ids)', { ids }).execute();
    return { traces: traces.affected ?? 0, payloads: payloads.affected ?? 0 };
  }
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
