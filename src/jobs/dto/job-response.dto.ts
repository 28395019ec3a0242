import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { JobStatus } from '../job-run.entity';

const resultSchema = (nullable: boolean): ApiPropertyOptions => ({
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true },
  nullable,
});

export class JobResponseDto {
  name!: string;
  /** Cron expression (null: the job is not scheduled by this version). */
  schedule!: string | null;
  /** Time zone the cron expression is read in (AUTOMAGIK_TIMEZONE). */
  timezone!: string | null;
  next_run_at!: Date | null;
  last_started_at!: Date | null;
  last_finished_at!: Date | null;
  last_status!: JobStatus | null;
  /** What the last run did (trace retention: traces and payloads deleted, cut-off), or its error. */
  @ApiProperty(resultSchema(true))
  last_result!: Record<string, string | number | null> | null;
  /** Runs so far, on any replica. */
  run_count!: number;
}

export class JobRunResponseDto {
  name!: string;
  status!: JobStatus;
  started_at!: Date;
  finished_at!: Date;
  @ApiProperty(resultSchema(false))
  result!: Record<string, string | number | null>;
}
