import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserExternalId } from './user-external-id.entity';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, UserExternalId])],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
