import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { InboundMessage } from '../channels/channel';
import { isPostgres } from '../database/portable-sql';
import type { InstanceConfig } from '../instances/instance.entity';
import { TraceService } from '../trace/trace.service';
import { ChatQueue } from './chat-queue';
import { HeldMessage, MessageProcessor, StartedReads } from './message-processor.service';

export type AcceptResult = { status: 'accepted' | 'duplicate'; traceId: string };

/** Reads started for a chat's message while it is recorded; stale once another message of the chat comes in. */
interface Preparation extends StartedReads {
  stale: boolean;
}

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
  private readonly held = new Map<string, HeldMessage>();
  /** By chat, the reads started for a message being recorded. */
  private readonly preparations = new Map<string, Preparation>();
  /** SQLite runs one statement at a time: reading while recording would gain nothing there. */
  private readonly readsWhileRecording: boolean;

  constructor(
    private readonly traces: TraceService,
    private readonly processor: MessageProcessor,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.queue = new ChatQueue((traceIds) => processor.process(traceIds, this.takeHeld(traceIds)), config.messaging.maxConcurrentChats);
    this.readsWhileRecording = isPostgres(dataSource);
  }

  async accept(instance: InstanceConfig, message: InboundMessage): Promise<AcceptResult> {
    const chatKey = chatKeyOf(instance, message.chatId);
    const preparation = this.prepare(instance, message, chatKey);
    try {
      const { trace, duplicate } = await this.traces.recordInbound(instance, message, instance.debounceMs + RECORDING_HOLD_MS);
      if (duplicate) return { status: 'duplicate', traceId: trace.traceId };
      // The reads hold only if the message is handed over at once: nothing of its chat came in meanwhile or waits.
      const prepared = preparation && !preparation.stale && this.queue.isIdle(chatKey) ? preparation : undefined;
      this.held.set(trace.traceId, { trace, prepared });
      this.schedule(instance, message.chatId, trace.traceId);
      return { status: 'accepted', traceId: trace.traceId };
    } finally {
      if (this.preparations.get(chatKey) === preparation) this.preparations.delete(chatKey);
    }
  }

  /** Queues a recorded message for processing (also used to resume messages after a restart). */
  schedule(instance: InstanceConfig, chatId: string, traceId: string): void {
    const chatKey = chatKeyOf(instance, chatId);
    this.markStale(chatKey);
    this.queue.enqueue(chatKey, traceId, instance.debounceMs);
  }

  /**
   * Who wrote and the chat's turn are read while the message is recorded, when it will be
   * processed right after: the two waits overlap instead of adding up. Not with a debounce
   * window (the chat can change during it) nor while the chat has messages waiting.
   */
  private prepare(instance: InstanceConfig, message: InboundMessage, chatKey: string): Preparation | undefined {
    this.markStale(chatKey);
    if (!this.readsWhileRecording || instance.debounceMs > 0 || !this.queue.isIdle(chatKey)) return undefined;
    const reads = this.processor.prepare(instance, message);
    // Unused reads (a duplicate, a stale preparation) must not surface as unhandled rejections.
    reads.catch(() => undefined);
    const preparation = { reads, startedAt: Date.now(), stale: false };
    this.preparations.set(chatKey, preparation);
    return preparation;
  }

  private markStale(chatKey: string): void {
    const preparation = this.preparations.get(chatKey);
    if (preparation) preparation.stale = true;
  }

  /** Resolves when every queued message has been processed. */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  private takeHeld(traceIds: string[]): Map<string, HeldMessage> {
    const taken = new Map<string, HeldMessage>();
    for (const traceId of traceIds) {
      const message = this.held.get(traceId);
      if (!message) continue;
      taken.set(traceId, message);
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

const chatKeyOf = (instance: InstanceConfig, chatId: string) => `${instance.id}:${chatId}`;
