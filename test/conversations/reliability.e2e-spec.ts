import { ConversationHarness, startConversationHarness, traceIdOf } from '../support/conversation-harness';

/** Longer than any lease (two minutes at least): a replica whose clock moved on this far lost its claims. */
const STALL_PAST_THE_LEASE_MS = 200_000;
/** Fakes `Date` alone; timers and sockets run as they do. */
const CLOCK_ONLY: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  advanceTimers: true,
};

describe('Reliability of the router', () => {
  let h: ConversationHarness;

  beforeAll(async () => {
    h = await startConversationHarness({
      AUTOMAGIK_OMNI_CIRCUIT_FAILURE_THRESHOLD: '2',
      AUTOMAGIK_OMNI_CIRCUIT_COOLDOWN_MS: '1500',
    });
  });
  afterAll(() => h.close());
  // A test that moved the clock on gives it back even when it failed half-way.
  afterEach(() => jest.useRealTimers());

  it('resumes a message recorded before a stop, exactly once across restarts', async () => {
    // A long debounce keeps the message waiting when Omni stops.
    await h.createInstance('resume', { debounce_ms: 60_000 });
    h.agent.reset();
    h.evolution.clearRequests();
    const traceId = await traceIdOf(await h.post('resume', 'messages.upsert.text', { text: 'before the crash' }));
    await h.omni.query('UPDATE instance_configs SET debounce_ms = 0');
    await h.restart();
    expect((await h.settled(traceId)).status).toBe('completed');
    await h.restart();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.agent.requests.map((r) => r.fields.message)).toEqual(['before the crash']);
    expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
  });

  it('leaves a message to the replica that recorded it, so a burst is still merged when another replica starts', async () => {
    await h.createInstance('held', { debounce_ms: 1500 });
    h.agent.reset();
    h.evolution.clearRequests();
    const first = await traceIdOf(await h.post('held', 'messages.upsert.text', { text: 'first part' }));
    // A replica starting now scans for unfinished messages: the first part is held by its recorder.
    const replica = await h.startReplica();
    try {
      const second = await traceIdOf(await h.post('held', 'messages.upsert.text', { text: 'second part' }));
      const settled = await Promise.all([h.settled(first), h.settled(second)]);
      expect(settled.map((t) => t.status)).toEqual(['completed', 'completed']);
      expect(h.agent.requests.map((r) => r.fields.message)).toEqual(['first part\nsecond part']);
      expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
      expect(settled.map((t) => Number(t.processing_attempts))).toEqual([1, 1]);
    } finally {
      await replica.close({ keepDatabase: true });
    }
  });

  it('lets another replica take a recorded message over once the hold of its recorder runs out', async () => {
    // The recorder keeps the message waiting (debounce) past the end of the test, as if it had died.
    await h.createInstance('orphan', { debounce_ms: 60_000 });
    h.agent.reset();
    h.evolution.clearRequests();
    const traceId = await traceIdOf(await h.post('orphan', 'messages.upsert.text', { text: 'recorded, then lost' }));
    await h.omni.query('UPDATE instance_configs SET debounce_ms = 0');
    const early = await h.startReplica();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await early.close({ keepDatabase: true });
    expect(h.agent.requests).toHaveLength(0);
    // The hold is over: the next replica to scan takes the message.
    await h.omni.query('UPDATE message_traces SET claimed_until = $1 WHERE trace_id = $2', [new Date(Date.now() - 1000), traceId]);
    const late = await h.startReplica();
    try {
      const trace = await h.settled(traceId);
      expect(trace.status).toBe('completed');
      expect(Number(trace.processing_attempts)).toBe(1);
      expect(h.agent.requests.map((r) => r.fields.message)).toEqual(['recorded, then lost']);
      expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
    } finally {
      await late.close({ keepDatabase: true });
    }
  });

  it('lets a replica take over a message whose holder stalled past its lease, and the stalled one changes nothing', async () => {
    await h.createInstance('lease', { agent_timeout: 2, apology_message: 'sorry from the stalled replica' });
    h.agent.reset();
    h.evolution.clearRequests();
    h.agent.failWith = 'hang';
    const traceId = await traceIdOf(await h.post('lease', 'messages.upsert.text', { text: 'orphaned' }));
    await h.agent.waitForRequests(1);
    // The replica holding it looks dead: its lease is over when another replica starts.
    await h.omni.query('UPDATE message_traces SET claimed_until = $1 WHERE trace_id = $2', [new Date(Date.now() - 1000), traceId]);
    h.agent.failWith = undefined;
    const replica = await h.startReplica();
    try {
      await h.agent.waitForRequests(2);
      const completed = await h.settled(traceId);
      expect(completed.status).toBe('completed');
      // The stalled holder's agent call times out now; its apology and its "failed" must not land.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await h.settled(traceId)).status).toBe('completed');
      const sent = h.evolution.requestsTo('sendText').map((r) => (r.body as { text: string }).text);
      expect(sent).toEqual(['echo: orphaned']);
      const [row] = await h.omni.query<{ processing_attempts: number }>('SELECT processing_attempts FROM message_traces WHERE trace_id = $1', [traceId]);
      expect(Number(row.processing_attempts)).toBe(2);
    } finally {
      await replica.close({ keepDatabase: true });
    }
  });

  it('sends nothing from a stalled holder whose agent answers after another replica took the message over', async () => {
    await h.createInstance('late', { agent_timeout: 10 });
    h.agent.reset();
    h.evolution.clearRequests();
    h.agent.delayMs = 1500;
    const traceId = await traceIdOf(await h.post('late', 'messages.upsert.text', { text: 'answered twice' }));
    await h.agent.waitForRequests(1);
    h.agent.delayMs = 0;
    // The holder stalls past its lease: the clock moves on by more than the lease, so the holder
    // sees its claim run out as well as the replica that takes the message over.
    jest.useFakeTimers(CLOCK_ONLY);
    jest.setSystemTime(Date.now() + STALL_PAST_THE_LEASE_MS);
    const replica = await h.startReplica();
    try {
      await h.agent.waitForRequests(2);
      expect((await h.settled(traceId)).status).toBe('completed');
      // The stalled holder's agent answers now: its answer is neither recorded nor sent.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
      const [row] = await h.omni.query<{ processing_attempts: number; status: string }>(
        'SELECT processing_attempts, status FROM message_traces WHERE trace_id = $1',
        [traceId],
      );
      expect([Number(row.processing_attempts), row.status]).toEqual([2, 'completed']);
    } finally {
      await replica.close({ keepDatabase: true });
    }
  });

  it('opens the circuit after repeated Evolution failures, holds sends during the cool-down, then closes', async () => {
    await h.createInstance('breaker');
    h.agent.reset();
    h.evolution.clearRequests();
    h.evolution.failNext('sendText', Array.from({ length: 8 }, () => ({ status: 500 })));
    for (const text of ['first', 'second']) {
      const failed = await h.settled(await traceIdOf(await h.post('breaker', 'messages.upsert.text', { text })));
      expect(failed).toMatchObject({ status: 'failed', error_stage: 'evolution_send' });
    }
    const [state] = await h.omni.query<{ circuit_open_until: string | null }>(
      'SELECT circuit_open_until FROM instance_send_states WHERE instance_id = (SELECT id FROM instance_configs WHERE name = $1)',
      ['breaker'],
    );
    expect(state.circuit_open_until).not.toBeNull();
    const status = await h.api<{ circuit: { state: string } }>('GET', '/api/v1/instances/breaker/status');
    expect(status.body.circuit.state).toBe('open');
    const sendsWhileFailing = h.evolution.requestsTo('sendText').length;
    const third = await h.settled(await traceIdOf(await h.post('breaker', 'messages.upsert.text', { text: 'third' })));
    expect(third.status).toBe('completed');
    const waits = await h.omni.query<{ payload_compressed: string }>(
      "SELECT payload_compressed FROM trace_payloads WHERE trace_id = $1 AND stage = 'send_wait'",
      [third.trace_id],
    );
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(h.evolution.requestsTo('sendText')).toHaveLength(sendsWhileFailing + 1);
    const letters = await h.api<{ items: { stage: string }[] }>('GET', '/api/v1/dead-letters?instance_name=breaker&stage=send');
    expect(letters.body.items).toHaveLength(2);
    const closed = await h.api<{ circuit: { state: string; consecutive_failures: number } }>('GET', '/api/v1/instances/breaker/status');
    expect(closed.body.circuit).toEqual({ state: 'closed', open_until: null, consecutive_failures: 0 });
  });
});
