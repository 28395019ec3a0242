import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InstancesService } from '../instances/instances.service';
import { TraceService } from '../trace/trace.service';
import { MessageRouter } from './message-router.service';

const SCAN_INTERVAL_MS = 30_000;
const SCAN_BATCH = 500;

/**
 * Messages recorded but never finished (a crash, a restart, a replica that died mid-way) are
 * queued again at start and every 30 s. The claim in TraceService makes each run exactly once.
 */
@Injectable()
export class MessageRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessageRecovery.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly traces: TraceService,
    private readonly instances: InstancesService,
    private readonly router: MessageRouter,
  ) {}

  onApplicationBootstrap(): void {
    void this.resumeUnfinished();
    this.timer = setInterval(() => void this.resumeUnfinished(), SCAN_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async resumeUnfinished(): Promise<number> {
    try {
      const unfinished = await this.traces.findUnfinished(SCAN_BATCH);
      for (const trace of unfinished) {
        const instance = trace.instanceId ? await this.instances.findById(trace.instanceId) : null;
        if (instance && trace.chatId) this.router.schedule(instance, trace.chatId, trace.traceId);
      }
      if (unfinished.length) this.logger.log(`Resumed ${unfinished.length} unfinished message(s)`);
      return unfinished.length;
    } catch (err) {
      this.logger.warn({ err }, 'Could not scan for unfinished messages');
      return 0;
    }
  }
}
