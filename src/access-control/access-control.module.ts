import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstancesModule } from '../instances/instances.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AccessControlService } from './access-control.service';
import { AccessRule } from './access-rule.entity';
import { AccessRulesController } from './access-rules.controller';
import { AccessRulesService } from './access-rules.service';

@Module({
  imports: [TypeOrmModule.forFeature([AccessRule]), InstancesModule, TenantsModule],
  controllers: [AccessRulesController],
  providers: [AccessControlService, AccessRulesService],
  exports: [AccessControlService],
})
export class AccessControlModule {}
