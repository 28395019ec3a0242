import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/portable-columns';
import type { RuleType } from './rule-pattern';

/** Allows or blocks a sender id (exact, or a prefix ending in `*`) on one instance or on all of a tenant's. */
@Entity('access_rules')
export class AccessRule {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** null: an admin rule that applies to every tenant. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true }) tenantId!: string | null;
  /** null: applies to every instance in scope (a global rule). */
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true }) instanceId!: string | null;
  /** The normalised pattern: digits, digits ending in `*`, a bare `*`, or a `@lid` id. */
  @Column({ name: 'phone_number', type: 'varchar', length: 64 }) phoneNumber!: string;
  @Column({ name: 'rule_type', type: 'varchar', length: 10 }) ruleType!: RuleType;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}
