import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { InstancesModule } from '../../instances/instances.module';
import { MessagesModule } from '../../messages/messages.module';
import { SendingModule } from '../../sending/sending.module';
import { TraceModule } from '../../trace/trace.module';
import { DirectoryModule } from '../directory/directory.module';
import { InstanceActionsModule } from '../instance-actions/instance-actions.module';
import { EvolutionDiscoveryController } from './evolution-discovery.controller';
import { EvolutionDiscoveryService } from './evolution-discovery.service';
import { EvolutionImportContext } from './evolution-import.context';
import { EvolutionClient } from './evolution.client';
import { WhatsAppAdapter } from './whatsapp.adapter';
import { WhatsAppConnector } from './whatsapp-connector';
import { WhatsAppDirectory } from './whatsapp-directory';
import { WhatsAppInboundService } from './whatsapp-inbound.service';
import { WhatsAppLifecycle } from './whatsapp-lifecycle.service';
import { WhatsAppSender } from './whatsapp-sender';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';

@Module({
  imports: [
    InstancesModule,
    MessagesModule,
    TraceModule,
    ConversationsModule,
    InstanceActionsModule,
    DirectoryModule,
    SendingModule,
  ],
  controllers: [WhatsAppWebhookController, EvolutionDiscoveryController],
  providers: [
    EvolutionClient,
    WhatsAppInboundService,
    WhatsAppAdapter,
    WhatsAppLifecycle,
    WhatsAppConnector,
    WhatsAppDirectory,
    WhatsAppSender,
    EvolutionImportContext,
    EvolutionDiscoveryService,
  ],
  exports: [EvolutionClient],
})
export class WhatsAppModule {}
