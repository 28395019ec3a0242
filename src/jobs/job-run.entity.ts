import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../database/portable-columns';

export const JOB_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The last run of a scheduled job; its `last_started_at` is what replicas compare-and-set to run a firing once. */
@Entity('job_runs')
export class JobRun {
  @PrimaryColumn({ type: 'varchar', length: 100 }) name!: string;
  @DateTimeColumn({ name: 'last_started_at', nullable: true }) lastStartedAt!: Date | null;
  @DateTimeColumn({ name: 'last_finished_at', nullable: true }) lastFinishedAt!: Date | null;
  @Column({ name: 'last_status', type: 'varchar', length: 20, nullable: true }) lastStatus!: JobStatus | null;
  /** JSON: what the last run did, or its error. */
  @Column({ name: 'last_result', type: 'text', nullable: true }) lastResult!: string | null;
  @Column({ name: 'run_count', type: 'integer', default: 0 }) runCount!: number;
}
