import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { insertUnlessPresent } from '../database/direct-statements';
import { SentMessageRecord } from './sent-message.entity';

/** Remembers the ids of messages Omni sent, to tell its own echoes from a human on the phone. */
@Injectable()
export class SentMessagesService {
  constructor(@InjectRepository(SentMessageRecord) private readonly sent: Repository<SentMessageRecord>) {}

  async record(instanceId: string, externalMessageId: string, chatId: string | null, traceId: string | null): Promise<void> {
    // Evolution echoes every sent message as a webhook: a second record of it is no error.
    await insertUnlessPresent(this.sent, { instanceId, externalMessageId, chatId, traceId, sentAt: new Date() });
  }

  wasSentByOmni(instanceId: string, externalMessageId: string): Promise<boolean> {
    return this.sent.exists({ where: { instanceId, externalMessageId } });
  }
}
