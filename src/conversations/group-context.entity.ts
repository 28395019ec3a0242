import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../database/portable-columns';

/** A group message not addressed to the bot, kept to give the agent context later. */
@Entity('group_context')
export class GroupContextEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'instance_id', type: 'varchar', length: 36 }) instanceId!: string;
  @Column({ name: 'chat_id', type: 'varchar', length: 200 }) chatId!: string;
  @Column({ name: 'sender_name', type: 'varchar', length: 200, nullable: true }) senderName!: string | null;
  @Column({ type: 'text' }) text!: string;
  @DateTimeColumn({ name: 'received_at' }) receivedAt!: Date;
}
