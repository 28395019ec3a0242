import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../../common/auth';
import { ChatControlService } from '../../conversations/chat-control.service';
import type { InstanceConfig } from '../../instances/instance.entity';
import { InstancesService } from '../../instances/instances.service';
import type { ChannelType } from '../channel';
import { ChannelDirectory, ChannelDirectoryRegistry } from './channel-directory';
import { filterChats, filterContacts, pageOf } from './directory-listing';
import type { ChatsQueryDto, ContactsQueryDto } from './dto/directory-query.dto';
import type { OmniChatDto, OmniChatsResponseDto } from './dto/omni-chat.dto';
import type { OmniContactDto, OmniContactsResponseDto } from './dto/omni-contact.dto';
import type { PartialErrorDto } from './dto/partial-error.dto';

/** The unified contacts and chats of an instance, whatever its channel. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly instances: InstancesService,
    private readonly directories: ChannelDirectoryRegistry,
    private readonly chatControl: ChatControlService,
  ) {}

  async contacts(principal: Principal, name: string, query: ContactsQueryDto): Promise<OmniContactsResponseDto> {
    const instance = await this.instances.getByName(principal, name, query.tenant_id);
    const mismatch = channelMismatch(instance, query.channel_type);
    const matching = mismatch ? [] : filterContacts(await this.directoryOf(instance).contacts(instance), query);
    const { items, ...paging } = pageOf(matching, query.page!, query.page_size!);
    return { contacts: items, ...paging, ...this.listingHeader(instance, query, mismatch) };
  }

  async contact(principal: Principal, name: string, contactId: string, tenantId?: string): Promise<OmniContactDto> {
    const instance = await this.instances.getByName(principal, name, tenantId);
    const contact = await this.directoryOf(instance).contact(instance, contactId);
    if (!contact) throw new NotFoundException(`Contact '${contactId}' not found on instance '${instance.name}'`);
    return contact;
  }

  async chats(principal: Principal, name: string, query: ChatsQueryDto): Promise<OmniChatsResponseDto> {
    const instance = await this.instances.getByName(principal, name, query.tenant_id);
    const mismatch = channelMismatch(instance, query.channel_type);
    const matching = mismatch ? [] : filterChats(await this.directoryOf(instance).chats(instance), query);
    const { items, ...paging } = pageOf(matching, query.page!, query.page_size!);
    return { chats: items, ...paging, ...this.listingHeader(instance, query, mismatch) };
  }

  async chat(principal: Principal, name: string, chatId: string, tenantId?: string): Promise<OmniChatDto> {
    const instance = await this.instances.getByName(principal, name, tenantId);
    const chat = await this.directoryOf(instance).chat(instance, chatId);
    if (!chat) throw new NotFoundException(`Chat '${chatId}' not found on instance '${instance.name}'`);
    const pause = await this.chatControl.pauseOf(instance.id, chat.id);
    return { ...chat, agent_paused: pause.paused, agent_paused_until: pause.pausedUntil, agent_pause_reason: pause.reason };
  }

  private directoryOf(instance: InstanceConfig): ChannelDirectory {
    return this.directories.require(instance.channelType, 'Contacts and chats');
  }

  private listingHeader(instance: InstanceConfig, query: ContactsQueryDto | ChatsQueryDto, mismatch?: PartialErrorDto) {
    return {
      page: query.page!,
      page_size: query.page_size!,
      instance_name: instance.name,
      channel_type: instance.channelType,
      partial_errors: mismatch ? [mismatch] : [],
    };
  }
}

/** A `channel_type` filter another channel's instance cannot match: an empty page that says why. */
function channelMismatch(instance: InstanceConfig, wanted?: ChannelType): PartialErrorDto | undefined {
  if (!wanted || wanted === instance.channelType) return undefined;
  return {
    instance_name: instance.name,
    channel_type: instance.channelType,
    error_code: 'channel_type_mismatch',
    message: `Instance '${instance.name}' is a ${instance.channelType} instance, not ${wanted}`,
  };
}
