import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OutboundFile } from '../channels/channel';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/portable-columns';

export const DEAD_LETTER_STAGES = ['agent', 'send'] as const;
export type DeadLetterStage = (typeof DEAD_LETTER_STAGES)[number];
export const DEAD_LETTER_STATUSES = ['pending', 'retried'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** What a failed send needs to be tried again. */
export interface SendLetterPayload {
  chat_id: string;
  parts: string[];
  /** Files the agent answered with that were not delivered (letters written before files came have none). */
  files?: OutboundFile[];
}

/** A message whose agent call or reply failed after its retries, kept for an operator to retry. */
@Entity('dead_letters')
export class DeadLetter {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true }) tenantId!: string | null;
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true }) instanceId!: string | null;
  @Column({ name: 'instance_name', type: 'varchar', length: 50, nullable: true }) instanceName!: string | null;
  @Column({ name: 'trace_id', type: 'varchar', length: 36, nullable: true }) traceId!: string | null;
  @Column({ name: 'chat_id', type: 'varchar', length: 200, nullable: true }) chatId!: string | null;
  @Column({ type: 'varchar', length: 20 }) stage!: DeadLetterStage;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'integer', default: 1 }) attempts!: number;
  @Column({ type: 'simple-json', nullable: true }) payload!: SendLetterPayload | null;
  @Column({ type: 'varchar', length: 20, default: 'pending' }) status!: DeadLetterStatus;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}
