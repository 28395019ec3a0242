import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccessControlService } from '../access-control/access-control.service';
import { AgentError, type AgentReply } from '../agent/agent.types';
import { AgentService } from '../agent/agent.service';
import { ChannelRegistry } from '../channels/channel-adapter';
import type { InboundMessage } from '../channels/channel';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ChatControlService, ChatTurn } from '../conversations/chat-control.service';
import { GroupContextService } from '../conversations/group-context.service';
import type { InstanceConfig } from '../instances/instance.entity';
import { InstancesService } from '../instances/instances.service';
import type { MessageTrace } from '../trace/message-trace.entity';
import { TraceService } from '../trace/trace.service';
import { ResolvedPerson, UsersService } from '../users/users.service';
import { AgentAck } from './agent-ack';
import { agentTargetOf, buildAgentRequest, sessionNameOf } from './agent-request.builder';
import { decideAnswer } from './conversation-gate';
import { DeadLettersService } from './dead-letters.service';
import { inboundOf } from './inbound-message.codec';
import { ReplyDeliveryError, ReplySender, SendCalledOffError, sendStageOf } from './reply-sender.service';
import { StreamedReply } from './streamed-reply';

/** An agent's way to stay silent (kept from the original). */
const SILENT_PREFIX = 'AUTOMAGIK:';
const DEFAULT_APOLOGY = 'Sorry, I could not answer right now. Please try again in a moment.';
/** Time on top of the agent's timeout for typing, sends and their retries. */
const LEASE_MARGIN_MS = 120_000;
/** Reads prepared while a message was recorded are used only this soon after (a chat can be paused meanwhile). */
const PREPARED_READS_FRESH_MS = 1000;
/**
 * A claim or hold with this long still to run on this replica's clock cannot have been taken by
 * another replica (recovery takes only expired ones), clocks being this close. So a held message
 * is claimed while its processing goes on, instead of before, and a reply goes out without
 * first asking the database whether the claim still holds.
 */
const CLAIM_TIME_LEFT_TRUSTED_MS = 15_000;

/** Who wrote a message and the turn of its chat: read on every message's way to the agent. */
export interface PreparedReads {
  person: ResolvedPerson;
  turn: ChatTurn;
}

/** Reads started ahead of processing, and when. */
export interface StartedReads {
  reads: Promise<PreparedReads>;
  startedAt: number;
}

/** A message this replica recorded and holds, with the reads started while it was recorded. */
export interface HeldMessage {
  trace: MessageTrace;
  prepared?: StartedReads;
}

interface Batch {
  instance: InstanceConfig;
  traces: MessageTrace[];
  messages: InboundMessage[];
  /** Whether every claim of the batch was taken: a claim written on the way may not have landed yet. */
  owned: Promise<boolean>;
  prepared?: Promise<PreparedReads>;
  /** Trace writes still on their way while the answer is delivered (`agent_called`, the answer's payload); the finish waits for them. */
  trailingWrites: Promise<unknown>[];
}

/** The agent's answer, with whether this claim still holds the messages: `goAhead` knows sooner when the claim has time left. */
interface AnsweredRun {
  reply: AgentReply;
  stillOwned: Promise<boolean>;
  goAhead: Promise<boolean>;
}

/** An agent run on its way, and the write of its `agent_called` step. */
interface StartedRun {
  running: Promise<AgentReply>;
  requestedAt: Date;
  called: Promise<unknown>;
}

interface Claim {
  trace: MessageTrace;
  /** Whether the claim was written: a claim on the way is written while the message is processed. */
  landed: Promise<boolean>;
}

/** The trace that carries the agent's payloads when several messages were merged: the latest. */
const primaryOf = (batch: Batch) => batch.traces[batch.traces.length - 1];
const lastOf = (batch: Batch) => batch.messages[batch.messages.length - 1];

/**
 * The journey of a chat's queued messages: identity → access → whether and how to answer →
 * agent → reply, every step written to the trace. Knows no channel's wire format.
 */
@Injectable()
export class MessageProcessor {
  private readonly logger = new Logger(MessageProcessor.name);

