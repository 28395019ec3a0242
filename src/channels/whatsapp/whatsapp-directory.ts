import { Injectable, OnModuleInit } from '@nestjs/common';
import type { InstanceConfig } from '../../instances/instance.entity';
import { ChannelDirectory, ChannelDirectoryRegistry } from '../directory/channel-directory';
import type { ChatType, OmniChatDto } from '../directory/dto/omni-chat.dto';
import type { OmniContactDto } from '../directory/dto/omni-contact.dto';
import { evolutionConnectionOf, evolutionNameOf, MANAGEMENT_CALL } from './evolution-connection';
import { instanceCallFailure } from './evolution-failures';
import { EvolutionClient } from './evolution.client';
import type { EvolutionChat, EvolutionContact, EvolutionLookupQuery } from './evolution.types';

/** Contacts and chats of a WhatsApp instance, from Evolution's store, in the original's Omni shapes. */
@Injectable()
export class WhatsAppDirectory implements ChannelDirectory, OnModuleInit {
  constructor(
    private readonly evolution: EvolutionClient,
    private readonly directories: ChannelDirectoryRegistry,
  ) {}

  onModuleInit(): void {
    this.directories.register('whatsapp', this);
  }

  async contacts(instance: InstanceConfig): Promise<OmniContactDto[]> {
    return (await this.findContacts(instance, {})).map((row) => contactOf(instance, row));
  }

  async contact(instance: InstanceConfig, contactId: string): Promise<OmniContactDto | undefined> {
    const [row] = await this.findContacts(instance, { where: { remoteJid: jidOf(contactId) } });
    return row && contactOf(instance, row);
  }

  async chats(instance: InstanceConfig): Promise<OmniChatDto[]> {
    return (await this.findChats(instance, {})).map((row) => chatOf(instance, row));
  }

  async chat(instance: InstanceConfig, chatId: string): Promise<OmniChatDto | undefined> {
    const [row] = await this.findChats(instance, { where: { remoteJid: jidOf(chatId) } });
    return row && chatOf(instance, row);
  }

  private async findContacts(instance: InstanceConfig, query: EvolutionLookupQuery): Promise<EvolutionContact[]> {
    try {
      const conn = evolutionConnectionOf(instance);
      return await this.evolution.findContacts(conn, evolutionNameOf(instance), query, MANAGEMENT_CALL);
    } catch (error) {
      throw instanceCallFailure(error, `list the contacts of '${evolutionNameOf(instance)}'`);
    }
  }

  private async findChats(instance: InstanceConfig, query: EvolutionLookupQuery): Promise<EvolutionChat[]> {
    try {
      const conn = evolutionConnectionOf(instance);
      return await this.evolution.findChats(conn, evolutionNameOf(instance), query, MANAGEMENT_CALL);
    } catch (error) {
      throw instanceCallFailure(error, `list the chats of '${evolutionNameOf(instance)}'`);
    }
  }
}

function contactOf(instance: InstanceConfig, row: EvolutionContact): OmniContactDto {
  const phone = phoneOf(row.remoteJid);
  return {
    id: row.remoteJid,
    name: row.pushName || phone || 'Unknown',
    channel_type: 'whatsapp',
    instance_name: instance.name,
    avatar_url: row.profilePicUrl ?? null,
    // Evolution's contact store holds no presence.
    status: 'unknown',
    is_verified: null,
    is_business: null,
    channel_data: {
      phone_number: phone,
      is_contact: row.isSaved ?? null,
      is_group: row.isGroup ?? chatTypeOf(row.remoteJid) === 'group',
      push_name: row.pushName,
      raw_data: row,
    },
    created_at: dateOf(row.createdAt),
    last_seen: null,
  };
}

function chatOf(instance: InstanceConfig, row: EvolutionChat): OmniChatDto {
  const chatType = chatTypeOf(row.remoteJid);
  return {
    id: row.remoteJid,
    name: row.pushName || phoneOf(row.remoteJid) || row.remoteJid,
    chat_type: chatType,
    channel_type: 'whatsapp',
    instance_name: instance.name,
    participant_count: null,
    is_muted: false,
    is_archived: false,
    is_pinned: false,
    description: null,
    avatar_url: row.profilePicUrl ?? null,
    unread_count: row.unreadCount ?? null,
    channel_data: {
      group_id: chatType === 'group' ? row.remoteJid : null,
      phone_number: phoneOf(row.remoteJid),
      raw_data: row,
    },
    created_at: null,
    last_message_at: lastMessageAt(row),
  };
}

/** People are `@s.whatsapp.net` (or `@lid` since 2025); the original looked for `@c.us` and found none. */
function chatTypeOf(jid: string): ChatType {
  if (jid.endsWith('@g.us')) return 'group';
  if (jid.endsWith('@broadcast') || jid.endsWith('@newsletter')) return 'channel';
  return 'direct';
}

function phoneOf(jid: string): string | null {
  return /^(\d+)@s\.whatsapp\.net$/.exec(jid)?.[1] ?? null;
}

/** A contact or chat id as given in a URL: a JID, or a phone number that stands for its phone JID. */
function jidOf(id: string): string {
  return id.includes('@') ? id : `${id.replace(/\D/g, '')}@s.whatsapp.net`;
}

function lastMessageAt(row: EvolutionChat): Date | null {
  const seconds = Number(row.lastMessage?.messageTimestamp);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : dateOf(row.updatedAt);
}

function dateOf(value: string | undefined): Date | null {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}
