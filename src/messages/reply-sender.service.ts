import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelRegistry, ChannelSendError } from '../channels/channel-adapter';
import type { SentMessage } from '../channels/channel';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SendBudgetService } from '../conversations/send-budget.service';
import { SentMessagesService } from '../conversations/sent-messages.service';
import type { InstanceConfig } from '../instances/instance.entity';
import { TraceService } from '../trace/trace.service';
import { splitReply, typingDelayMs } from './reply-splitter';

/** WhatsApp accepts long texts; parts above this are cut at a paragraph, line or word. */
const MAX_PART_LENGTH = { whatsapp: 4000, discord: 2000 } as const;

/** Some parts of a reply could not be delivered; `unsent` are the parts from the failing one on. */
export class ReplyDeliveryError extends Error {
  constructor(
    override readonly cause: ChannelSendError,
    readonly unsent: string[],
  ) {
    super(cause.message);
    this.name = 'ReplyDeliveryError';
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

  /** Sends the parts in order; the first part that fails for good stops the rest (ReplyDeliveryError). */
  async sendParts(instance: InstanceConfig, chatId: string, parts: string[], traceId: string): Promise<SentMessage[]> {
    const sent: SentMessage[] = [];
    for (const [index, part] of parts.entries()) {
      try {
        sent.push(await this.sendPart(instance, chatId, part, traceId));
      } catch (err) {
        throw new ReplyDeliveryError(asSendError(err), parts.slice(index));
      }
    }
    return sent;
  }

  async sendPart(instance: InstanceConfig, chatId: string, text: string, traceId: string): Promise<SentMessage> {
    await this.waitForCircuit(instance, traceId);
    await this.waitForSlot(instance, chatId, traceId);
    const adapter = this.channels.adapterFor(instance.channelType);
    const pause = typingDelayMs(text, { minMs: 0, maxMs: this.config.messaging.typingMaxMs, msPerChar: 25 });
    if (pause > 0) await adapter.sendTyping(instance, chatId, pause);
    const stage = sendStageOf(instance);
    try {
      const sent = await adapter.sendText(instance, { chatId, text }, {
        onAttempt: (a) =>
          void this.traces.addPayload(traceId, stage, 'request', { chat_id: chatId, text }, {
            statusCode: a.status,
            error: a.error,
            attempt: a.attempt,
          }),
      });
      await this.traces.addPayload(traceId, stage, 'response', sent.raw ?? sent, { statusCode: sent.statusCode });
      await this.budget.recordSuccess(instance.id);
      if (sent.externalMessageId) await this.sentMessages.record(instance.id, sent.externalMessageId, chatId, traceId);
      return sent;
    } catch (err) {
      const failure = asSendError(err);
      if (failure.retryable) await this.budget.recordFailure(instance.id);
      throw failure;
    }
  }

  private async waitForSlot(instance: InstanceConfig, chatId: string, traceId: string): Promise<void> {
    const slot = await this.budget.reserve(instance, chatId);
    const waitMs = slot.getTime() - Date.now();
    if (waitMs <= 0) return;
    await this.traces.addPayload(traceId, 'send_wait', 'request', { reason: 'send budget', wait_ms: Math.round(waitMs) });
    await sleep(waitMs);
  }

  /** While the circuit is open, sends wait for the cool-down instead of hammering a failing server. */
  private async waitForCircuit(instance: InstanceConfig, traceId: string): Promise<void> {
    const circuit = await this.budget.circuitOf(instance.id);
    if (circuit.state === 'closed') return;
    const waitMs = circuit.openUntil!.getTime() - Date.now();
    await this.traces.addPayload(traceId, 'send_wait', 'request', { reason: 'circuit open', wait_ms: Math.round(waitMs) });
    await sleep(Math.max(0, waitMs));
  }
}

function asSendError(err: unknown): ChannelSendError {
  return err instanceof ChannelSendError ? err : new ChannelSendError((err as Error).message, true);
}

/** Trace stage of a send: `evolution_send` for WhatsApp (the original's name), `discord_send` for Discord. */
export const sendStageOf = (instance: InstanceConfig) =>
  instance.channelType === 'whatsapp' ? 'evolution_send' : `${instance.channelType}_send`;
