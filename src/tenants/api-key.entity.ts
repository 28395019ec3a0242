import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn } from '../database/portable-columns';

@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** SHA-256 of the key, hex. The key itself is never stored. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix!: string;

  @Column({ name: 'is_admin', type: 'boolean', default: false })
  isAdmin!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;

  @DateTimeColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @DateTimeColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
