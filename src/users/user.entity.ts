import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, UpdatedAtColumn } from '../database/portable-columns';

/** A person who wrote to one of a tenant's instances, known by one or more channel ids. */
@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  /** The instance the person last wrote to. */
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true }) instanceId!: string | null;
  @Column({ name: 'instance_name', type: 'varchar', length: 50, nullable: true }) instanceName!: string | null;
  /** `+<digits>`, when the channel revealed the number. */
  @Column({ name: 'phone_number', type: 'varchar', length: 32, nullable: true }) phoneNumber!: string | null;
  @Column({ name: 'whatsapp_jid', type: 'varchar', length: 100, nullable: true }) whatsappJid!: string | null;
  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true }) displayName!: string | null;
  @Column({ name: 'last_session_name_interaction', type: 'varchar', length: 200, nullable: true })
  lastSessionNameInteraction!: string | null;
  @Column({ name: 'last_agent_user_id', type: 'varchar', length: 200, nullable: true }) lastAgentUserId!: string | null;
  @DateTimeColumn({ name: 'last_seen_at', nullable: true }) lastSeenAt!: Date | null;
  @Column({ name: 'message_count', type: 'integer', default: 0 }) messageCount!: number;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}
