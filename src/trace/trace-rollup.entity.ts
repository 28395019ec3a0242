import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Counts and timing sums of the traces of one hour, per (tenant, instance, status, type, error stage). '' stands for NULL. */
@Entity('trace_hourly_rollups')
export class TraceHourlyRollup {
  /** Whole hours since 1970-01-01 UTC. */
  @PrimaryColumn({ type: 'bigint' }) hour!: number;
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 36 }) instanceId!: string;
  @PrimaryColumn({ name: 'instance_name', type: 'varchar', length: 50 }) instanceName!: string;
  @PrimaryColumn({ type: 'varchar', length: 20 }) status!: string;
  @PrimaryColumn({ name: 'message_type', type: 'varchar', length: 20 }) messageType!: string;
  @PrimaryColumn({ name: 'error_stage', type: 'varchar', length: 50 }) errorStage!: string;
  @Column({ name: 'trace_count', type: 'integer' }) traceCount!: number;
  @Column({ name: 'processing_count', type: 'integer' }) processingCount!: number;
  @Column({ name: 'processing_sum', type: 'bigint' }) processingSum!: number;
  @Column({ name: 'agent_count', type: 'integer' }) agentCount!: number;
  @Column({ name: 'agent_sum', type: 'bigint' }) agentSum!: number;
}

/** One row: every hour before `rolled_until_hour` is in the roll-ups; later hours are read from the traces. */
@Entity('trace_rollup_state')
export class TraceRollupState {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ name: 'rolled_until_hour', type: 'bigint' }) rolledUntilHour!: number;
}
