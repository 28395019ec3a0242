interface Entry<T> {
  at: number;
  value: Promise<T>;
  refreshing?: boolean;
}

/**
 * Remembers a lookup's promise for `ttlMs`, so a burst of callers shares one query. A lookup that
 * fails, or whose result `keep` refuses, is forgotten as soon as it settles. In the second half of
 * its life an entry is looked up again in the background while it is still served, so steady
 * traffic never waits for the database; nothing older than `ttlMs` is ever served.
 */
export class ShortLivedCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Bumped by clear(): a background lookup started before it must not bring back what it read. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    const age = cached ? Date.now() - cached.at : Number.POSITIVE_INFINITY;
    if (cached && age < this.ttlMs) {
      if (age >= this.ttlMs / 2 && !cached.refreshing) this.refresh(key, cached, load);
      return cached.value;
    }
    const entry = { at: Date.now(), value: load() };
    this.entries.set(key, entry);
    const forget = () => this.entries.get(key) === entry && this.entries.delete(key);
    entry.value.then((value) => this.keep(value) || forget(), forget);
    return entry.value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  private refresh(key: string, cached: Entry<T>, load: () => Promise<T>): void {
    cached.refreshing = true;
    const at = Date.now();
    const generation = this.generation;
    load().then(
      (value) => {
        if (generation !== this.generation || this.entries.get(key) !== cached) return;
        if (this.keep(value)) this.entries.set(key, { at, value: Promise.resolve(value) });
        else this.entries.delete(key);
      },
      // The entry is served until it expires; the next lookup after that waits for the database.
      () => (cached.refreshing = false),
    );
  }
}