  constructor(
    private readonly traces: TraceService,
    private readonly instances: InstancesService,
    private readonly users: UsersService,
    private readonly access: AccessControlService,
    private readonly agents: AgentService,
    private readonly channels: ChannelRegistry,
    private readonly replies: ReplySender,
    private readonly chats: ChatControlService,
    private readonly groupContext: GroupContextService,
    private readonly deadLetters: DeadLettersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Reads a message's sender and chat turn (also started by the router while it records the message). */
  async prepare(instance: InstanceConfig, message: InboundMessage): Promise<PreparedReads> {
    const [person, turn] = await Promise.all([
      this.users.resolve(instance, message.channel, message.sender),
      this.chats.turnFor(instance, message.chatId),
    ]);
    return { person, turn };
  }

  /** Processes a chat's next messages; `held` are those among them this replica recorded and still holds. */
  async process(traceIds: string[], held: ReadonlyMap<string, HeldMessage> = new Map()): Promise<void> {
    const batch = await this.claim(traceIds, held);
    if (!batch) return;
    try {
      await this.run(batch);
    } catch (err) {
      this.logger.error({ err, traceIds }, 'Message processing failed');
      await this.finishAll(batch, 'failed', { errorStage: 'processing', errorMessage: (err as Error).message });
    }
  }

  private async claim(traceIds: string[], held: ReadonlyMap<string, HeldMessage>): Promise<Batch | null> {
    const claims: Claim[] = [];
    for (const traceId of traceIds) {
      const claim = await this.claimOne(traceId, held.get(traceId)?.trace);
      if (claim) claims.push(claim);
    }
    if (!claims.length) return null;
    const claimed = claims.map((c) => c.trace);
    const instance = claimed[0].instanceId ? await this.instances.findById(claimed[0].instanceId) : null;
    const owned = Promise.all(claims.map((c) => c.landed)).then((landed) => landed.every(Boolean));
    const batch = { instance: instance!, traces: claimed, messages: claimed.map((t) => inboundOf(t.inboundMessage!)), owned, trailingWrites: [], prepared: freshReadsOf(held.get(claimed[claimed.length - 1].traceId)) };
    if (!instance) {
      await this.finishAll(batch, 'failed', { errorStage: 'processing', errorMessage: 'instance deleted' });
      return null;
    }
    const lease = leaseOf(instance);
    const unleased = claimed.filter((trace) => !held.has(trace.traceId));
    if (unleased.length && lease > LEASE_MARGIN_MS) await this.updateAll({ ...batch, traces: unleased }, { claimedUntil: new Date(Date.now() + lease) });
    return batch;
  }

  /** A message this replica holds is claimed on the way while its hold has time left; any other, before it is processed. */
  private async claimOne(traceId: string, heldTrace: MessageTrace | undefined): Promise<Claim | null> {
    if (!heldTrace) {
      const trace = await this.traces.claim(traceId, LEASE_MARGIN_MS);
      return trace?.inboundMessage ? { trace, landed: Promise.resolve(true) } : null;
    }
    const instance = await this.instances.findById(heldTrace.instanceId!);
    // A claim that could not be written is not ours: once the hold runs out, recovery takes the message.
    const landed = this.traces.claimHeld(heldTrace, instance ? leaseOf(instance) : LEASE_MARGIN_MS).catch((err: unknown) => {
      this.logger.warn({ err, traceId }, 'Could not claim a held message');
      return false;
    });
    if (timeLeftOf(heldTrace) >= CLAIM_TIME_LEFT_TRUSTED_MS) return { trace: heldTrace, landed };
    return (await landed) ? { trace: heldTrace, landed } : null;
  }

  private async run(batch: Batch): Promise<void> {
    const { instance } = batch;
    const last = lastOf(batch);
    const { person, turn } = await (batch.prepared ?? this.prepare(instance, last));
    const identity = { userId: person.user.id, senderPhone: person.personId };
    const decision = await this.access.evaluate(instance, person.ids);
    if (!decision.allowed) return this.block(batch, decision.ruleId, decision.reason, identity);
    const gate = decideAnswer(instance, last);
    if (!gate.answer) {
      if (gate.keepAsGroupContext) await this.groupContext.keep(instance.id, last.chatId, last.sender.displayName ?? null, last.text);
      return this.finishAll(batch, 'ignored', { ...identity, blockingReason: gate.reason });
    }
    if (turn.pause.paused) {
      const until = turn.pause.pausedUntil!.toISOString();
      return this.finishAll(batch, 'ignored', { ...identity, blockingReason: `agent paused in this chat (${turn.pause.reason}) until ${until}` });
    }
    if (isFinishKeyword(instance, last.text)) {
      await this.chats.finishSession(instance.id, last.chatId);
      return this.finishAll(batch, 'ignored', { ...identity, blockingReason: 'conversation finished by finish_keyword' });
    }
    await this.answer(batch, person, sessionNameOf(instance, last, person, turn.epoch), identity, turn.epoch);
  }

  private async answer(
    batch: Batch,
    person: ResolvedPerson,
    sessionName: string,
    identity: Partial<MessageTrace>,
    epoch: number,
  ): Promise<void> {
    const { instance } = batch;
    const last = lastOf(batch);
    // The turn's bookkeeping is on nobody's way: the person's count is written while the agent
    // works, the chat's turn once the reply is out (before, it would hold the chat's row while the
    // reply reserves its send slot there). Both are done before this message ends: the chat's next
    // message reads them. Losing them costs a count and an inactivity clock, not the message.
    const startedAt = new Date();
    const countMessage = () => this.users.recordMessage(person.user.id, sessionName);
    let counted: Promise<unknown> | undefined;
    try {
      const context = last.isGroup ? await this.groupContext.take(instance.id, last.chatId) : [];
      batch.messages = await Promise.all(batch.messages.map((m) => this.withMediaBytes(instance, m, primaryOf(batch).traceId)));
      const ack = new AgentAck(instance, last, this.channels, this.replies, primaryOf(batch).traceId);
      const streamed = instance.agentStreamMode
        ? new StreamedReply(this.replies, instance, last.chatId, primaryOf(batch).traceId)
        : undefined;
      const request = buildAgentRequest(batch.messages, person, sessionName, context);
      const run = this.startAgentRun(batch, request, streamed, { ...identity, sessionName });
      counted = afterTheAgentRequest(countMessage);
      const typing = afterTheAgentRequest(() => this.startTyping(instance, last.chatId));
      const answered = await this.agentAnswer(batch, run, ack);
      await typing;
      if (answered) await this.deliver(batch, answered, streamed);
    } finally {
      const turn = this.chats.recordTurn(instance.id, last.chatId, epoch, startedAt);
      await Promise.all([counted ?? countMessage(), turn]).catch((err: unknown) => this.logger.warn({ err, chatId: last.chatId }, 'Could not record the turn'));
    }
  }

  /**
   * Sends the agent its request. The `agent_called` step is written while the request is on its
   * way; the answer does not wait for it (they write different columns), the finish does, or
   * `agent_called` could overwrite the final status.
   */
  private startAgentRun(
    batch: Batch,
    request: ReturnType<typeof buildAgentRequest>,
    streamed: StreamedReply | undefined,
    fields: Partial<MessageTrace>,
  ): StartedRun {
    const target = agentTargetOf(batch.instance);
    const requestedAt = new Date();
    const running = this.agents.run(target, request, { onText: streamed?.push });
    const called = afterTheAgentRequest(() =>
      Promise.all([
        this.updateAll(batch, { ...fields, status: 'agent_called', agentRequestAt: requestedAt }),
        this.traces.addPayload(primaryOf(batch).traceId, 'agent_request', 'request', { target: { ...target, apiKey: undefined }, request }),
      ]),
    );
    batch.trailingWrites.push(called);
    return { running, requestedAt, called };
  }

  private async agentAnswer(batch: Batch, { running, requestedAt, called }: StartedRun, ack: AgentAck): Promise<AnsweredRun | null> {
    ack.start();
    try {
      const reply = await running;
      ack.stop();
      // The reply's first send slot is reserved while the answer is recorded. Unsure whether the
      // messages are still ours, nothing is sent: they are taken up again when the lease runs out.
      const recorded = this.recordAgentAnswer(batch, reply, requestedAt).catch((err: unknown) => {
        this.logger.error({ err, traceId: primaryOf(batch).traceId }, 'Could not record the agent answer');
        return false;
      });
      return { reply, stillOwned: recorded, goAhead: this.surelyOwned(batch).then((sure) => sure || recorded) };
    } catch (err) {
      ack.stop();
      await called;
      await this.agentFailed(batch, err, requestedAt);
      return null;
    }
  }

  /** Also tells whether this claim still holds the messages: the update is written only then. */
  private recordAgentAnswer(batch: Batch, reply: AgentReply, requestedAt: Date): Promise<boolean> {
    const respondedAt = new Date();
    const stillOwned = this.updateAll(batch, {
      agentResponseAt: respondedAt,
      agentProcessingTimeMs: respondedAt.getTime() - requestedAt.getTime(),
      agentSessionId: reply.sessionId ?? null,
      agentRequestTokens: reply.inputTokens ?? null,
      agentResponseTokens: reply.outputTokens ?? null,
      agentResponseSuccess: true,
      agentResponseLength: reply.text.length,
      agentToolsUsed: reply.toolsUsed.length,
    });
    // Evidence, not on the reply's way: written once the update is in, while the reply leaves.
    const payload = stillOwned
      .catch(() => false)
      .then(() => this.traces.addPayload(primaryOf(batch).traceId, 'agent_response', 'response', reply.raw));
    batch.trailingWrites.push(payload);
    return stillOwned;
  }


  private async agentFailed(batch: Batch, err: unknown, requestedAt: Date): Promise<void> {
    const { instance } = batch;
    const reason = err instanceof AgentError ? `${err.kind}: ${err.message}` : (err as Error).message;
    const primary = primaryOf(batch);
    await this.traces.addPayload(primary.traceId, 'agent_response', 'response', null, {
      error: reason,
      statusCode: (err as AgentError).status,
    });
    await this.updateAll(batch, {
      agentResponseAt: new Date(),
      agentProcessingTimeMs: Date.now() - requestedAt.getTime(),
      agentResponseSuccess: false,
    });
    const chatId = lastOf(batch).chatId;
    if (!(await this.stillOwned(batch))) return;
    await this.deadLetters.record({ instance, traceId: primary.traceId, chatId, stage: 'agent', reason, attempts: primary.processingAttempts });
    const apology = instance.apologyMessage || DEFAULT_APOLOGY;
    await this.replies.sendPart(instance, chatId, apology, primary.traceId).catch(() => undefined);
    await this.finishAll(batch, 'failed', { errorStage: 'agent', errorMessage: reason });
  }

  /**
   * `stillOwned` says false when another replica took the messages over (this one stalled past
   * its lease): that one answers. `goAhead` says so sooner, when the claim has time left.
   */
  private async deliver(
    batch: Batch,
    { reply, stillOwned, goAhead }: AnsweredRun,
    streamed?: StreamedReply,
  ): Promise<void> {
    const { instance } = batch;
    const chatId = lastOf(batch).chatId;
    if (reply.text.trim().startsWith(SILENT_PREFIX)) {
      if (await stillOwned) await this.finishAll(batch, 'completed', {});
      return;
    }
    try {
      const linked = this.replies.mediaLinksOf(instance, reply.text);
      const text = streamed ? await streamed.unsentAfter(linked.text) : linked.text.trim();
      const parts = text ? this.replies.partsOf(instance, text) : [];
      const files = [...linked.files, ...reply.media];
      const sent = await this.replies.sendParts(instance, chatId, parts, primaryOf(batch).traceId, files, goAhead);
      if (!(await goAhead)) return;
      await this.finishAll(batch, 'completed', {
        evolutionSendAt: new Date(),
        evolutionSuccess: true,
        evolutionResponseCode: sent[sent.length - 1]?.statusCode ?? streamed?.lastStatusCode ?? null,
      });
    } catch (err) {
      if (!(err instanceof SendCalledOffError)) await this.deliveryFailed(batch, err, reply);
    }
  }

  private async deliveryFailed(batch: Batch, err: unknown, reply: AgentReply): Promise<void> {
    const { instance } = batch;
    const chatId = lastOf(batch).chatId;
    const failure = err instanceof ReplyDeliveryError ? err.cause : (err as Error);
    const linked = this.replies.mediaLinksOf(instance, reply.text);
    const unsent = err instanceof ReplyDeliveryError ? err.unsent : this.replies.partsOf(instance, linked.text);
    const unsentFiles = err instanceof ReplyDeliveryError ? err.unsentFiles : [...linked.files, ...reply.media];
    await this.deadLetters.record({
      instance,
      traceId: primaryOf(batch).traceId,
      chatId,
      stage: 'send',
      reason: failure.message,
      attempts: 1,
      payload: { chat_id: chatId, parts: unsent, ...(unsentFiles.length ? { files: unsentFiles } : {}) },
    });
    await this.finishAll(batch, 'failed', {
      errorStage: sendStageOf(instance),
      errorMessage: failure.message,
      evolutionSuccess: false,
      evolutionResponseCode: (failure as { status?: number }).status ?? null,
    });
  }

  private async block(batch: Batch, ruleId: string | null, reason: string, identity: Partial<MessageTrace>): Promise<void> {
    const { instance } = batch;
    if (instance.blockedReply) {
      await this.replies.sendPart(instance, lastOf(batch).chatId, instance.blockedReply, primaryOf(batch).traceId).catch(() => undefined);
    }
    await this.finishAll(batch, 'blocked', { ...identity, accessRuleId: ruleId, blockingReason: reason });
  }

  /** Media that came without its bytes is fetched from the channel; without them the agent still gets the text. */
  private async withMediaBytes(instance: InstanceConfig, message: InboundMessage, traceId: string): Promise<InboundMessage> {
    const adapter = this.channels.adapterFor(instance.channelType);
    if (!message.media || message.media.base64 || message.media.url || !adapter.fetchMedia) return message;
    try {
      return { ...message, media: await adapter.fetchMedia(instance, message) };
    } catch (err) {
      await this.traces.addPayload(traceId, 'media_fetch', 'response', null, { error: (err as Error).message });
      return message;
    }
  }

  /** "typing…" right away, so the person sees the message was taken (best effort). */
  private startTyping(instance: InstanceConfig, chatId: string): Promise<void> {
    const adapter = this.channels.adapterFor(instance.channelType);
    return adapter.sendTyping(instance, chatId, Math.min(this.config.messaging.typingMaxMs, 1000)).catch(() => undefined);
  }

  /**
   * Writes only what this claim holds (after a claim on the way that did not land, nothing);
   * false when it no longer holds every message.
   */
  private async updateAll(batch: Batch, fields: Partial<MessageTrace>): Promise<boolean> {
    if (!(await batch.owned)) return false;
    let heldByThisClaim = true;
    for (const trace of batch.traces) heldByThisClaim = (await this.traces.updateClaimed(trace, fields)) && heldByThisClaim;
    return heldByThisClaim;
  }

  /** True when every claim of the batch landed and has time left that no other replica can have taken. */
  private async surelyOwned(batch: Batch): Promise<boolean> {
    return (await batch.owned) && batch.traces.every((trace) => timeLeftOf(trace) >= CLAIM_TIME_LEFT_TRUSTED_MS);
  }

  /** False when another replica took the messages over (this one stalled past its lease): it must not send. */
  private async stillOwned(batch: Batch): Promise<boolean> {
    return (await batch.owned) && this.traces.holdsClaim(primaryOf(batch));
  }

  private async finishAll(batch: Batch, status: MessageTrace['status'], fields: Partial<MessageTrace>): Promise<void> {
    if (!(await batch.owned)) return;
    // Their failure costs the trace a step, not the answer already delivered.
    await Promise.all(batch.trailingWrites).catch((err: unknown) => this.logger.warn({ err, traceId: primaryOf(batch).traceId }, 'Could not record a step of the message'));
    for (const trace of batch.traces) await this.traces.finish(trace, status, fields);
  }
}

/**
 * A write that runs while other work goes on and is awaited later: marked as handled now, so an
 * early failure is not an unhandled rejection; awaiting it still throws that failure.
 */
function inBackground<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}

