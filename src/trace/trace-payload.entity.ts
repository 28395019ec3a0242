import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../database/portable-columns';

/** Stages of a message's journey whose payloads are kept. */
export const PAYLOAD_STAGES = [
  'webhook_received',
  'agent_request',
  'agent_response',
  'evolution_send',
  'channel_send',
  'access_check',
] as const;
export type PayloadStage = (typeof PAYLOAD_STAGES)[number] | string;

@Entity('trace_payloads')
export class TracePayload {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'trace_id', type: 'varchar', length: 36 }) traceId!: string;
  @Column({ type: 'varchar', length: 50 }) stage!: PayloadStage;
  /** webhook | request | response */
  @Column({ name: 'payload_type', type: 'varchar', length: 20 }) payloadType!: string;
  /** zlib-deflated JSON, base64-encoded. */
  @Column({ name: 'payload_compressed', type: 'text', nullable: true }) payloadCompressed!: string | null;
  @Column({ name: 'payload_size_original', type: 'integer', default: 0 }) payloadSizeOriginal!: number;
  @Column({ name: 'payload_size_compressed', type: 'integer', default: 0 }) payloadSizeCompressed!: number;
  @DateTimeColumn() timestamp!: Date;
  @Column({ name: 'status_code', type: 'integer', nullable: true }) statusCode!: number | null;
  @Column({ name: 'error_details', type: 'text', nullable: true }) errorDetails!: string | null;
  /** Which try of a retried call this payload belongs to (1-based). */
  @Column({ type: 'integer', nullable: true }) attempt!: number | null;
  @Column({ name: 'contains_media', type: 'boolean', default: false }) containsMedia!: boolean;
  @Column({ name: 'contains_base64', type: 'boolean', default: false }) containsBase64!: boolean;
}
