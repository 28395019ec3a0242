import { BadGatewayException, Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/auth';
import { InstancesService } from '../instances/instances.service';
import { TraceService } from '../trace/trace.service';
import { DeadLetter } from './dead-letter.entity';
import { DeadLettersService, toDeadLetterResponse } from './dead-letters.service';
import type { DeadLetterResponseDto } from './dto/dead-letter.dto';
import { MessageRouter } from './message-router.service';
import { ReplySender } from './reply-sender.service';

/** Retries dead letters through the same router and sender as live messages. */
@Injectable()
export class DeadLetterRetryService {
  constructor(
    private readonly letters: DeadLettersService,
    private readonly instances: InstancesService,
    private readonly traces: TraceService,
    private readonly router: MessageRouter,
    private readonly replies: ReplySender,
  ) {}

  async retry(scope: TenantScope, id: string): Promise<DeadLetterResponseDto> {
    const letter = await this.letters.get(scope, id);
    const instance = letter.instanceId ? await this.instances.findById(letter.instanceId) : null;
    if (!instance || !letter.traceId) throw new BadGatewayException('The instance of this dead letter no longer exists');
    await this.letters.startRetry(letter);
    if (letter.stage === 'agent') await this.rerunMessage(letter, instance.id);
    else await this.resend(letter);
    return toDeadLetterResponse(letter);
  }

  /** The message goes through the whole journey again, exactly as if it had just arrived. */
  private async rerunMessage(letter: DeadLetter, instanceId: string): Promise<void> {
    const reopened = await this.traces.reopen(letter.traceId!);
    if (!reopened) {
      await this.letters.retryFailed(letter, 'the message is no longer stored (retention), it cannot be re-run');
      throw new BadGatewayException('The message is no longer stored, it cannot be re-run');
    }
    const instance = (await this.instances.findById(instanceId))!;
    this.router.schedule(instance, letter.chatId!, letter.traceId!);
  }

  private async resend(letter: DeadLetter): Promise<void> {
    const instance = (await this.instances.findById(letter.instanceId!))!;
    const payload = letter.payload!;
    try {
      await this.replies.sendParts(instance, payload.chat_id, payload.parts, letter.traceId!, payload.files ?? []);
      await this.traces.correctFinished(letter.traceId!, { status: 'completed', errorStage: null, errorMessage: null, evolutionSuccess: true });
    } catch (err) {
      await this.letters.retryFailed(letter, (err as Error).message);
      throw new BadGatewayException(`The reply could not be delivered: ${(err as Error).message}`);
    }
  }
}
