import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantsModule } from '../tenants/tenants.module';
import { InstanceLifecycleRegistry } from './instance-lifecycle';
import { InstanceConfig } from './instance.entity';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceConfig]), TenantsModule],
  controllers: [InstancesController],
  providers: [InstancesService, InstanceLifecycleRegistry],
  exports: [InstancesService, InstanceLifecycleRegistry],
})
export class InstancesModule {}
