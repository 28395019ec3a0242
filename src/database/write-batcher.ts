// Group commit for a hot insert: rows that arrive while a write is on its way go together in the
// next one, so a burst costs one statement and one commit instead of one each. A lone row waits
// only for the end of the current event-loop turn: batching adds no latency when load is low.

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class WriteBatcher<T> {
  private waiting: Waiting<T>[] = [];
  private writing = 0;
  private flushScheduled = false;

  /**
   * @param writeAll writes the rows atomically: all or none
   * @param writeOne writes one row after its batch failed, so one bad row (a duplicate) fails alone
   */
  constructor(
    private readonly writeAll: (items: T[]) => Promise<void>,
    private readonly writeOne: (item: T) => Promise<void>,
    private readonly maxBatch = 100,
    private readonly maxWriting = 2,
  ) {}

  write(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.writing >= this.maxWriting) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.length && this.writing < this.maxWriting) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.writing++;
      void this.writeBatch(batch).finally(() => {
        this.writing--;
        if (this.waiting.length) this.scheduleFlush();
      });
    }
  }

  private async writeBatch(batch: Waiting<T>[]): Promise<void> {
    try {
      await (batch.length === 1 ? this.writeOne(batch[0].item) : this.writeAll(batch.map((w) => w.item)));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      // One after the other, in arrival order: of two copies of a message, the first one wins.
      for (const w of batch) await this.writeOne(w.item).then(w.resolve, w.reject);
    }
  }
}
