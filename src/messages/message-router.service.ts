import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { InboundMessage } from '../channels/channel';
import type { InstanceConfig } from '../instances/instance.entity';
import type { MessageTrace } from '../trace/message-trace.entity';
import { TraceService } from '../trace/trace.service';
import { ChatQueue } from './chat-queue';
import { MessageProcessor } from './message-processor.service';

export type AcceptResult = { status: 'accepted' | 'duplicate'; traceId: string };

/** How long shutdown waits for messages in progress; unfinished ones are picked up again after a restart. */
const SHUTDOWN_GRACE_MS = 10_000;
/**
 * How long, after its debounce window, the replica that records a message keeps it for itself.
 * Its processing can then start without first claiming it in the database (one commit less on
 * the way to the agent); after a crash, another replica takes the message over once this is over.
 */
const RECORDING_HOLD_MS = 30_000;

/**
 * The channel-agnostic entry of every message. A channel calls `accept` with a normalised
 * message; it is durably recorded (once per instance and message id) before the channel
 * answers its webhook, then processed in the background, one at a time per chat, by the replica
 * that recorded it.
 */
@Injectable()
export class MessageRouter implements OnApplicationShutdown {
  private readonly logger = new Logger(MessageRouter.name);
  private readonly queue: ChatQueue;
  /** Messages this replica recorded and holds, until their processing starts. */
  private readonly held = new Map<string, MessageTrace>();

  constructor(
    private readonly traces: TraceService,
    processor: MessageProcessor,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.queue = new ChatQueue((traceIds) => processor.process(traceIds, this.takeHeld(traceIds)), config.messaging.maxConcurrentChats);
  }

  async accept(instance: InstanceConfig, message: InboundMessage): Promise<AcceptResult> {
    const { trace, duplicate } = await this.traces.recordInbound(instance, message, instance.debounceMs + RECORDING_HOLD_MS);
    if (duplicate) return { status: 'duplicate', traceId: trace.traceId };
    this.held.set(trace.traceId, trace);
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

  private takeHeld(traceIds: string[]): Map<string, MessageTrace> {
    const taken = new Map<string, MessageTrace>();
    for (const traceId of traceIds) {
      const trace = this.held.get(traceId);
      if (!trace) continue;
      taken.set(traceId, trace);
      this.held.delete(traceId);
    }
    return taken;
  }

  /**
   * Lets messages in progress finish (for a while). Waiting ones are let go, so that any replica,
   * or this one after its restart, resumes them from the database at once.
   */
  async onApplicationShutdown(): Promise<void> {
    const stopped = this.queue.stop();
    await this.releaseHeld();
    if (this.queue.size === 0) return;
    this.logger.log(`Waiting for ${this.queue.size} message(s) in progress`);
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  }

  private async releaseHeld(): Promise<void> {
    const traceIds = [...this.held.keys()];
    this.held.clear();
    if (!traceIds.length) return;
    // Not fatal: without it they are resumed once their hold runs out.
    await this.traces.releaseHeld(traceIds).catch((err: unknown) => this.logger.warn({ err }, 'Could not let go of waiting messages'));
  }
}
