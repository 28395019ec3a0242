import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/portable-columns';

/**
 * One id of a person on a channel. Providers: `whatsapp` (phone JID), `whatsapp_lid` (the
 * `@lid` id WhatsApp shows instead of the number since 2025) and `discord` (user id).
 */
export const IDENTITY_PROVIDERS = ['whatsapp', 'whatsapp_lid', 'discord'] as const;
export type IdentityProvider = (typeof IDENTITY_PROVIDERS)[number];

@Entity('user_external_ids')
export class UserExternalId {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 20 }) provider!: IdentityProvider;
  @Column({ name: 'external_id', type: 'varchar', length: 200 }) externalId!: string;
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true }) instanceId!: string | null;
  @Column({ name: 'instance_name', type: 'varchar', length: 50, nullable: true }) instanceName!: string | null;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}
