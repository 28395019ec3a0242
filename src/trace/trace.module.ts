import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageTrace } from './message-trace.entity';
import { TracePayload } from './trace-payload.entity';
import { TraceService } from './trace.service';

@Module({
  imports: [TypeOrmModule.forFeature([MessageTrace, TracePayload])],
  providers: [TraceService],
  exports: [TraceService],
})
export class TraceModule {}
