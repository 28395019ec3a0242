import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import type { CronJob } from 'cron';
import { Repository } from 'typeorm';
import { DbLockService } from '../database/db-lock.service';
import type { JobResponseDto, JobRunResponseDto } from './dto/job-response.dto';
import { JobRun, JobStatus } from './job-run.entity';
import { claimWindowOf, createCronJob, JobResult, ScheduledJob } from './scheduled-job';

interface RegisteredJob {
  job: ScheduledJob;
  cron: CronJob;
  claimWindowMs: number;
}

/** What a firing came to on this replica. */
export type FiringOutcome =
  | { status: 'succeeded'; run: JobRunResponseDto }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string };

/**
 * Runs scheduled jobs once per firing across replicas. Every replica schedules every job; when
 * they fire together, the advisory lock lets one run at a time, and a compare-and-set on the
 * job's `job_runs` row lets only the first start that firing (the others find it claimed).
 */
@Injectable()
export class ScheduledJobsService {
  private readonly logger = new Logger(ScheduledJobsService.name);
  private readonly jobs = new Map<string, RegisteredJob>();

  constructor(
    @InjectRepository(JobRun) private readonly runs: Repository<JobRun>,
    private readonly locks: DbLockService,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  /** Starts firing the job on its cron. The scheduler stops it when the app closes. */
  schedule(job: ScheduledJob): void {
    const cron = createCronJob(job, () => this.runScheduled(job.name));
    this.scheduler.addCronJob(job.name, cron);
    this.jobs.set(job.name, { job, cron, claimWindowMs: claimWindowOf(cron) });
    cron.start();
  }

  /** What a firing does: run, unless another replica runs the job now or already ran this firing. */
  async runScheduled(name: string): Promise<FiringOutcome> {
    const { job, claimWindowMs } = this.registered(name);
    try {
      const outcome = await this.execute(job, claimWindowMs);
      if (outcome.status === 'skipped') this.logger.log(`Job ${name} not run here: ${outcome.reason}`);
      return outcome;
    } catch (err) {
      this.logger.error({ err, job: name }, `Job ${name} failed`);
      return { status: 'failed', error: (err as Error).message };
    }
  }

  /** An operator's run: now, whatever the schedule; refused while the job runs anywhere. */
  async runNow(name: string): Promise<JobRunResponseDto> {
    const outcome = await this.execute(this.registered(name).job, 0);
    if (outcome.status !== 'succeeded') throw new ConflictException(`Job '${name}' is running already`);
    return outcome.run;
  }

  async list(): Promise<JobResponseDto[]> {
    const rows = new Map((await this.runs.find()).map((row) => [row.name, row]));
    const names = [...new Set([...this.jobs.keys(), ...rows.keys()])].sort();
    return names.map((name) => this.toResponse(name, rows.get(name)));
  }

  private registered(name: string): RegisteredJob {
    const registered = this.jobs.get(name);
    if (!registered) throw new NotFoundException(`Job '${name}' not found`);
    return registered;
  }

  /** Runs the job if this replica gets its lock and claims the firing; a failure of the job itself throws. */
  private async execute(job: ScheduledJob, claimWindowMs: number): Promise<FiringOutcome> {
    const locked = await this.locks.tryWithLock(job.lock, async (): Promise<FiringOutcome> => {
      const startedAt = new Date();
      if (!(await this.claim(job.name, startedAt, claimWindowMs))) {
        return { status: 'skipped', reason: 'another replica ran this firing' };
      }
      return { status: 'succeeded', run: await this.runClaimed(job, startedAt) };
    });
    return locked.acquired ? locked.result : { status: 'skipped', reason: 'running on another replica' };
  }

  private async runClaimed(job: ScheduledJob, startedAt: Date): Promise<JobRunResponseDto> {
    try {
      const result = await job.run();
      const finishedAt = await this.record(job.name, 'succeeded', result);
      return { name: job.name, status: 'succeeded', started_at: startedAt, finished_at: finishedAt, result };
    } catch (err) {
      await this.record(job.name, 'failed', { error: (err as Error).message });
      throw err;
    }
  }

  /**
   * Moves the row's `last_started_at` to now unless a run started within the claim window; on
   * PostgreSQL the update is atomic, so of two replicas firing together only one succeeds.
   */
  private async claim(name: string, now: Date, claimWindowMs: number): Promise<boolean> {
    await this.runs.createQueryBuilder().insert().into(JobRun).values({ name, runCount: 0 }).orIgnore().execute();
    const claim = this.runs
      .createQueryBuilder()
      .update(JobRun)
      .set({ lastStartedAt: now, lastFinishedAt: null, lastStatus: 'running', runCount: () => 'run_count + 1' })
      .where('name = :name', { name });
    if (claimWindowMs > 0) {
      const notBefore = new Date(now.getTime() - claimWindowMs);
      claim.andWhere('(last_started_at IS NULL OR last_started_at < :notBefore)', { notBefore });
    }
    return Boolean((await claim.execute()).affected);
  }

  private async record(name: string, status: JobStatus, result: JobResult): Promise<Date> {
    const finishedAt = new Date();
    await this.runs.update({ name }, { lastFinishedAt: finishedAt, lastStatus: status, lastResult: JSON.stringify(result) });
    return finishedAt;
  }

  private toResponse(name: string, row?: JobRun): JobResponseDto {
    const registered = this.jobs.get(name);
    return {
      name,
      schedule: registered?.job.cron.expression ?? null,
      timezone: registered?.job.cron.timeZone ?? null,
      next_run_at: registered ? registered.cron.nextDate().toJSDate() : null,
      last_started_at: row?.lastStartedAt ?? null,
      last_finished_at: row?.lastFinishedAt ?? null,
      last_status: row?.lastStatus ?? null,
      last_result: row?.lastResult ? (JSON.parse(row.lastResult) as JobResult) : null,
      run_count: row?.runCount ?? 0,
    };
  }
}
