import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { findOneWhere, updateWhere } from '../database/direct-statements';
import { entityFromRow } from '../database/entity-from-row';
import { isPostgres } from '../database/portable-sql';
import type { InstanceConfig } from '../instances/instance.entity';
import { ChatState } from './chat-state.entity';

export type PauseReason = 'human_takeover' | 'operator';

export interface ChatPause {
  paused: boolean;
  pausedUntil: Date | null;
  reason: string | null;
}

/** Where a chat stands when its next message is answered: paused or not, and its session epoch. */
export interface ChatTurn {
  pause: ChatPause;
  epoch: number;
}

/** Pauses (human takeover, operator) and agent sessions of each chat. */
@Injectable()
export class ChatControlService {
  constructor(@InjectRepository(ChatState) private readonly states: Repository<ChatState>) {}

  async pauseOf(instanceId: string, chatId: string, now = new Date()): Promise<ChatPause> {
    const state = await this.states.findOneBy({ instanceId, chatId });
    const active = Boolean(state?.pausedUntil && state.pausedUntil > now);
    return { paused: active, pausedUntil: active ? state!.pausedUntil : null, reason: active ? state!.pauseReason : null };
  }

  async pause(instanceId: string, chatId: string, until: Date, reason: PauseReason): Promise<ChatPause> {
    await this.ensure(instanceId, chatId);
    await this.states.update({ instanceId, chatId }, { pausedUntil: until, pauseReason: reason });
    return { paused: true, pausedUntil: until, reason };
  }

  async resume(instanceId: string, chatId: string): Promise<ChatPause> {
    await this.states.update({ instanceId, chatId }, { pausedUntil: null, pauseReason: null });
    return { paused: false, pausedUntil: null, reason: null };
  }

  /**
   * What a message arriving now finds in its chat: whether the agent is paused there, and the
   * agent-session generation it belongs to (it moves on when the chat was silent longer than
   * `session_expire_minutes`). One read; `recordTurn` writes the outcome when it is answered.
   */
  async turnFor(instance: InstanceConfig, chatId: string, now = new Date()): Promise<ChatTurn> {
    const state = (await findOneWhere(this.states, { instanceId: instance.id, chatId })) ?? (await this.ensure(instance.id, chatId));
    const paused = Boolean(state.pausedUntil && state.pausedUntil > now);
    const expireMs = instance.sessionExpireMinutes * 60_000;
    const expired = expireMs > 0 && state.lastMessageAt !== null && now.getTime() - state.lastMessageAt.getTime() > expireMs;
    return {
      pause: { paused, pausedUntil: paused ? state.pausedUntil : null, reason: paused ? state.pauseReason : null },
      epoch: expired ? state.sessionEpoch + 1 : state.sessionEpoch,
    };
  }

  async recordTurn(instanceId: string, chatId: string, epoch: number, now = new Date()): Promise<void> {
    await updateWhere(this.states, { instanceId, chatId }, { sessionEpoch: epoch, lastMessageAt: now });
  }

  /** Ends the chat's agent session (finish keyword): the next message starts a new one. */
  async finishSession(instanceId: string, chatId: string): Promise<void> {
    const state = await this.ensure(instanceId, chatId);
    await this.states.update({ instanceId, chatId }, { sessionEpoch: state.sessionEpoch + 1 });
  }

  /** The chat's state, created when it has none. On PostgreSQL a new chat's comes back from the insert itself. */
  private async ensure(instanceId: string, chatId: string): Promise<ChatState> {
    const insert = this.states.createQueryBuilder().insert().into(ChatState).values({ instanceId, chatId, sessionEpoch: 0 }).orIgnore();
    if (isPostgres(this.states.manager.connection)) {
      const [created] = (await insert.returning('*').execute()).raw as Record<string, unknown>[];
      if (created) return entityFromRow(this.states, created);
    } else {
      await insert.execute();
    }
    return this.states.findOneByOrFail({ instanceId, chatId });
  }
}
