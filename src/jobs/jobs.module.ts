import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRun } from './job-run.entity';
import { JobsController } from './jobs.controller';
import { ScheduledJobsService } from './scheduled-jobs.service';

@Module({
  imports: [TypeOrmModule.forFeature([JobRun])],
  controllers: [JobsController],
  providers: [ScheduledJobsService],
  exports: [ScheduledJobsService],
})
export class JobsModule {}
