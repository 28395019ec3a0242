import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, In, Repository } from 'typeorm';
import type { InboundMessage } from '../channels/channel';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { updateWhere } from '../database/direct-statements';
import { entityFromRow } from '../database/entity-from-row';
import { isPostgres } from '../database/portable-sql';
import { postgresInsertOf } from '../database/postgres-insert';
import { WriteBatcher } from '../database/write-batcher';
import type { InstanceConfig } from '../instances/instance.entity';
import { MessageTrace, TraceStatus } from './message-trace.entity';
import { encodePayloadColumns } from './payload-codec';
import { PayloadStage, TracePayload } from './trace-payload.entity';
import { TraceRollupService } from './trace-rollup.service';

export interface PayloadDetails {
  statusCode?: number;
  error?: string;
  attempt?: number;
}

/** A recorded message and its webhook payload (none when tracing is off). */
interface InboundRow {
  trace: MessageTrace;
  payload?: PayloadRow;
}

type PayloadRow = Awaited<ReturnType<TraceService['payloadRow']>>;

/** Statuses after which a message needs no more work. */
const FINAL_STATUSES: TraceStatus[] = ['completed', 'failed', 'blocked', 'ignored', 'invalid'];
/** Statuses of a message recorded and not finished: held, or claimed, while `claimed_until` runs. */
const UNFINISHED_STATUSES: TraceStatus[] = ['received', 'processing', 'agent_called'];

/**
 * An unfinished message that no replica holds: recorded without a hold, or its hold or lease ran
 * out (its holder stalled or died). Recovery finds these; a claim takes one of them.
 */
const heldByNobody = (now: Date) =>
  new Brackets((q) =>
    q
      .where('(status = :received AND claimed_until IS NULL)', { received: 'received' })
      .orWhere('(status IN (:...unfinished) AND claimed_until < :now)', { unfinished: UNFINISHED_STATUSES, now }),
  );

/** Writes the journey of each message. The router is its main caller; the trace API reads it. */
@Injectable()
export class TraceService {
  private readonly logger = new Logger(TraceService.name);
  /** Webhooks that arrive together are recorded together (one commit; a duplicate falls back to one by one). */
  private readonly inboundWriter = new WriteBatcher<InboundRow>(
    (rows) => this.insertInbound(rows),
    (row) => this.insertInbound([row]),
  );
  /** Payloads of the messages in progress are written together too. */
  private readonly payloadWriter = new WriteBatcher<PayloadRow>(
    (rows) => this.insertPayloads(rows),
    (row) => this.insertPayloads([row]),
  );

