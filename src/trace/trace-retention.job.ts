import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DbLock } from '../database/db-lock.service';
import { ScheduledJobsService } from '../jobs/scheduled-jobs.service';
import { TraceRetentionService } from './trace-retention.service';

export const TRACE_RETENTION_JOB = 'trace-retention';

/** Schedules trace retention on AUTOMAGIK_OMNI_TRACE_RETENTION_CRON (default 03:00 daily) in AUTOMAGIK_TIMEZONE. */
@Injectable()
export class TraceRetentionJob implements OnModuleInit {
  constructor(
    private readonly jobs: ScheduledJobsService,
    private readonly retention: TraceRetentionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule({
      name: TRACE_RETENTION_JOB,
      cron: { expression: this.config.tracing.retentionCron, timeZone: this.config.timezone },
      lock: DbLock.TraceRetention,
      run: () => this.retention.applyRetention(),
    });
  }
}
