import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstancesModule } from '../instances/instances.module';
import { JobsModule } from '../jobs/jobs.module';
import { MessageTrace } from './message-trace.entity';
import { TraceAnalyticsService } from './trace-analytics.service';
import { TracePayload } from './trace-payload.entity';
import { TraceQueryService } from './trace-query.service';
import { TraceRetentionJob } from './trace-retention.job';
import { TraceRollupJob } from './trace-rollup.job';
import { TraceHourlyRollup, TraceRollupState } from './trace-rollup.entity';
import { TraceRollupService } from './trace-rollup.service';
import { TraceRetentionService } from './trace-retention.service';
import { TraceService } from './trace.service';
import { TracesController } from './traces.controller';

@Module({
  imports: [TypeOrmModule.forFeature([MessageTrace, TracePayload, TraceHourlyRollup, TraceRollupState]), InstancesModule, JobsModule],
  controllers: [TracesController],
  providers: [
    TraceService,
    TraceQueryService,
    TraceAnalyticsService,
    TraceRetentionService,
    TraceRetentionJob,
    TraceRollupService,
    TraceRollupJob,
  ],
  exports: [TraceService, TraceQueryService],
})
export class TraceModule {}
