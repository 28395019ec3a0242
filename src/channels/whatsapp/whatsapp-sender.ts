import { Injectable, OnModuleInit } from '@nestjs/common';
import type { InstanceConfig } from '../../instances/instance.entity';
import { ChannelSender, ChannelSenderRegistry, ContactCard, MediaToSend, TextToSend } from '../../sending/channel-sender';
import type { SentMessage } from '../channel';
import { evolutionConnectionOf, evolutionNameOf } from './evolution-connection';
import { deliverThroughEvolution } from './evolution-delivery';
import { asChannelSendError } from './evolution-failures';
import { EvolutionCallOptions, EvolutionClient } from './evolution.client';
import type { EvolutionConnection, EvolutionSentMessage, SendTextRequest } from './evolution.types';
import { WhatsAppAdapter } from './whatsapp.adapter';

/** `@5511999999999` or `@+5511999999999` in a text: the original's auto-mentions, without its Brazil-only guesses. */
const MENTION = /@\+?(\d{8,15})\b/g;

type EvolutionSend = (
  conn: EvolutionConnection,
  name: string,
  options: EvolutionCallOptions,
) => Promise<EvolutionSentMessage>;

/** The sending API's way out to WhatsApp, through the instance's Evolution server. */
@Injectable()
export class WhatsAppSender implements ChannelSender, OnModuleInit {
  constructor(
    private readonly evolution: EvolutionClient,
    private readonly adapter: WhatsAppAdapter,
    private readonly senders: ChannelSenderRegistry,
  ) {}

  onModuleInit(): void {
    this.senders.register('whatsapp', this);
  }

  /** A phone number becomes its phone JID; a JID (person, LID or group) is used as given. */
  chatIdOf(recipient: string): string {
    return recipient.includes('@') ? recipient : `${digitsOf(recipient)}@s.whatsapp.net`;
  }

  sendText(instance: InstanceConfig, chatId: string, text: TextToSend): Promise<SentMessage> {
    const body: SendTextRequest = { number: chatId, text: text.text };
    if (text.quotedMessageId) body.quoted = { key: { id: text.quotedMessageId } };
    const mentioned = mentionsOf(text);
    if (mentioned.length > 0) body.mentioned = mentioned;
    if (text.mentionsEveryone) body.mentionsEveryOne = true;
    return this.deliver(instance, (conn, name, options) => this.evolution.sendText(conn, name, body, options));
  }

  sendMedia(instance: InstanceConfig, chatId: string, media: MediaToSend): Promise<SentMessage> {
    const body = {
      number: chatId,
      mediatype: media.kind,
      mimetype: media.mimeType,
      media: media.media,
      caption: media.caption,
      fileName: media.fileName,
    };
    return this.deliver(instance, (conn, name, options) => this.evolution.sendMedia(conn, name, body, options));
  }

  sendAudio(instance: InstanceConfig, chatId: string, audio: string): Promise<SentMessage> {
    const body = { number: chatId, audio };
    return this.deliver(instance, (conn, name, options) => this.evolution.sendWhatsAppAudio(conn, name, body, options));
  }

  sendSticker(instance: InstanceConfig, chatId: string, sticker: string): Promise<SentMessage> {
    const body = { number: chatId, sticker };
    return this.deliver(instance, (conn, name, options) => this.evolution.sendSticker(conn, name, body, options));
  }

  sendContacts(instance: InstanceConfig, chatId: string, contacts: ContactCard[]): Promise<SentMessage> {
    const body = { number: chatId, contact: contacts.map((card) => ({ ...card, phoneNumber: digitsOf(card.phoneNumber) })) };
    return this.deliver(instance, (conn, name, options) => this.evolution.sendContact(conn, name, body, options));
  }

  sendReaction(instance: InstanceConfig, chatId: string, messageId: string, emoji: string): Promise<SentMessage> {
    return this.adapter.sendReaction(instance, chatId, messageId, emoji);
  }

  async fetchProfile(instance: InstanceConfig, chatId: string): Promise<Record<string, unknown>> {
    try {
      return { ...(await this.evolution.fetchProfile(evolutionConnectionOf(instance), evolutionNameOf(instance), chatId)) };
    } catch (error) {
      throw asChannelSendError(error);
    }
  }

  async updateProfilePicture(instance: InstanceConfig, picture: string): Promise<void> {
    try {
      await this.evolution.updateProfilePicture(evolutionConnectionOf(instance), evolutionNameOf(instance), picture);
    } catch (error) {
      throw asChannelSendError(error);
    }
  }

  private deliver(instance: InstanceConfig, send: EvolutionSend): Promise<SentMessage> {
    return deliverThroughEvolution((options) => send(evolutionConnectionOf(instance), evolutionNameOf(instance), options));
  }
}

function mentionsOf(text: TextToSend): string[] {
  const explicit = (text.mentioned ?? []).map(digitsOf);
  const written = text.autoParseMentions ? [...text.text.matchAll(MENTION)].map((match) => match[1]) : [];
  return [...new Set([...explicit, ...written])];
}

function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '');
}
