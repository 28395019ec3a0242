import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { entityFromRow } from '../database/entity-from-row';
import { isPostgres } from '../database/portable-sql';
import type { InstanceConfig } from '../instances/instance.entity';
import { ChatState } from './chat-state.entity';
import { InstanceSendState } from './instance-send-state.entity';

/** Share of a gap added at random, so sends never fall on a machine-regular beat. */
const JITTER = 0.2;
const MAX_RESERVE_TRIES = 20;

export interface CircuitStatus {
  state: 'closed' | 'open';
  openUntil: Date | null;
  consecutiveFailures: number;
}

/**
 * Paces an instance's sends (at most `send_rate_per_minute`, and `send_min_gap_ms` between two
 * messages to one chat, both with jitter) and keeps its circuit breaker. Slots are reserved
 * with compare-and-set updates in the database, so the budget holds across replicas; a send
 * that has to wait waits in order, it is never dropped.
 */
@Injectable()
export class SendBudgetService {
  constructor(
    @InjectRepository(InstanceSendState) private readonly instances: Repository<InstanceSendState>,
    @InjectRepository(ChatState) private readonly chats: Repository<ChatState>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Reserves the next send slot of the instance and the chat; returns when it may go, and the
   * instance's circuit as read in passing (one read serves both).
   */
  async reserve(instance: InstanceConfig, chatId: string, now = new Date()): Promise<{ slot: Date; circuit: CircuitStatus }> {
    const instanceGap = withJitter(60_000 / instance.sendRatePerMinute);
    const chatGap = withJitter(instance.sendMinGapMs);
    const [instanceSlot, chatSlot] = isPostgres(this.instances.manager.connection)
      ? await this.reserveBothAtomically(instance.id, chatId, instanceGap, chatGap, now)
      : await Promise.all([
          this.reserveSlot(this.instances, { instanceId: instance.id }, instanceGap, now),
          this.reserveSlot(this.chats, { instanceId: instance.id, chatId }, chatGap, now),
        ]);
    return {
      slot: new Date(Math.max(instanceSlot.slot.getTime(), chatSlot.slot.getTime())),
      circuit: circuitOf(instanceSlot.row as InstanceSendState, now),
    };
  }

  /**
   * PostgreSQL: both slots in one statement (one round trip and one commit per send). A state
   * row that does not exist yet (an instance's first send) is created and its slot taken alone.
   */
  private async reserveBothAtomically(
    instanceId: string,
    chatId: string,
    instanceGap: number,
    chatGap: number,
    now: Date,
  ): Promise<[{ slot: Date; row: InstanceSendState }, { slot: Date }]> {
    const sql =
      `WITH instance_slot AS (${nextSlotUpdate('instance_send_states', '$2', 'instance_id = $4')} RETURNING *), ` +
      `chat_slot AS (${nextSlotUpdate('chat_states', '$3', 'instance_id = $4 AND chat_id = $5')} RETURNING next_send_at) ` +
      // A full join: each side's slot is known, even when the other side's row is missing.
      `SELECT instance_slot.*, chat_slot.next_send_at AS chat_next_send_at FROM instance_slot FULL JOIN chat_slot ON true`;
    const [row] = (await this.instances.query(sql, [now, instanceGap, chatGap, instanceId, chatId])) as Record<string, unknown>[];
    const instanceRow = row?.instance_id ? entityFromRow(this.instances, row) : null;
    const chatNext = row?.chat_next_send_at as Date | null | undefined;
    return Promise.all([
      instanceRow
        ? { slot: new Date(instanceRow.nextSendAt!.getTime() - instanceGap), row: instanceRow }
        : this.reserveSlotAtomically(this.instances, { instanceId }, instanceGap, now),
      chatNext ? { slot: new Date(chatNext.getTime() - chatGap) } : this.reserveSlotAtomically(this.chats, { instanceId, chatId }, chatGap, now),
    ]);
  }

  async circuitOf(instanceId: string, now = new Date()): Promise<CircuitStatus> {
    return circuitOf(await this.instances.findOneBy({ instanceId }), now);
  }

  /** Closes the circuit after a success; a no-op (no write) when it was already clean. */
  async recordSuccess(instanceId: string, known: CircuitStatus): Promise<void> {
    if (known.consecutiveFailures === 0 && known.state === 'closed') return;
    await this.instances.update({ instanceId }, { consecutiveFailures: 0, circuitOpenUntil: null });
  }

  /** A send failed for good with a server-side error: enough in a row open the circuit for a cool-down. */
  async recordFailure(instanceId: string, now = new Date()): Promise<CircuitStatus> {
    await this.ensureInstance(instanceId);
    await this.instances
      .createQueryBuilder()
      .update(InstanceSendState)
      .set({ consecutiveFailures: () => 'consecutive_failures + 1' })
      .where('instance_id = :instanceId', { instanceId })
      .execute();
    const state = await this.instances.findOneByOrFail({ instanceId });
    if (state.consecutiveFailures >= this.config.messaging.circuitFailureThreshold) {
      const openUntil = new Date(now.getTime() + this.config.messaging.circuitCooldownMs);
      await this.instances.update({ instanceId }, { circuitOpenUntil: openUntil, consecutiveFailures: 0 });
      return { state: 'open', openUntil, consecutiveFailures: state.consecutiveFailures };
    }
    return { state: 'closed', openUntil: null, consecutiveFailures: state.consecutiveFailures };
  }

  private async reserveSlot<T extends InstanceSendState | ChatState>(
    repository: Repository<T>,
    key: Partial<T>,
    gapMs: number,
    now: Date,
  ): Promise<{ slot: Date; row: T }> {
    if (isPostgres(repository.manager.connection)) return this.reserveSlotAtomically(repository, key, gapMs, now);
    for (let attempt = 0; attempt < MAX_RESERVE_TRIES; attempt++) {
      const row = (await repository.findOneBy(key as FindOptionsWhere<T>)) ?? (await this.createRow(repository, key));
      const slot = row.nextSendAt && row.nextSendAt > now ? row.nextSendAt : now;
      const next = new Date(slot.getTime() + gapMs);
      const expected = { ...key, nextSendAt: row.nextSendAt ?? IsNull() } as FindOptionsWhere<T>;
      const result = await repository.update(expected, { nextSendAt: next } as never);
      if (result.affected) return { slot, row };
    }
    throw new Error('Could not reserve a send slot: too much contention');
  }

  /**
   * PostgreSQL: one statement takes the slot, however many replicas and chats ask at once (the
   * compare-and-set loop would make them retry each other under load).
   */
  private async reserveSlotAtomically<T extends InstanceSendState | ChatState>(
    repository: Repository<T>,
    key: Partial<T>,
    gapMs: number,
    now: Date,
  ): Promise<{ slot: Date; row: T }> {
    const where = Object.keys(key).map((property, i) => `${repository.metadata.findColumnWithPropertyName(property)!.databaseName} = $${i + 3}`);
    const sql = `${nextSlotUpdate(repository.metadata.tableName, '$2', where.join(' AND '))} RETURNING *`;
    let [rows] = (await repository.query(sql, [now, gapMs, ...Object.values(key)])) as [Record<string, unknown>[], number];
    if (!rows.length) {
      await this.ensureRow(repository, key);
      [rows] = (await repository.query(sql, [now, gapMs, ...Object.values(key)])) as [Record<string, unknown>[], number];
    }
    const row = entityFromRow(repository, rows[0]);
    return { slot: new Date(row.nextSendAt!.getTime() - gapMs), row };
  }

  private async createRow<T extends InstanceSendState | ChatState>(repository: Repository<T>, key: Partial<T>): Promise<T> {
    await this.ensureRow(repository, key);
    return (await repository.findOneByOrFail(key as FindOptionsWhere<T>)) as T;
  }

  private async ensureRow<T extends InstanceSendState | ChatState>(repository: Repository<T>, key: Partial<T>): Promise<void> {
    // A copy: TypeORM writes the generated defaults into the object it inserts.
    await repository.createQueryBuilder().insert().values({ ...key } as never).orIgnore().execute();
  }

  private ensureInstance(instanceId: string): Promise<void> {
    return this.ensureRow(this.instances, { instanceId });
  }
}

function circuitOf(state: InstanceSendState | null, now: Date): CircuitStatus {
  const open = Boolean(state?.circuitOpenUntil && state.circuitOpenUntil > now);
  return { state: open ? 'open' : 'closed', openUntil: open ? state!.circuitOpenUntil : null, consecutiveFailures: state?.consecutiveFailures ?? 0 };
}

/** Takes the next slot: now, or the row's next free one if later; the one after it is a gap (param, ms) further. `$1` is now. */
const nextSlotUpdate = (table: string, gapParam: string, where: string) =>
  `UPDATE ${table} SET next_send_at = GREATEST(COALESCE(next_send_at, $1), $1) + (${gapParam} * interval '1 millisecond') WHERE ${where}`;

const withJitter = (gapMs: number) => (gapMs > 0 ? gapMs * (1 + Math.random() * JITTER) : 0);
