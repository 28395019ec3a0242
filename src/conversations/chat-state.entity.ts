import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, UpdatedAtColumn } from '../database/portable-columns';

/** Per-chat conversation state, in the database so every replica sees the same. */
@Entity('chat_states')
export class ChatState {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 36 }) instanceId!: string;
  @PrimaryColumn({ name: 'chat_id', type: 'varchar', length: 200 }) chatId!: string;
  /** The agent stays silent in this chat until then (human takeover or an operator's pause). */
  @DateTimeColumn({ name: 'paused_until', nullable: true }) pausedUntil!: Date | null;
  /** `human_takeover` or `operator`. */
  @Column({ name: 'pause_reason', type: 'varchar', length: 50, nullable: true }) pauseReason!: string | null;
  /** Bumped when the conversation ends (finish keyword, expiry): a new agent session starts. */
  @Column({ name: 'session_epoch', type: 'integer', default: 0 }) sessionEpoch!: number;
  @DateTimeColumn({ name: 'last_message_at', nullable: true }) lastMessageAt!: Date | null;
  /** Earliest time the next message may be sent to this chat (send budget). */
  @DateTimeColumn({ name: 'next_send_at', nullable: true }) nextSendAt!: Date | null;
  @UpdatedAtColumn() updatedAt!: Date;
}
