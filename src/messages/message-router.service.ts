import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { InboundMessage } from '../channels/channel';
import type { InstanceConfig } from '../instances/instance.entity';
import { TraceService } from '../trace/trace.service';
import { ChatQueue } from './chat-queue';
import { MessageProcessor } from './message-processor.service';

export type AcceptResult = { status: 'accepted' | 'duplicate'; traceId: string };

/** How long shutdown waits for messages in progress; unfinished ones are picked up again after a restart. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The channel-agnostic entry of every message. A channel calls `accept` with a normalised
 * message; it is durably recorded (once per instance and message id) before the channel
 * answers its webhook, then processed in the background, one at a time per chat.
 */
@Injectable()
export class MessageRouter implements OnApplicationShutdown {
  private readonly logger = new Logger(MessageRouter.name);
  private readonly queue: ChatQueue;

  constructor(
    private readonly traces: TraceService,
    processor: MessageProcessor,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.queue = new ChatQueue((traceIds) => processor.process(traceIds), config.messaging.maxConcurrentChats);
  }

  async accept(instance: InstanceConfig, message: InboundMessage): Promise<AcceptResult> {
    const { trace, duplicate } = await this.traces.recordInbound(instance, message);
    if (duplicate) return { status: 'duplicate', traceId: trace.traceId };
    this.schedule(instance, message.chatId, trace.traceId);
    return { status: 'accepted', traceId: trace.traceId };
  }

  /** Queues a recorded message for processing (also used to resume messages after a restart). */
  schedule(instance: InstanceConfig, chatId: string, traceId: string): void {
    this.queue.enqueue(`${instance.id}:${chatId}`, traceId, instance.debounceMs);
  }

  /** Resolves when every queued message has been processed. */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /** Lets messages in progress finish (for a while); waiting ones resume from the database after the restart. */
  async onApplicationShutdown(): Promise<void> {
    const stopped = this.queue.stop();
    if (this.queue.size === 0) return;
    this.logger.log(`Waiting for ${this.queue.size} message(s) in progress`);
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  }
}
