import { ChatQueue } from './chat-queue';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ChatQueue', () => {
  it('runs one chat in arrival order, one message at a time, while other chats run alongside', async () => {
    const log: string[] = [];
    let concurrentInChatA = 0;
    let maxConcurrentInChatA = 0;
    const queue = new ChatQueue(async ([id]) => {
      if (id.startsWith('a')) maxConcurrentInChatA = Math.max(maxConcurrentInChatA, ++concurrentInChatA);
      log.push(`start ${id}`);
      await tick(id === 'a1' ? 20 : 1);
      log.push(`end ${id}`);
      if (id.startsWith('a')) concurrentInChatA--;
    });
    ['a1', 'a2', 'a3'].forEach((id) => queue.enqueue('chat-a', id));
    queue.enqueue('chat-b', 'b1');
    await queue.whenIdle();
    expect(maxConcurrentInChatA).toBe(1);
    expect(log.filter((l) => l.includes(' a'))).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3']);
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('hands a burst over as one batch when debouncing, after the chat falls quiet', async () => {
    const batches: string[][] = [];
    const queue = new ChatQueue(async (ids) => void batches.push(ids));
    queue.enqueue('chat', 'm1', 30);
    await tick(10);
    queue.enqueue('chat', 'm2', 30);
    await tick(10);
    queue.enqueue('chat', 'm3', 30);
    expect(batches).toEqual([]);
    await queue.whenIdle();
    expect(batches).toEqual([['m1', 'm2', 'm3']]);
  });

  it('ignores the same message queued twice and survives a failing handler', async () => {
    const seen: string[] = [];
    const queue = new ChatQueue(async ([id]) => {
      seen.push(id);
      if (id === 'bad') throw new Error('boom');
    });
    queue.enqueue('chat', 'bad');
    queue.enqueue('chat', 'ok');
    queue.enqueue('chat', 'ok');
    await queue.whenIdle();
    expect(seen).toEqual(['bad', 'ok']);
  });
});

describe('ChatQueue.stop', () => {
  it('drops waiting messages, lets running ones finish, and takes no new work', async () => {
    const handled: string[] = [];
    let release!: () => void;
    const queue = new ChatQueue(async ([id]) => {
      handled.push(id);
      if (id === 'running') await new Promise<void>((resolve) => (release = resolve));
    });
    queue.enqueue('a', 'running');
    queue.enqueue('a', 'waiting');
    queue.enqueue('b', 'debounced', 10_000);
    const stopped = queue.stop();
    queue.enqueue('c', 'late');
    release();
    await stopped;
    expect(handled).toEqual(['running']);
    expect(queue.size).toBe(0);
  });
});

describe('ChatQueue concurrency limit', () => {
  it('runs at most the limit of chats at once and serves waiting chats in order', async () => {
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const queue = new ChatQueue(async ([id]) => {
      started.push(id);
      peak = Math.max(peak, ++running);
      await tick(5);
      running--;
    }, 2);
    ['c1', 'c2', 'c3', 'c4', 'c5'].forEach((chat) => queue.enqueue(chat, chat));
    await queue.whenIdle();
    expect(peak).toBe(2);
    expect(started).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
  });
});
