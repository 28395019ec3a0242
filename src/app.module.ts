import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InstancesModule } from './instances/instances.module';
import { LoggingModule } from './logging/logging.module';
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
      ],
    };
  }
}
