// What a channel offers to the sending API (WhatsApp: Evolution's send routes; Discord later: the
// bot's REST calls). Sends fail with ChannelSendError; the sending API turns that into HTTP answers.
import { Injectable } from '@nestjs/common';
import type { SentMessage } from '../channels/channel';
import { PerChannel } from '../channels/per-channel';
import type { InstanceConfig } from '../instances/instance.entity';

export interface TextToSend {
  text: string;
  quotedMessageId?: string;
  /** Phone numbers to mention. */
  mentioned?: string[];
  /** Also mention the numbers written as `@5511999999999` in the text. */
  autoParseMentions?: boolean;
  mentionsEveryone?: boolean;
}

export interface MediaToSend {
  kind: 'image' | 'video' | 'document';
  mimeType: string;
  /** A URL or base64 bytes. */
  media: string;
  caption?: string;
  fileName?: string;
}

export interface ContactCard {
  fullName: string;
  phoneNumber: string;
  email?: string;
  organization?: string;
  url?: string;
}

export interface ChannelSender {
  /** The channel's chat id for a validated recipient (a phone number or the channel's own chat id). */
  chatIdOf(recipient: string): string;
  sendText(instance: InstanceConfig, chatId: string, text: TextToSend): Promise<SentMessage>;
  sendMedia(instance: InstanceConfig, chatId: string, media: MediaToSend): Promise<SentMessage>;
  /** A voice note; `audio` is a URL or base64 bytes. */
  sendAudio(instance: InstanceConfig, chatId: string, audio: string): Promise<SentMessage>;
  sendSticker(instance: InstanceConfig, chatId: string, sticker: string): Promise<SentMessage>;
  sendContacts(instance: InstanceConfig, chatId: string, contacts: ContactCard[]): Promise<SentMessage>;
  sendReaction(instance: InstanceConfig, chatId: string, messageId: string, emoji: string): Promise<SentMessage>;
  fetchProfile(instance: InstanceConfig, chatId: string): Promise<Record<string, unknown>>;
  /** Changes the instance's own profile picture; `picture` is a URL. */
  updateProfilePicture(instance: InstanceConfig, picture: string): Promise<void>;
}

@Injectable()
export class ChannelSenderRegistry extends PerChannel<ChannelSender> {}
