import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../database/portable-columns';

/** A message Omni sent, so its echo is never mistaken for a human typing on the phone. */
@Entity('sent_messages')
export class SentMessageRecord {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 36 }) instanceId!: string;
  @PrimaryColumn({ name: 'external_message_id', type: 'varchar', length: 200 }) externalMessageId!: string;
  @Column({ name: 'chat_id', type: 'varchar', length: 200, nullable: true }) chatId!: string | null;
  @Column({ name: 'trace_id', type: 'varchar', length: 36, nullable: true }) traceId!: string | null;
  @DateTimeColumn({ name: 'sent_at' }) sentAt!: Date;
}
