import { Logger } from '@nestjs/common';
import type { ChannelRegistry } from '../channels/channel-adapter';
import type { InboundMessage } from '../channels/channel';
import type { InstanceConfig } from '../instances/instance.entity';
import type { ReplySender } from './reply-sender.service';

/**
 * Never stay silent: when the agent has not answered within `ack_after_ms`, acknowledge the
 * person's message with a reaction or a short text (whichever the instance configures).
 */
export class AgentAck {
  private readonly logger = new Logger(AgentAck.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly instance: InstanceConfig,
    private readonly message: InboundMessage,
    private readonly channels: ChannelRegistry,
    private readonly replies: ReplySender,
    private readonly traceId: string,
  ) {}

  start(): void {
    const { ackAfterMs, ackReaction, ackText } = this.instance;
    if (ackAfterMs <= 0 || (!ackReaction && !ackText)) return;
    this.timer = setTimeout(() => void this.acknowledge(), ackAfterMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async acknowledge(): Promise<void> {
    const { instance, message } = this;
    try {
      if (instance.ackReaction) {
        const adapter = this.channels.adapterFor(instance.channelType);
        await adapter.sendReaction(instance, message.chatId, message.externalMessageId, instance.ackReaction);
      } else {
        await this.replies.sendPart(instance, message.chatId, instance.ackText!, this.traceId);
      }
    } catch (err) {
      this.logger.warn({ err, traceId: this.traceId }, 'Could not acknowledge a slow answer');
    }
  }
}
