// Per chat, messages reach the agent one at a time in arrival order. Work for different chats
// runs concurrently, up to a limit, so a backlog cannot starve the webhooks of the database and
// the event loop. With a debounce window, a burst from one chat is handed over as one batch.

export type BatchHandler = (traceIds: string[]) => Promise<void>;

interface ChatLane {
  pending: string[];
  running: boolean;
  /** Merge whatever waits into one batch (debounce on), or hand messages over one by one. */
  batching: boolean;
  timer?: NodeJS.Timeout;
}

export class ChatQueue {
  private readonly lanes = new Map<string, ChatLane>();
  private readonly idle = new Set<() => void>();
  private stopped = false;
  private active = 0;
  private readonly waitingForSlot: (() => void)[] = [];

  constructor(
    private readonly handle: BatchHandler,
    private readonly maxConcurrentChats = Number.POSITIVE_INFINITY,
  ) {}

  /** Queues a message; `debounceMs` > 0 waits that long after the chat's latest message before handing the batch over. */
  enqueue(chatKey: string, traceId: string, debounceMs = 0): void {
    if (this.stopped) return;
    const lane = this.lanes.get(chatKey) ?? { pending: [], running: false, batching: false };
    lane.batching = debounceMs > 0;
    this.lanes.set(chatKey, lane);
    if (lane.pending.includes(traceId)) return;
    lane.pending.push(traceId);
    if (lane.running) return;
    clearTimeout(lane.timer);
    if (debounceMs > 0) lane.timer = setTimeout(() => void this.drain(chatKey), debounceMs);
    else void this.drain(chatKey);
  }

  /** Whether nothing of the chat is waiting or being processed: a message queued now is handed over at once. */
  isIdle(chatKey: string): boolean {
    return !this.lanes.has(chatKey);
  }

  /** Messages waiting or being processed. */
  get size(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.pending.length + (lane.running ? 1 : 0);
    return total;
  }

  /**
   * Stops taking work: messages still waiting are dropped from memory (they are recorded and
   * resumed after the restart) and the returned promise settles when the running ones finish.
   */
  stop(): Promise<void> {
    this.stopped = true;
    for (const [key, lane] of this.lanes) {
      clearTimeout(lane.timer);
      lane.pending.length = 0;
      if (!lane.running) this.lanes.delete(key);
    }
    return this.whenIdle();
  }

  /** Resolves once nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  private tryTakeSlot(): boolean {
    if (this.active >= this.maxConcurrentChats) return false;
    this.active++;
    return true;
  }

  private slotFreed(): Promise<void> {
    return new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
  }

  /** Hands the slot straight to the next waiting chat, in the order they asked. */
  private releaseSlot(): void {
    const next = this.waitingForSlot.shift();
    if (next) next();
    else this.active--;
  }

  private notifyIdle(): void {
    const waiting = [...this.idle];
    this.idle.clear();
    for (const resolve of waiting) resolve();
  }

  private async drain(chatKey: string): Promise<void> {
    const lane = this.lanes.get(chatKey);
    if (!lane || lane.running) return;
    lane.running = true;
    lane.timer = undefined;
    while (lane.pending.length) {
      if (!this.tryTakeSlot()) await this.slotFreed();
      const batch = lane.pending.splice(0, lane.batching ? lane.pending.length : 1);
      if (batch.length) await this.handle(batch).catch(() => undefined);
      this.releaseSlot();
    }
    lane.running = false;
    this.lanes.delete(chatKey);
    if (this.lanes.size === 0) this.notifyIdle();
  }
}
