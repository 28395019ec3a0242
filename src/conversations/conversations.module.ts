import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstancesModule } from '../instances/instances.module';
import { ChatControlController } from './chat-control.controller';
import { ChatControlService } from './chat-control.service';
import { ChatState } from './chat-state.entity';
import { GroupContextEntry } from './group-context.entity';
import { GroupContextService } from './group-context.service';
import { InstanceSendState } from './instance-send-state.entity';
import { SendBudgetService } from './send-budget.service';
import { SentMessageRecord } from './sent-message.entity';
import { SentMessagesService } from './sent-messages.service';

/** Conversation control: pauses and sessions per chat, own-message ids, group context, send budget. */
@Module({
  imports: [TypeOrmModule.forFeature([ChatState, SentMessageRecord, GroupContextEntry, InstanceSendState]), InstancesModule],
  controllers: [ChatControlController],
  providers: [ChatControlService, SentMessagesService, GroupContextService, SendBudgetService],
  exports: [ChatControlService, SentMessagesService, GroupContextService, SendBudgetService],
})
export class ConversationsModule {}
