import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { FindOptionsWhere, Repository } from 'typeorm';
import { TenantScope } from '../common/auth';
import type { InstanceConfig } from '../instances/instance.entity';
import { DeadLetter, DeadLetterStage, SendLetterPayload } from './dead-letter.entity';
import type { DeadLetterListResponseDto, DeadLetterQueryDto, DeadLetterResponseDto } from './dto/dead-letter.dto';

export interface NewDeadLetter {
  instance: InstanceConfig;
  traceId: string;
  chatId: string;
  stage: DeadLetterStage;
  reason: string;
  attempts: number;
  payload?: SendLetterPayload;
}

/** Failed journeys kept for an operator: listed, retried, or dropped. */
@Injectable()
export class DeadLettersService {
  constructor(@InjectRepository(DeadLetter) private readonly letters: Repository<DeadLetter>) {}

  async record(letter: NewDeadLetter): Promise<DeadLetter> {
    return this.letters.save(
      this.letters.create({
        id: randomUUID(),
        tenantId: letter.instance.tenantId,
        instanceId: letter.instance.id,
        instanceName: letter.instance.name,
        traceId: letter.traceId,
        chatId: letter.chatId,
        stage: letter.stage,
        reason: letter.reason.slice(0, 4000),
        attempts: letter.attempts,
        payload: letter.payload ?? null,
        status: 'pending',
      }),
    );
  }

  async list(scope: TenantScope, query: DeadLetterQueryDto): Promise<DeadLetterListResponseDto> {
    const where: FindOptionsWhere<DeadLetter> = {
      ...(scope ? { tenantId: scope } : {}),
      ...(query.instance_name ? { instanceName: query.instance_name } : {}),
      ...(query.stage ? { stage: query.stage } : {}),
      ...(query.status ? { status: query.status } : {}),
    };
    const [rows, total] = await this.letters.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toDeadLetterResponse), total, limit: query.limit!, offset: query.offset! };
  }

  /** The letter, if the caller may see it; 404 otherwise. */
  async get(scope: TenantScope, id: string): Promise<DeadLetter> {
    const letter = await this.letters.findOneBy(scope ? { id, tenantId: scope } : { id });
    if (!letter) throw new NotFoundException(`Dead letter '${id}' not found`);
    return letter;
  }

  /** Marks a pending letter as being retried; a second concurrent retry gets 409. */
  async startRetry(letter: DeadLetter): Promise<void> {
    const result = await this.letters.update({ id: letter.id, status: 'pending' }, { status: 'retried', attempts: letter.attempts + 1 });
    if (!result.affected) throw new ConflictException(`Dead letter '${letter.id}' was already retried`);
    letter.status = 'retried';
    letter.attempts += 1;
  }

  /** A retry that failed again puts the letter back, with the new reason. */
  async retryFailed(letter: DeadLetter, reason: string): Promise<void> {
    await this.letters.update({ id: letter.id }, { status: 'pending', reason: reason.slice(0, 4000) });
  }

  async remove(scope: TenantScope, id: string): Promise<void> {
    const letter = await this.get(scope, id);
    await this.letters.delete({ id: letter.id });
  }
}

export const toDeadLetterResponse = (l: DeadLetter): DeadLetterResponseDto => ({
  id: l.id,
  instance_name: l.instanceName,
  trace_id: l.traceId,
  chat_id: l.chatId,
  stage: l.stage,
  reason: l.reason,
  attempts: l.attempts,
  status: l.status,
  payload: l.payload,
  created_at: l.createdAt,
  updated_at: l.updatedAt,
});
