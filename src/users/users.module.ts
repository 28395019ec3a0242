import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TraceModule } from '../trace/trace.module';
import { UserExternalId } from './user-external-id.entity';
import { User } from './user.entity';
import { UsersQueryService } from './users-query.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, UserExternalId]), TraceModule],
  controllers: [UsersController],
  providers: [UsersService, UsersQueryService],
  exports: [UsersService],
})
export class UsersModule {}
