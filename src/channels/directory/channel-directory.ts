// What a channel offers to the unified contacts and chats views (WhatsApp: Evolution's contact and
// chat store; Discord later: guild members and channels). The directory API calls only this.
import { Injectable } from '@nestjs/common';
import type { InstanceConfig } from '../../instances/instance.entity';
import { PerChannel } from '../per-channel';
import type { OmniChatDto } from './dto/omni-chat.dto';
import type { OmniContactDto } from './dto/omni-contact.dto';

/** Lists are whole: filtering and paging happen once, above every channel. */
export interface ChannelDirectory {
  contacts(instance: InstanceConfig): Promise<OmniContactDto[]>;
  contact(instance: InstanceConfig, contactId: string): Promise<OmniContactDto | undefined>;
  chats(instance: InstanceConfig): Promise<OmniChatDto[]>;
  chat(instance: InstanceConfig, chatId: string): Promise<OmniChatDto | undefined>;
}

@Injectable()
export class ChannelDirectoryRegistry extends PerChannel<ChannelDirectory> {}
