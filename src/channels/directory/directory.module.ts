import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { InstancesModule } from '../../instances/instances.module';
import { ChannelDirectoryRegistry } from './channel-directory';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';

/** The unified contacts and chats views; channels register their directory in the exported registry. */
@Module({
  imports: [InstancesModule, ConversationsModule],
  controllers: [DirectoryController],
  providers: [DirectoryService, ChannelDirectoryRegistry],
  exports: [ChannelDirectoryRegistry],
})
export class DirectoryModule {}
