import { CronJob } from 'cron';
import type { DbLock } from '../database/db-lock.service';

/** What a run reports (logged, stored in job_runs, shown by the jobs API). */
export type JobResult = Record<string, string | number | null>;

export interface ScheduledJob {
  /** Unique; the job_runs row and the API path use it. */
  name: string;
  /** Expression and time zone, validated with the configuration. */
  cron: { expression: string; timeZone: string };
  /** Held while the job runs, so two replicas never run it at once. */
  lock: DbLock;
  run(): Promise<JobResult>;
}

/** Longest time a run keeps other replicas from starting the same firing again. */
const MAX_CLAIM_WINDOW_MS = 10 * 60_000;
/** Firings looked at to find the shortest gap of an irregular schedule (`0 3,4 * * *`). */
const FIRINGS_SAMPLED = 6;

/** A stopped cron job calling `onTick`; a tick that comes while the last one still runs is skipped. */
export function createCronJob(job: ScheduledJob, onTick: () => Promise<unknown>): CronJob {
  return CronJob.from({
    cronTime: job.cron.expression,
    timeZone: job.cron.timeZone,
    onTick: async () => {
      await onTick();
    },
    start: false,
    waitForCompletion: true,
    name: job.name,
  });
}

/**
 * How long after a run started another replica's firing still counts as the same firing: half
 * the shortest gap between firings, so the next firing always runs; ten minutes at most, which is
 * far more than the clocks of two replicas drift apart.
 */
export function claimWindowOf(cron: CronJob): number {
  const firings = cron.nextDates(FIRINGS_SAMPLED).map((date) => date.toMillis());
  const gaps = firings.slice(1).map((at, i) => at - firings[i]);
  return Math.min(MAX_CLAIM_WINDOW_MS, Math.floor(Math.min(...gaps) / 2));
}
