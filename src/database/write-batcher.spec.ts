import { WriteBatcher } from './write-batcher';

/** A store that records each write it was asked for and refuses rows named 'bad'. */
function store() {
  const batches: string[][] = [];
  const singles: string[] = [];
  const rows = new Set<string>();
  const batcher = new WriteBatcher<string>(
    async (items) => {
      batches.push(items);
      if (items.includes('bad')) throw new Error('constraint broken');
      items.forEach((item) => rows.add(item));
    },
    async (item) => {
      singles.push(item);
      if (item === 'bad') throw new Error('constraint broken');
      rows.add(item);
    },
    3,
    1,
  );
  return { batcher, batches, singles, rows };
}

describe('WriteBatcher', () => {
  it('writes a lone row by itself', async () => {
    const { batcher, batches, singles, rows } = store();
    await batcher.write('a');
    expect(singles).toEqual(['a']);
    expect(batches).toEqual([]);
    expect([...rows]).toEqual(['a']);
  });

  it('writes rows that arrive together in one write, at most maxBatch at a time, in order', async () => {
    const { batcher, batches, rows } = store();
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => batcher.write(item)));
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect([...rows]).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('takes the rows that arrive during a write in the next one', async () => {
    const { batcher, batches } = store();
    const first = batcher.write('a');
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.write('b'), batcher.write('c')];
    await Promise.all([first, ...later]);
    expect(batches).toEqual([['b', 'c']]);
  });

  it('fails only the bad row when its batch fails: the others are written one by one', async () => {
    const { batcher, rows } = store();
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((item) => batcher.write(item)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('constraint broken'));
    expect([...rows].sort()).toEqual(['a', 'c']);
  });
});
