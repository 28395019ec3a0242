import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessControlModule } from '../access-control/access-control.module';
import { AgentModule } from '../agent/agent.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { InstancesModule } from '../instances/instances.module';
import { TraceModule } from '../trace/trace.module';
import { UsersModule } from '../users/users.module';
import { DeadLetterRetryService } from './dead-letter-retry.service';
import { DeadLetter } from './dead-letter.entity';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';
import { MessageProcessor } from './message-processor.service';
import { MessageRecovery } from './message-recovery.service';
import { MessageRouter } from './message-router.service';
import { ReplayController } from './replay.controller';
import { ReplayService } from './replay.service';
import { ReplySender } from './reply-sender.service';

/** The channel-agnostic router: every message's journey from channel in to channel out. */
@Module({
  imports: [
    TypeOrmModule.forFeature([DeadLetter]),
    TraceModule,
    InstancesModule,
    UsersModule,
    AccessControlModule,
    AgentModule,
    ConversationsModule,
  ],
  controllers: [DeadLettersController, ReplayController],
  providers: [
    MessageRouter,
    MessageProcessor,
    MessageRecovery,
    ReplySender,
    DeadLettersService,
    DeadLetterRetryService,
    ReplayService,
  ],
  exports: [MessageRouter, ReplySender],
})
export class MessagesModule {}
