// What every channel implements for the way out; the router and the sending API call only this.
import { Injectable } from '@nestjs/common';
import type { InstanceConfig } from '../instances/instance.entity';
import type { ChannelType, InboundMedia, InboundMessage, OutboundMedia, OutboundText, SentMessage } from './channel';

/** One try of a call to the channel's server, reported so every attempt can be traced. */
export interface ChannelAttempt {
  attempt: number;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface ChannelSendOptions {
  onAttempt?: (attempt: ChannelAttempt) => void;
  /** Tries in all (1 = no retry). The adapter's own default applies when absent. */
  maxAttempts?: number;
}

/** A send that failed for good (after retries, or refused outright). */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    /** Worth trying again later (server errors, rate limits, timeouts); false for refusals such as a bad number. */
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

export interface ChannelAdapter {
  readonly channelType: ChannelType;
  sendText(instance: InstanceConfig, message: OutboundText, options?: ChannelSendOptions): Promise<SentMessage>;
  /** Sends a file (an agent's image, video, document or spoken answer). */
  sendMedia(instance: InstanceConfig, message: OutboundMedia, options?: ChannelSendOptions): Promise<SentMessage>;
  /** Shows "typing…" in the chat for about `durationMs` (best effort: failures are not errors). */
  sendTyping(instance: InstanceConfig, chatId: string, durationMs: number): Promise<void>;
  sendReaction(
    instance: InstanceConfig,
    chatId: string,
    messageId: string,
    emoji: string,
    options?: ChannelSendOptions,
  ): Promise<SentMessage>;
  /** The media bytes of a message that arrived without them (optional: channels that always deliver bytes skip it). */
  fetchMedia?(instance: InstanceConfig, message: InboundMessage): Promise<InboundMedia | undefined>;
}

/** Channels register their adapter at start; the router looks them up by channel type. */
@Injectable()
export class ChannelRegistry {
  private readonly adapters = new Map<ChannelType, ChannelAdapter>();

  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.channelType, adapter);
  }

  adapterFor(channelType: ChannelType): ChannelAdapter {
    const adapter = this.adapters.get(channelType);
    if (!adapter) throw new Error(`No adapter registered for channel '${channelType}'`);
    return adapter;
  }
}