/**
 * Work that goes along with the agent's request, to be started right after the request was
 * handed to undici: it then leaves behind the request instead of delaying it. undici writes a
 * request on a reused keep-alive socket in the check phase (after making sure the socket is
 * still open); work queued there after it runs after that write. Handled like `inBackground`.
 */
function afterTheAgentRequest<T>(work: () => Promise<T>): Promise<T> {
  return inBackground(new Promise<void>((resolve) => setImmediate(resolve)).then(work));
}

const timeLeftOf = (trace: MessageTrace) => (trace.claimedUntil ? trace.claimedUntil.getTime() - Date.now() : 0);

const freshReadsOf = (held: HeldMessage | undefined) =>
  held?.prepared && Date.now() - held.prepared.startedAt < PREPARED_READS_FRESH_MS ? held.prepared.reads : undefined;

/** The lease covers a slow agent; most agents answer well within the default margin. */
const leaseOf = (instance: InstanceConfig) => Math.max(LEASE_MARGIN_MS, instance.agentTimeout * 1000 + LEASE_MARGIN_MS / 2);

const isFinishKeyword = (instance: InstanceConfig, text: string) =>
  Boolean(instance.finishKeyword) && text.trim().toLowerCase() === instance.finishKeyword!.trim().toLowerCase();
