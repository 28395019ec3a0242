import { BadGatewayException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ChannelSendError } from '../channels/channel-adapter';
import type { SentMessage } from '../channels/channel';
import type { Principal } from '../common/auth';
import type { InstanceConfig } from '../instances/instance.entity';
import { InstancesService } from '../instances/instances.service';
import { splitReply } from '../messages/reply-splitter';
import { ChannelSender, ChannelSenderRegistry, TextToSend } from './channel-sender';
import type { MessageResponseDto } from './dto/message-response.dto';
import type { FetchProfileResponseDto } from './dto/profile.dto';
import type { RecipientDto } from './dto/recipient.dto';
import type { SendContactDto } from './dto/send-contact.dto';
import type { SendAudioDto, SendMediaDto, SendStickerDto } from './dto/send-media.dto';
import type { SendReactionDto } from './dto/send-reaction.dto';
import type { SendTextDto } from './dto/send-text.dto';

/** Which instance a request addresses, and how to tell the tenant apart when the name is ambiguous. */
export interface InstanceRef {
  principal: Principal;
  name: string;
  tenantId?: string;
}

interface SendTarget {
  instance: InstanceConfig;
  sender: ChannelSender;
  chatId: string;
}

/** The sending API's rules, whatever the channel: whom to send to, splitting, and what failures mean. */
@Injectable()
export class SendingService {
  constructor(
    private readonly instances: InstancesService,
    private readonly senders: ChannelSenderRegistry,
  ) {}

  /**
   * One message per paragraph when splitting (the request's `split_message`, else the instance's setting).
   * The first part carries the quote and the explicit mentions; every part gets the mentions written in it.
   */
  async sendText(ref: InstanceRef, dto: SendTextDto): Promise<MessageResponseDto> {
    const { instance, sender, chatId } = await this.target(ref, dto);
    const parts = splitReply(dto.text, { autoSplit: dto.split_message ?? instance.enableAutoSplit, maxLength: 0 });
    const sent: SentMessage[] = [];
    for (const [index, part] of parts.entries()) {
      const text = index === 0 ? firstPartOf(dto, part) : { text: part, autoParseMentions: parsesMentions(dto) };
      const which = parts.length > 1 ? `part ${index + 1} of ${parts.length}` : 'the message';
      sent.push(await this.deliver(() => sender.sendText(instance, chatId, text), which));
    }
    return sentResponse(sent);
  }

  async sendMedia(ref: InstanceRef, dto: SendMediaDto): Promise<MessageResponseDto> {
    const { instance, sender, chatId } = await this.target(ref, dto);
    const media = {
      kind: dto.media_type,
      mimeType: dto.mime_type,
      media: (dto.media_url ?? dto.media_base64)!,
      caption: dto.caption,
      fileName: dto.filename,
    };
    return sentResponse([await this.deliver(() => sender.sendMedia(instance, chatId, media))]);
  }

  async sendAudio(ref: InstanceRef, dto: SendAudioDto): Promise<MessageResponseDto> {
    const { instance, sender, chatId } = await this.target(ref, dto);
    const audio = (dto.audio_url ?? dto.audio_base64)!;
    return sentResponse([await this.deliver(() => sender.sendAudio(instance, chatId, audio))]);
  }

  async sendSticker(ref: InstanceRef, dto: SendStickerDto): Promise<MessageResponseDto> {
    const { instance, sender, chatId } = await this.target(ref, dto);
    const sticker = (dto.sticker_url ?? dto.sticker_base64)!;
    return sentResponse([await this.deliver(() => sender.sendSticker(instance, chatId, sticker))]);
  }

  async sendContacts(ref: InstanceRef, dto: SendContactDto): Promise<MessageResponseDto> {
    const { instance, sender, chatId } = await this.target(ref, dto);
    const cards = dto.contacts.map((card) => ({
      fullName: card.full_name,
      phoneNumber: card.phone_number,
      email: card.email,
      organization: card.organization,
      url: card.url,
    }));
    return sentResponse([await this.deliver(() => sender.sendContacts(instance, chatId, cards))]);
  }

  async sendReaction(ref: InstanceRef, dto: SendReactionDto): Promise<MessageResponseDto> {
    const { instance, sender, chatId } = await this.target(ref, dto);
    const sent = await this.deliver(() => sender.sendReaction(instance, chatId, dto.message_id, dto.reaction), 'the reaction');
    return sentResponse([sent]);
  }

  async fetchProfile(ref: InstanceRef, dto: RecipientDto): Promise<FetchProfileResponseDto> {
    const { instance, sender, chatId } = await this.target(ref, dto);
    return { success: true, profile: await this.deliver(() => sender.fetchProfile(instance, chatId), 'the profile lookup') };
  }

  async updateProfilePicture(ref: InstanceRef, pictureUrl: string): Promise<MessageResponseDto> {
    const { instance, sender } = await this.senderOf(ref);
    await this.deliver(() => sender.updateProfilePicture(instance, pictureUrl), 'the picture update');
    return { success: true, message_id: null, message_ids: [], status: 'updated', error: null };
  }

  private async target(ref: InstanceRef, recipient: RecipientDto): Promise<SendTarget> {
    const { instance, sender } = await this.senderOf(ref);
    if (!recipient.phone_number) {
      throw new UnprocessableEntityException('Sending to a user_id is not supported yet: pass phone_number');
    }
    return { instance, sender, chatId: sender.chatIdOf(recipient.phone_number) };
  }

  private async senderOf({ principal, name, tenantId }: InstanceRef) {
    const instance = await this.instances.getByName(principal, name, tenantId);
    return { instance, sender: this.senders.require(instance.channelType, 'Sending') };
  }

  /** A refusal is final (422: a bad number, a closed session); no answer or a server error is a 502. */
  private async deliver<T>(work: () => Promise<T>, what = 'the message'): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ChannelSendError)) throw error;
      if (error.retryable) throw new BadGatewayException(`The channel server did not take ${what}: ${error.message}`);
      throw new UnprocessableEntityException(`The channel refused ${what}: ${error.message}`);
    }
  }
}

function firstPartOf(dto: SendTextDto, part: string): TextToSend {
  return {
    text: part,
    quotedMessageId: dto.quoted_message_id,
    mentioned: dto.mentioned,
    autoParseMentions: parsesMentions(dto),
    mentionsEveryone: dto.mentions_everyone,
  };
}

/** Explicit `mentioned` numbers replace the ones written in the text, as in the original. */
const parsesMentions = (dto: SendTextDto): boolean => Boolean(dto.auto_parse_mentions) && !dto.mentioned?.length;

function sentResponse(sent: SentMessage[]): MessageResponseDto {
  const ids = sent.map((message) => message.externalMessageId).filter((id): id is string => Boolean(id));
  return { success: true, message_id: ids[0] ?? null, message_ids: ids, status: 'sent', error: null };
}