  constructor(
    @InjectRepository(MessageTrace) private readonly traces: Repository<MessageTrace>,
    @InjectRepository(TracePayload) private readonly payloads: Repository<TracePayload>,
    private readonly rollups: TraceRollupService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records an incoming message once: a second delivery of the same (instance, message id)
   * returns the first trace with `duplicate: true`, so a retried webhook never runs twice.
   * With `holdMs`, the recording replica keeps the message for itself that long (see `claimHeld`):
   * other replicas' claims and recovery scans leave it alone until then.
   */
  async recordInbound(
    instance: InstanceConfig,
    message: InboundMessage,
    holdMs?: number,
  ): Promise<{ trace: MessageTrace; duplicate: boolean }> {
    const receivedAt = new Date();
    // A plain assignment: the repository's create() walks the entity metadata, on every webhook.
    const trace = Object.assign(new MessageTrace(), {
      ...this.identityOf(instance, message),
      traceId: randomUUID(),
      status: 'received',
      receivedAt,
      inboundMessage: JSON.stringify({ ...message, raw: undefined }),
      processingAttempts: 0,
      claimedUntil: holdMs === undefined ? null : new Date(receivedAt.getTime() + holdMs),
    });
    const payload = this.config.tracing.enabled ? await this.payloadRow(trace.traceId, 'webhook_received', 'webhook', message.raw, {}) : undefined;
    try {
      await this.inboundWriter.write({ trace, payload });
      return { trace, duplicate: false };
    } catch (err) {
      const first = await this.findByMessageId(instance.id, message.externalMessageId);
      if (first) return { trace: first, duplicate: true };
      throw err;
    }
  }

  /**
   * Messages and their webhook payloads become durable together. On PostgreSQL that is one
   * statement (a data-modifying CTE): this is the webhook's hot path.
   */
  private async insertInbound(rows: InboundRow[]): Promise<void> {
    const traces = rows.map((row) => row.trace);
    const payloads = rows.flatMap((row) => (row.payload ? [row.payload] : []));
    if (!payloads.length) return void (await this.traces.createQueryBuilder().insert().values(traces).updateEntity(false).execute());
    if (!isPostgres(this.traces.manager.connection)) {
      // SQLite has one connection: a transaction there takes in whatever else runs meanwhile, and
      // its rollback (a duplicate delivery) would undo that too. Two statements, each atomic: a
      // duplicate fails the first one, before anything is written.
      await this.traces.createQueryBuilder().insert().values(traces).updateEntity(false).execute();
      await this.payloads.createQueryBuilder().insert().values(payloads).updateEntity(false).execute();
      return;
    }
    const recorded = postgresInsertOf(this.traces, traces);
    const withPayloads = postgresInsertOf(this.payloads, payloads, recorded.params.length + 1);
    await this.traces.query(`WITH recorded AS (${recorded.sql}) ${withPayloads.sql}`, [...recorded.params, ...withPayloads.params]);
  }

  private async insertPayloads(rows: PayloadRow[]): Promise<void> {
    if (!isPostgres(this.traces.manager.connection)) return void (await this.payloads.createQueryBuilder().insert().values(rows).updateEntity(false).execute());
    const { sql, params } = postgresInsertOf(this.payloads, rows);
    await this.payloads.query(sql, params);
  }

  /**
   * Records an event that is not processed: `invalid` (malformed; its raw body is kept even with
   * tracing off, so nothing is lost) or `ignored` (e.g. a human took over the chat).
   */
  async recordRejected(
    instance: InstanceConfig | null,
    status: 'invalid' | 'ignored',
    reason: string,
    raw: unknown,
    message?: InboundMessage,
  ): Promise<MessageTrace> {
    const trace = this.traces.create({
      ...(message && instance ? this.identityOf(instance, message) : {}),
      traceId: randomUUID(),
      tenantId: instance?.tenantId ?? null,
      instanceId: instance?.id ?? null,
      instanceName: instance?.name ?? null,
      channelType: instance?.channelType ?? 'whatsapp',
      whatsappMessageId: null,
      status,
      ...(status === 'invalid' ? { errorMessage: reason.slice(0, 2000), errorStage: 'webhook' } : { blockingReason: reason.slice(0, 200) }),
      receivedAt: new Date(),
      completedAt: new Date(),
    });
    await this.traces.insert(trace);
    await this.addPayload(trace.traceId, 'webhook_received', 'webhook', raw, { error: reason }, status === 'invalid');
    return trace;
  }

  /**
   * Takes a received message for processing. Exactly one caller wins across replicas: the update
   * only matches while the trace is unclaimed and not held, or its holder's lease or hold has run
   * out (crash).
   */
  async claim(traceId: string, leaseMs: number): Promise<MessageTrace | null> {
    const now = new Date();
    const claim = this.traces
      .createQueryBuilder()
      .update(MessageTrace)
      .set({
        status: 'processing',
        processingStartedAt: now,
        claimedUntil: new Date(now.getTime() + leaseMs),
        processingAttempts: () => 'processing_attempts + 1',
      })
      .where('trace_id = :traceId', { traceId })
      .andWhere(heldByNobody(now));
    if (isPostgres(this.traces.manager.connection)) {
      const rows = (await claim.returning('*').execute()).raw as Record<string, unknown>[];
      return rows.length ? entityFromRow(this.traces, rows[0]) : null;
    }
    const result = await claim.execute();
    return result.affected ? this.traces.findOneBy({ traceId }) : null;
  }

  /**
   * Takes a message this replica recorded with a hold, if nobody claimed it meanwhile (its hold
   * may have run out while it waited): the first claim, so `processingAttempts` becomes 1.
   */
  async claimHeld(trace: MessageTrace, leaseMs: number): Promise<boolean> {
    const now = new Date();
    const claim = { status: 'processing' as const, processingStartedAt: now, claimedUntil: new Date(now.getTime() + leaseMs), processingAttempts: 1 };
    if (!(await updateWhere(this.traces, { traceId: trace.traceId, status: 'received', processingAttempts: 0 }, claim))) return false;
    Object.assign(trace, claim);
    return true;
  }

  /** Gives up the hold on messages recorded but not started (a replica stopping), so any replica resumes them now. */
  async releaseHeld(traceIds: string[]): Promise<void> {
    for (let i = 0; i < traceIds.length; i += 500) {
      await this.traces.update(
        { traceId: In(traceIds.slice(i, i + 500)), status: 'received', processingAttempts: 0 },
        { claimedUntil: null },
      );
    }
  }

  /**
   * Puts a finished message back in the queue (a dead letter retried): its stored copy must
   * still exist. Returns false when it does not. Its hour leaves the roll-ups until it finishes again.
   */
  async reopen(traceId: string): Promise<boolean> {
    const trace = await this.findById(traceId);
    if (!trace) return false;
    const result = await this.traces
      .createQueryBuilder()
      .update(MessageTrace)
      .set({ status: 'received', errorStage: null, errorMessage: null, completedAt: null, claimedUntil: null })
      .where('trace_id = :traceId AND inbound_message IS NOT NULL', { traceId })
      .execute();
    if (!result.affected) return false;
    await this.rollups.invalidateFrom(trace.receivedAt);
    return true;
  }

  /** Corrects a finished trace (a dead letter's reply delivered later); its hour leaves the roll-ups until it is rolled up again. */
  async correctFinished(traceId: string, fields: Partial<MessageTrace>): Promise<void> {
    const trace = await this.findById(traceId);
    if (!trace) return;
    await this.traces.update({ traceId }, fields);
    await this.rollups.invalidateFrom(trace.receivedAt);
  }

  /**
   * Updates a trace only while this claim still holds it. A replica that stalled past its lease
   * (its message taken over by another) can then no longer overwrite the newer outcome.
   */
  async updateClaimed(trace: MessageTrace, fields: Partial<MessageTrace>): Promise<boolean> {
    return (await updateWhere(this.traces, { traceId: trace.traceId, processingAttempts: trace.processingAttempts }, fields)) > 0;
  }

  /** Whether this claim is still the latest one on the trace (nobody took the message over). */
  holdsClaim(trace: MessageTrace): Promise<boolean> {
    return this.traces.exists({ where: { traceId: trace.traceId, processingAttempts: trace.processingAttempts } });
  }

  /**
   * Ends the journey (for the claim that holds it): final status and total time. The stored copy of the message stays for
   * replay and dead-letter retries (retention removes it with the trace), unless tracing is
   * off, where only a failed message keeps it.
   */
  async finish(trace: MessageTrace, status: TraceStatus, fields: Partial<MessageTrace> = {}): Promise<void> {
    const completedAt = new Date();
    const keepMessage = this.config.tracing.enabled || status === 'failed';
    await this.updateClaimed(trace, {
      ...fields,
      status,
      completedAt,
      totalProcessingTimeMs: completedAt.getTime() - trace.receivedAt.getTime(),
      ...(keepMessage ? {} : { inboundMessage: null }),
      claimedUntil: null,
    });
  }

  async addPayload(
    traceId: string,
    stage: PayloadStage,
    payloadType: string,
    payload: unknown,
    details: PayloadDetails = {},
    force = false,
  ): Promise<void> {
    if (!this.config.tracing.enabled && !force) return;
    try {
      await this.payloadWriter.write(await this.payloadRow(traceId, stage, payloadType, payload, details));
    } catch (err) {
      // A payload is evidence, not the message: losing one must not fail the message.
      this.logger.warn({ err, traceId, stage }, 'Could not store a trace payload');
    }
  }

  private async payloadRow(traceId: string, stage: PayloadStage, payloadType: string, payload: unknown, details: PayloadDetails) {
    // When the stage happened, not when its payload was compressed.
    const timestamp = new Date();
    const columns = await encodePayloadColumns(payload);
    return {
      id: randomUUID(),
      traceId,
      stage,
      payloadType,
      ...columns,
      timestamp,
      statusCode: details.statusCode ?? null,
      errorDetails: details.error ?? null,
      attempt: details.attempt ?? null,
    };
  }

  findById(traceId: string): Promise<MessageTrace | null> {
    return this.traces.findOneBy({ traceId });
  }

  /** Messages recorded but not finished that nobody holds (after a crash or restart). */
  async findUnfinished(limit: number): Promise<MessageTrace[]> {
    return this.traces
      .createQueryBuilder('t')
      .where(heldByNobody(new Date()))
      .orderBy('t.received_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  isFinal(status: TraceStatus): boolean {
    return FINAL_STATUSES.includes(status);
  }

  private findByMessageId(instanceId: string, messageId: string): Promise<MessageTrace | null> {
    return this.traces.findOneBy({ instanceId, whatsappMessageId: messageId });
  }

  private identityOf(instance: InstanceConfig, message: InboundMessage): Partial<MessageTrace> {
    return {
      tenantId: instance.tenantId,
      instanceId: instance.id,
      instanceName: instance.name,
      channelType: instance.channelType,
      whatsappMessageId: message.externalMessageId,
      chatId: message.chatId,
      isGroup: message.isGroup,
      senderPhone: message.sender.phone ?? message.sender.id,
      senderName: message.sender.displayName ?? null,
      senderJid: message.sender.jid ?? message.sender.lid ?? message.sender.id,
      messageType: message.messageType,
      hasMedia: Boolean(message.media),
      hasQuotedMessage: Boolean(message.quoted),
      messageLength: message.text.length,
    };
  }
}

