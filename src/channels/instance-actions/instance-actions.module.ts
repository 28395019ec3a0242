import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { InstancesModule } from '../../instances/instances.module';
import { InstanceActionsController } from './instance-actions.controller';
import { InstanceActionsService } from './instance-actions.service';
import { InstanceConnectorRegistry } from './instance-connector';

/** The instance actions API; channels register their connector in the exported registry. */
@Module({
  imports: [InstancesModule, ConversationsModule],
  controllers: [InstanceActionsController],
  providers: [InstanceActionsService, InstanceConnectorRegistry],
  exports: [InstanceConnectorRegistry],
})
export class InstanceActionsModule {}
