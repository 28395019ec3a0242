import { Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { constantTimeEquals } from '../../common/constant-time';
import { ProblemException } from '../../common/problem.exception';
import { UnparseableBody } from '../../common/unparseable-body';
import type { InstanceConfig } from '../../instances/instance.entity';
import { ChatControlService } from '../../conversations/chat-control.service';
import { SentMessagesService } from '../../conversations/sent-messages.service';
import { InstancesService } from '../../instances/instances.service';
import { MessageRouter } from '../../messages/message-router.service';
import { TraceService } from '../../trace/trace.service';
import type { InboundMessage } from '../channel';
import { EvolutionEvent, eventNameFromSuffix, parseEvolutionEvent } from './evolution-event.parser';
import { WEBHOOK_SECRET_HEADER } from './omni-webhook';
import type { WebhookResponseDto } from './webhook-response.dto';


type Headers = Record<string, string | string[] | undefined>;

/** Turns Evolution webhooks into router calls and instance state. */
@Injectable()
export class WhatsAppInboundService {
  private readonly logger = new Logger(WhatsAppInboundService.name);

  constructor(
    private readonly instances: InstancesService,
    private readonly router: MessageRouter,
    private readonly traces: TraceService,
    private readonly chats: ChatControlService,
    private readonly sentMessages: SentMessagesService,
  ) {}

  async receive(instanceName: string, eventSuffix: string | undefined, body: unknown, headers: Headers) {
    const instance = await this.authenticate(instanceName, body, headers);
    if (body instanceof UnparseableBody) return this.reject(instance, `body is not valid JSON: ${body.reason}`, body.raw);
    const event = parseEvolutionEvent(withEventName(body, eventSuffix), instance.name);
    return this.handle(instance, event, body);
  }

  private async handle(instance: InstanceConfig, event: EvolutionEvent, body: unknown): Promise<WebhookResponseDto> {
    const instanceName = instance.name;
    switch (event.kind) {
      case 'invalid':
        return this.reject(instance, event.reason, body);
      case 'ignored':
        return { status: 'ignored', instance: instanceName, reason: event.reason };
      case 'connection':
        await this.instances.recordChannelState(instance.id, {
          connectionState: event.state,
          ...(event.ownerJid ? { ownerJid: event.ownerJid } : {}),
          ...(event.profileName ? { profileName: event.profileName } : {}),
          ...(event.profilePictureUrl ? { profilePicUrl: event.profilePictureUrl } : {}),
          isActive: event.state === 'open',
        });
        return { status: 'success', instance: instanceName };
      case 'qrcode':
        await this.instances.recordChannelState(instance.id, { connectionState: 'qrcode' });
        return { status: 'success', instance: instanceName };
      case 'sent':
        await this.sentMessages.record(instance.id, event.externalMessageId, event.chatId, null);
        return { status: 'success', instance: instanceName };
      case 'message':
        if (event.fromMe) return this.ownMessage(instance, event.message, body);
        return this.accept(instance, event.message);
    }
  }

  private async accept(instance: InstanceConfig, message: InboundMessage): Promise<WebhookResponseDto> {
    const result = await this.router.accept(instance, message);
    return {
      status: result.status === 'duplicate' ? 'duplicate' : 'success',
      instance: instance.name,
      trace_id: result.traceId,
    };
  }

  /**
   * A message from the owner's number: never agent input. It tells us the owner's ids, and when
   * Omni did not send it, a human is answering from the phone: the agent steps back in that chat.
   */
  private async ownMessage(instance: InstanceConfig, message: InboundMessage, raw: unknown): Promise<WebhookResponseDto> {
    await this.learnOwnerIds(instance, message);
    const ours = await this.sentMessages.wasSentByOmni(instance.id, message.externalMessageId);
    if (ours || instance.humanTakeoverMinutes <= 0) {
      return { status: 'ignored', instance: instance.name, reason: 'sent by the instance owner' };
    }
    const until = new Date(Date.now() + instance.humanTakeoverMinutes * 60_000);
    await this.chats.pause(instance.id, message.chatId, until, 'human_takeover');
    const reason = `human operator answered; agent paused in ${message.chatId} until ${until.toISOString()}`;
    const trace = await this.traces.recordRejected(instance, 'ignored', reason, raw, message);
    return { status: 'ignored', instance: instance.name, trace_id: trace.traceId, reason };
  }

  private async learnOwnerIds(instance: InstanceConfig, message: InboundMessage): Promise<void> {
    const learnt: Partial<InstanceConfig> = {};
    if (message.sender.lid && message.sender.lid !== instance.ownerLid) learnt.ownerLid = message.sender.lid;
    if (message.sender.jid && !instance.ownerJid) learnt.ownerJid = message.sender.jid;
    if (Object.keys(learnt).length) await this.instances.recordChannelState(instance.id, learnt);
  }

  private async reject(instance: InstanceConfig, reason: string, raw: unknown): Promise<never> {
    const trace = await this.traces.recordRejected(instance, 'invalid', reason, raw);
    this.logger.warn({ instance: instance.name, traceId: trace.traceId, reason }, 'Rejected a malformed webhook');
    throw new ProblemException(400, `Malformed Evolution event: ${reason}`, { trace_id: trace.traceId });
  }

  /**
   * The event must come from the instance's Evolution server: the secret header Omni configured,
   * or (for instances adopted as they were) the instance token Evolution puts in `apikey`.
   * Names are unique per tenant, so the credentials also pick the tenant's instance.
   */
  private async authenticate(name: string, body: unknown, headers: Headers): Promise<InstanceConfig> {
    const candidates = (await this.instances.findAllByName(name)).filter((i) => i.channelType === 'whatsapp');
    if (!candidates.length) return this.refuse(new NotFoundException(`Instance '${name}' not found`));
    const secret = headerValue(headers[WEBHOOK_SECRET_HEADER]);
    const apiKey = (body as { apikey?: unknown } | null)?.apikey;
    const match = candidates.find((instance) =>
      instance.webhookSecret
        ? Boolean(secret) && constantTimeEquals(secret!, instance.webhookSecret)
        : typeof apiKey === 'string' && Boolean(instance.evolutionKey) && constantTimeEquals(apiKey, instance.evolutionKey!),
    );
    if (!match) return this.refuse(new UnauthorizedException(`Webhook for '${name}' is not authenticated (${WEBHOOK_SECRET_HEADER} or apikey)`));
    return match;
  }

  /** Webhooks are left out of the access log, so a refused one (wrong URL or secret) is logged here. */
  private refuse(error: NotFoundException | UnauthorizedException): never {
    this.logger.warn(error.message);
    throw error;
  }
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** With Evolution's `webhookByEvents`, the event name comes in the URL (`/messages-upsert`). */
function withEventName(body: unknown, suffix?: string): unknown {
  if (!suffix || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  return 'event' in body ? body : { ...body, event: eventNameFromSuffix(suffix) };
}
