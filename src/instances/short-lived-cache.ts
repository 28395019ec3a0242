/**
 * Remembers a lookup's promise for `ttlMs`, so a burst of callers shares one query. A lookup that
 * fails, or whose result `keep` refuses, is forgotten as soon as it settles.
 */
export class ShortLivedCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.value;
    const entry = { at: Date.now(), value: load() };
    this.entries.set(key, entry);
    const forget = () => this.entries.get(key) === entry && this.entries.delete(key);
    entry.value.then((value) => this.keep(value) || forget(), forget);
    return entry.value;
  }

  clear(): void {
    this.entries.clear();
  }
}
