import { ShortLivedCache } from './short-lived-cache';

describe('ShortLivedCache', () => {
  let now: number;
  let version: number;
  let loads: number;
  const load = () => {
    loads++;
    return Promise.resolve(`v${version}`);
  };
  /** Lets background lookups settle. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  /** An entry in the second half of its life, looked up again in the background; returns what ends that lookup. */
  const refreshInFlight = async (cache: ShortLivedCache<string>) => {
    await cache.get('a', load);
    now += 1500;
    let finish!: (value: string) => void;
    await cache.get('a', () => new Promise((resolve) => (finish = resolve)));
    return finish;
  };

  beforeEach(() => {
    now = 1_000_000;
    version = 1;
    loads = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('shares one lookup within the first half of its life', async () => {
    const cache = new ShortLivedCache<string>(2000);
    await cache.get('a', load);
    now += 999;
    version = 2;
    expect(await cache.get('a', load)).toBe('v1');
    expect(loads).toBe(1);
  });

  it('serves the cached value in the second half while it looks it up again, then the new one', async () => {
    const cache = new ShortLivedCache<string>(2000);
    await cache.get('a', load);
    now += 1500;
    version = 2;
    expect(await cache.get('a', load)).toBe('v1');
    await settle();
    expect(await cache.get('a', load)).toBe('v2');
    expect(loads).toBe(2);
  });

  it('never serves a value older than its life: a lookup after it waits for the new one', async () => {
    const cache = new ShortLivedCache<string>(2000);
    await cache.get('a', load);
    now += 2000;
    version = 2;
    expect(await cache.get('a', load)).toBe('v2');
  });

  it('does not bring back what a background lookup read before clear()', async () => {
    const cache = new ShortLivedCache<string>(2000);
    const finish = await refreshInFlight(cache);
    cache.clear();
    finish('read before the change');
    await settle();
    version = 3;
    expect(await cache.get('a', load)).toBe('v3');
  });

  it('does not bring back a key forgotten during its background lookup', async () => {
    const cache = new ShortLivedCache<string>(2000);
    const finish = await refreshInFlight(cache);
    cache.forget('a');
    version = 4;
    expect(await cache.get('a', load)).toBe('v4');
    finish('read before the change');
    await settle();
    expect(await cache.get('a', load)).toBe('v4');
  });

  it('forgets a failed lookup and a refused result', async () => {
    const cache = new ShortLivedCache<string | null>(2000, (value) => value !== null);
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('a', () => Promise.resolve(null))).toBeNull();
    await settle();
    expect(await cache.get('a', load)).toBe('v1');
  });
});
