import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AccessControlModule } from './access-control/access-control.module';
import { AppConfig } from './config/app-config';
import { ChannelsModule } from './channels/channels.module';
import { WhatsAppModule } from './channels/whatsapp/whatsapp.module';
import { ConfigModule } from './config/config.module';
import { ConversationsModule } from './conversations/conversations.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InstancesModule } from './instances/instances.module';
import { JobsModule } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { MessagesModule } from './messages/messages.module';
import { TenantsModule } from './tenants/tenants.module';
import { TraceModule } from './trace/trace.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot(config.database),
        ScheduleModule.forRoot(),
        TenantsModule,
        InstancesModule,
        HealthModule,
        TraceModule,
        UsersModule,
        AccessControlModule,
        JobsModule,
        ChannelsModule,
        ConversationsModule,
        MessagesModule,
        WhatsAppModule,
      ],
    };
  }
}
