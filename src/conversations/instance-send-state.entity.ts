import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, UpdatedAtColumn } from '../database/portable-columns';

/** An instance's send budget and circuit breaker, shared by all replicas. */
@Entity('instance_send_states')
export class InstanceSendState {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 36 }) instanceId!: string;
  /** Earliest time the instance may send its next message. */
  @DateTimeColumn({ name: 'next_send_at', nullable: true }) nextSendAt!: Date | null;
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 }) consecutiveFailures!: number;
  @DateTimeColumn({ name: 'circuit_open_until', nullable: true }) circuitOpenUntil!: Date | null;
  @UpdatedAtColumn() updatedAt!: Date;
}
