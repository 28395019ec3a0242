import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { GroupContextEntry } from './group-context.entity';

/** How many unaddressed messages per group are kept for the agent. */
export const GROUP_CONTEXT_LIMIT = 20;

export interface GroupContextLine {
  senderName: string | null;
  text: string;
}

/** Group messages not addressed to the bot, handed to the agent with the next one that is. */
@Injectable()
export class GroupContextService {
  constructor(@InjectRepository(GroupContextEntry) private readonly entries: Repository<GroupContextEntry>) {}

  async keep(instanceId: string, chatId: string, senderName: string | null, text: string): Promise<void> {
    if (!text.trim()) return;
    await this.entries.insert({ id: randomUUID(), instanceId, chatId, senderName, text, receivedAt: new Date() });
    const overflow = await this.entries.find({
      where: { instanceId, chatId },
      order: { receivedAt: 'DESC', id: 'DESC' },
      skip: GROUP_CONTEXT_LIMIT,
      select: { id: true },
    });
    if (overflow.length) await this.entries.delete({ id: In(overflow.map((e) => e.id)) });
  }

  /** The kept messages, oldest first; they are consumed (the agent sees each once). */
  async take(instanceId: string, chatId: string): Promise<GroupContextLine[]> {
    const kept = await this.entries.find({ where: { instanceId, chatId }, order: { receivedAt: 'ASC', id: 'ASC' } });
    if (kept.length) await this.entries.delete({ id: In(kept.map((e) => e.id)) });
    return kept.map((e) => ({ senderName: e.senderName, text: e.text }));
  }
}
