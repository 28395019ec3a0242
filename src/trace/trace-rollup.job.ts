import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DbLock } from '../database/db-lock.service';
import { ScheduledJobsService } from '../jobs/scheduled-jobs.service';
import { TraceRollupService } from './trace-rollup.service';

export const TRACE_ROLLUP_JOB = 'trace-rollup';
/** Every five minutes: the summary is exact either way, the roll-ups only make it fast. */
const EVERY_FIVE_MINUTES = '*/5 * * * *';

/** Rolls finished hours of traces up for the analytics summary. */
@Injectable()
export class TraceRollupJob implements OnModuleInit {
  constructor(
    private readonly jobs: ScheduledJobsService,
    private readonly rollups: TraceRollupService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule({
      name: TRACE_ROLLUP_JOB,
      cron: { expression: EVERY_FIVE_MINUTES, timeZone: this.config.timezone },
      lock: DbLock.TraceRollup,
      run: () => this.rollups.rollUp(),
    });
  }
}
