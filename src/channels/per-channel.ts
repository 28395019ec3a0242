import { UnprocessableEntityException } from '@nestjs/common';
import type { ChannelType } from './channel';

/**
 * One implementation of a capability per channel type (QR and connection, contacts and chats, the
 * sending API). Each channel registers its own at start, so features know no channel.
 */
export class PerChannel<T> {
  private readonly implementations = new Map<ChannelType, T>();

  register(channelType: ChannelType, implementation: T): void {
    this.implementations.set(channelType, implementation);
  }

  /** The channel's implementation, or a 422 saying the channel does not offer `feature` yet. */
  require(channelType: ChannelType, feature: string): T {
    const implementation = this.implementations.get(channelType);
    if (implementation) return implementation;
    throw new UnprocessableEntityException(`${feature}: not supported for ${channelType} instances yet`);
  }
}
