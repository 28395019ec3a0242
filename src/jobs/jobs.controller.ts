import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAdminOnly, ApiAuthenticated, ApiConflict, ApiNotFound } from '../common/api-error-responses';
import { AdminOnly } from '../common/auth';
import { JobResponseDto, JobRunResponseDto } from './dto/job-response.dto';
import { ScheduledJobsService } from './scheduled-jobs.service';

@ApiTags('jobs')
@ApiAuthenticated()
@ApiAdminOnly()
@AdminOnly()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: ScheduledJobsService) {}

  /** Scheduled jobs (trace retention), their schedule and their last run on any replica. */
  @Get()
  listJobs(): Promise<JobResponseDto[]> {
    return this.jobs.list();
  }

  /** Run a job now (e.g. `trace-retention`), whatever its schedule. */
  @Post(':job_name/run')
  @HttpCode(HttpStatus.OK)
  @ApiNotFound('Job')
  @ApiConflict('The job is running already')
  runJob(@Param('job_name') name: string): Promise<JobRunResponseDto> {
    return this.jobs.runNow(name);
  }
}
