import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelRegistry, ChannelSendError, ChannelSendOptions } from '../channels/channel-adapter';
import type { OutboundFile, SentMessage } from '../channels/channel';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CircuitStatus, SendBudgetService } from '../conversations/send-budget.service';
import { SentMessagesService } from '../conversations/sent-messages.service';
import type { InstanceConfig } from '../instances/instance.entity';
import { TraceService } from '../trace/trace.service';
import { splitMediaLinks } from './reply-media-links';
import { splitReply, typingDelayMs } from './reply-splitter';

/** WhatsApp accepts long texts; parts above this are cut at a paragraph, line or word. */
const MAX_PART_LENGTH = { whatsapp: 4000, discord: 2000 } as const;

/** Some parts of a reply could not be delivered; `unsent` are the parts (and `unsentFiles` the files) from the failing one on. */
export class ReplyDeliveryError extends Error {
  constructor(
    override readonly cause: ChannelSendError,
    readonly unsent: string[],
    readonly unsentFiles: OutboundFile[] = [],
  ) {
    super(cause.message);
    this.name = 'ReplyDeliveryError';
  }
}

/** A send was called off before it went out: its go-ahead said no (another replica answers the message). */
export class SendCalledOffError extends Error {
  constructor() {
    super('send called off: the message is no longer held by this claim');
    this.name = 'SendCalledOffError';
  }
}

/**
 * Sends replies to a chat: within the instance's send budget and circuit breaker, each part
 * after a typing pause sized to it, every attempt traced, and the sent ids remembered.
 */
@Injectable()
export class ReplySender {
  constructor(
    private readonly channels: ChannelRegistry,
    private readonly traces: TraceService,
    private readonly budget: SendBudgetService,
    private readonly sentMessages: SentMessagesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  partsOf(instance: InstanceConfig, text: string): string[] {
    return splitReply(text, { autoSplit: instance.enableAutoSplit, maxLength: MAX_PART_LENGTH[instance.channelType] });
  }

  /** On WhatsApp, Markdown links to media files become those files; Discord shows Markdown as it is. */
  mediaLinksOf(instance: InstanceConfig, text: string): { text: string; files: OutboundFile[] } {
    return instance.channelType === 'whatsapp' ? splitMediaLinks(text) : { text, files: [] };
  }

  /**
   * Sends the text parts in order, then the files; the first one that fails for good stops the
   * rest (ReplyDeliveryError says what was left). With `goAhead`, nothing goes out unless it
   * resolves true (SendCalledOffError); the first send slot is reserved meanwhile.
   */
  async sendParts(
    instance: InstanceConfig,
    chatId: string,
    parts: string[],
    traceId: string,
    files: OutboundFile[] = [],
    goAhead?: Promise<boolean>,
  ): Promise<SentMessage[]> {
    const sends = [
      ...parts.map((part) => () => this.sendPart(instance, chatId, part, traceId, goAhead)),
      ...files.map((file) => () => this.sendFile(instance, chatId, file, traceId, goAhead)),
    ];
    const sent: SentMessage[] = [];
    for (const [index, send] of sends.entries()) {
      try {
        sent.push(await send());
      } catch (err) {
        if (err instanceof SendCalledOffError) throw err;
        throw new ReplyDeliveryError(asSendError(err), parts.slice(index), files.slice(Math.max(0, index - parts.length)));
      }
    }
    return sent;
  }

  async sendPart(instance: InstanceConfig, chatId: string, text: string, traceId: string, goAhead?: Promise<boolean>): Promise<SentMessage> {
    const circuit = await this.waitForSlot(instance, chatId, traceId, goAhead);
    const adapter = this.channels.adapterFor(instance.channelType);
    const pause = typingDelayMs(text, { minMs: 0, maxMs: this.config.messaging.typingMaxMs, msPerChar: 25 });
    if (pause > 0) await adapter.sendTyping(instance, chatId, pause);
    return this.send(instance, chatId, traceId, circuit, { chat_id: chatId, text }, (options) =>
      adapter.sendText(instance, { chatId, text }, options),
    );
  }

  /** Sends a file the agent answered with, within the same budget; the trace keeps its size, not its bytes. */
  async sendFile(instance: InstanceConfig, chatId: string, file: OutboundFile, traceId: string, goAhead?: Promise<boolean>): Promise<SentMessage> {
    const circuit = await this.waitForSlot(instance, chatId, traceId, goAhead);
    const adapter = this.channels.adapterFor(instance.channelType);
    const { base64, ...described } = file;
    const request = { chat_id: chatId, file: { ...described, ...(base64 ? { base64_length: base64.length } : {}) } };
    return this.send(instance, chatId, traceId, circuit, request, (options) => adapter.sendMedia(instance, { chatId, file }, options));
  }

  private async send(
    instance: InstanceConfig,
    chatId: string,
    traceId: string,
    circuit: CircuitStatus,
    request: Record<string, unknown>,
    attempt: (options: ChannelSendOptions) => Promise<SentMessage>,
  ): Promise<SentMessage> {
    const stage = sendStageOf(instance);
    let tries = 1;
    try {
      const sent = await attempt({
        // Failed tries are traced as they happen; the try that worked is traced with its answer below.
        onAttempt: (a) => {
          tries = a.attempt;
          if (a.error) void this.traces.addPayload(traceId, stage, 'request', request, { statusCode: a.status, error: a.error, attempt: a.attempt });
        },
      });
      await Promise.all([
        this.traces.addPayload(traceId, stage, 'request', { ...request, response: sent.raw ?? null }, { statusCode: sent.statusCode, attempt: tries }),
        this.budget.recordSuccess(instance.id, circuit),
        sent.externalMessageId ? this.sentMessages.record(instance.id, sent.externalMessageId, chatId, traceId) : undefined,
      ]);
      return sent;
    } catch (err) {
      const failure = asSendError(err);
      if (failure.retryable) await this.budget.recordFailure(instance.id);
      throw failure;
    }
  }

  /**
   * Waits for the instance's and the chat's next send slot, and while the circuit is open, for
   * its cool-down (instead of hammering a failing server). Every wait is traced.
   */
  private async waitForSlot(instance: InstanceConfig, chatId: string, traceId: string, goAhead?: Promise<boolean>): Promise<CircuitStatus> {
    const [{ slot, circuit }, allowed] = await Promise.all([this.budget.reserve(instance, chatId), goAhead ?? true]);
    if (!allowed) throw new SendCalledOffError();
    const circuitWait = circuit.state === 'open' ? circuit.openUntil!.getTime() - Date.now() : 0;
    const budgetWait = slot.getTime() - Date.now();
    const waitMs = Math.max(circuitWait, budgetWait);
    if (waitMs <= 0) return circuit;
    const reason = circuitWait >= budgetWait ? 'circuit open' : 'send budget';
    await this.traces.addPayload(traceId, 'send_wait', 'request', { reason, wait_ms: Math.round(waitMs) });
    await sleep(waitMs);
    return circuit;
  }
}

function asSendError(err: unknown): ChannelSendError {
  return err instanceof ChannelSendError ? err : new ChannelSendError((err as Error).message, true);
}

/** Trace stage of a send: `evolution_send` for WhatsApp (the original's name), `discord_send` for Discord. */
export const sendStageOf = (instance: InstanceConfig) =>
  instance.channelType === 'whatsapp' ? 'evolution_send' : `${instance.channelType}_send`;
