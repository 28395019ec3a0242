import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SentMessageRecord } from './sent-message.entity';

/** Remembers the ids of messages Omni sent, to tell its own echoes from a human on the phone. */
@Injectable()
export class SentMessagesService {
  constructor(@InjectRepository(SentMessageRecord) private readonly sent: Repository<SentMessageRecord>) {}

  async record(instanceId: string, externalMessageId: string, chatId: string | null, traceId: string | null): Promise<void> {
    await this.sent
      .createQueryBuilder()
      .insert()
      .into(SentMessageRecord)
      .values({ instanceId, externalMessageId, chatId, traceId, sentAt: new Date() })
      .orIgnore()
      .execute();
  }

  wasSentByOmni(instanceId: string, externalMessageId: string): Promise<boolean> {
    return this.sent.exists({ where: { instanceId, externalMessageId } });
  }
}
