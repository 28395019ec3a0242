import { Module } from '@nestjs/common';
import { InstancesModule } from '../instances/instances.module';
import { ChannelSenderRegistry } from './channel-sender';
import { ProfilesController } from './profiles.controller';
import { SendingController } from './sending.controller';
import { SendingService } from './sending.service';

/** The sending API of the original (`/api/v1/instance/{name}/send-*`); channels register their sender. */
@Module({
  imports: [InstancesModule],
  controllers: [SendingController, ProfilesController],
  providers: [SendingService, ChannelSenderRegistry],
  exports: [ChannelSenderRegistry],
})
export class SendingModule {}
