import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { InstanceConfig } from '../../instances/instance.entity';
import { ChannelAdapter, ChannelRegistry, ChannelSendOptions } from '../channel-adapter';
import type { InboundMedia, InboundMessage, OutboundMedia, OutboundText, SentMessage } from '../channel';
import { evolutionConnectionOf, evolutionNameOf } from './evolution-connection';
import { deliverThroughEvolution } from './evolution-delivery';
import { EvolutionClient } from './evolution.client';
import type { SendTextRequest } from './evolution.types';

/** A missed "typing…" is not worth delaying the reply it announces. */
const ONE_TRY = { retry: { maxAttempts: 1 } };

/** The router's way out to WhatsApp: texts, files, typing and reactions through the instance's Evolution server. */
@Injectable()
export class WhatsAppAdapter implements ChannelAdapter, OnModuleInit {
  readonly channelType = 'whatsapp' as const;
  private readonly logger = new Logger(WhatsAppAdapter.name);

  constructor(
    private readonly evolution: EvolutionClient,
    private readonly channels: ChannelRegistry,
  ) {}

  onModuleInit(): void {
    this.channels.register(this);
  }

  /** `chatId` goes to Evolution as given: a phone JID, a LID JID and a group JID are all accepted. */
  sendText(instance: InstanceConfig, message: OutboundText, options?: ChannelSendOptions): Promise<SentMessage> {
    const body: SendTextRequest = { number: message.chatId, text: message.text };
    if (message.quotedMessageId) body.quoted = { key: { id: message.quotedMessageId } };
    const conn = evolutionConnectionOf(instance);
    return deliverThroughEvolution((call) => this.evolution.sendText(conn, evolutionNameOf(instance), body, call), options);
  }

  /** Audio goes as a voice note (`sendWhatsAppAudio`), the rest with `sendMedia`; both take a URL or raw base64. */
  sendMedia(instance: InstanceConfig, { chatId, file }: OutboundMedia, options?: ChannelSendOptions): Promise<SentMessage> {
    const conn = evolutionConnectionOf(instance);
    const name = evolutionNameOf(instance);
    const media = file.url ?? file.base64 ?? '';
    if (file.kind === 'audio') {
      return deliverThroughEvolution((call) => this.evolution.sendWhatsAppAudio(conn, name, { number: chatId, audio: media }, call), options);
    }
    const body = { number: chatId, mediatype: file.kind, media, mimetype: file.mimeType, fileName: file.fileName, caption: file.caption };
    return deliverThroughEvolution((call) => this.evolution.sendMedia(conn, name, body, call), options);
  }

  async sendTyping(instance: InstanceConfig, chatId: string, durationMs: number): Promise<void> {
    if (durationMs <= 0) return;
    try {
      const conn = evolutionConnectionOf(instance);
      await this.evolution.sendPresence(conn, evolutionNameOf(instance), chatId, 'composing', durationMs, ONE_TRY);
    } catch (err) {
      this.logger.debug({ err, instance: instance.name }, 'Typing presence failed');
    }
  }

  /** Reacts to a message the person sent (`fromMe: false`); an empty emoji removes the reaction. */
  sendReaction(
    instance: InstanceConfig,
    chatId: string,
    messageId: string,
    emoji: string,
    options?: ChannelSendOptions,
  ): Promise<SentMessage> {
    const body = { key: { remoteJid: chatId, fromMe: false, id: messageId }, reaction: emoji };
    const conn = evolutionConnectionOf(instance);
    return deliverThroughEvolution((call) => this.evolution.sendReaction(conn, evolutionNameOf(instance), body, call), options);
  }

  /** Webhooks without `base64` carry only an encrypted CDN URL: Evolution decrypts the file on request. */
  async fetchMedia(instance: InstanceConfig, message: InboundMessage): Promise<InboundMedia | undefined> {
    if (!message.media) return undefined;
    const file = await this.evolution.getBase64FromMediaMessage(
      evolutionConnectionOf(instance),
      evolutionNameOf(instance),
      message.externalMessageId,
    );
    return { ...message.media, base64: file.base64, mimeType: message.media.mimeType ?? file.mimetype, fileName: message.media.fileName ?? file.fileName };
  }
}
