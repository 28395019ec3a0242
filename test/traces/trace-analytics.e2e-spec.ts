import type { MessageTrace, TraceStatus } from '../../src/trace/message-trace.entity';
import { Api, apiClient } from '../support/api-client';
import { hoursAgo, seedInstance, seedTraces } from '../support/seed';
import { createTenant, TestTenant } from '../support/tenants';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/test-app';

/** Known data: 40 traces, one every 50 minutes from 2025-03-10 10:00 UTC (into the next day). */
const START = Date.parse('2025-03-10T10:00:00.000Z');
const SENDERS = ['5511900000001', '5511900000002', '5511900000003'];
const WINDOW = 'start_date=2025-03-10T00:00:00.000Z&end_date=2025-03-11T23:59:59.999Z';

function dataset(tenantId: string, instances: Record<'alpha' | 'beta', string>, start = START): Partial<MessageTrace>[] {
  return Array.from({ length: 40 }, (_, i) => {
    const status: TraceStatus = i % 5 === 3 ? 'failed' : i % 5 === 4 ? 'blocked' : 'completed';
    const instanceName = i < 24 ? 'alpha' : 'beta';
    const sender = i % 3;
    return {
      tenantId,
      instanceId: instances[instanceName],
      instanceName,
      senderPhone: SENDERS[sender],
      // The last trace of the first sender has no name: the summary shows the latest known one.
      senderName: i === 39 ? null : `${i < 30 ? 'Old' : 'New'} name ${sender}`,
      receivedAt: new Date(start + i * 50 * 60_000),
      messageType: i % 4 === 0 ? 'image' : 'text',
      hasMedia: i % 4 === 0,
      status,
      errorStage: status === 'failed' ? (i % 10 === 3 ? 'agent' : 'evolution_send') : null,
      totalProcessingTimeMs: status === 'blocked' ? null : 100 * (i + 1) + (i % 7),
      agentProcessingTimeMs: status === 'completed' ? 40 * (i + 1) + (i % 3) : null,
    };
  });
}

/** The definitions, applied naively to the rows: what the database must compute. */
function expectedSummary(rows: Partial<MessageTrace>[]) {
  const count = (key: (r: Partial<MessageTrace>) => string | null | undefined) => {
    const counts: Record<string, number> = {};
    for (const r of rows) {
      const k = key(r);
      if (k) counts[k] = (counts[k] ?? 0) + 1;
    }
    return counts;
  };
  const numbers = (key: (r: Partial<MessageTrace>) => number | null | undefined) =>
    rows.map(key).filter((v): v is number => typeof v === 'number').sort((x, y) => x - y);
  const mean = (values: number[]) => Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 100) / 100;
  const p95 = (values: number[]) => values[Math.ceil(0.95 * values.length) - 1];
  const processing = numbers((r) => r.totalProcessingTimeMs);
  const agent = numbers((r) => r.agentProcessingTimeMs);
  const completed = rows.filter((r) => r.status === 'completed').length;
  const hours = count((r) => r.receivedAt!.toISOString().slice(0, 13));
  const days = count((r) => r.receivedAt!.toISOString().slice(0, 10));
  return {
    total_messages: rows.length,
    successful_messages: completed,
    failed_messages: rows.filter((r) => r.status === 'failed').length,
    success_rate: Math.round((completed / rows.length) * 10000) / 100,
    avg_processing_time_ms: mean(processing),
    avg_agent_time_ms: mean(agent),
    p95_processing_time_ms: p95(processing),
    p95_agent_time_ms: p95(agent),
    message_types: count((r) => r.messageType),
    error_stages: count((r) => r.errorStage),
    instances: count((r) => r.instanceName),
    statuses: count((r) => r.status),
    messages_per_hour: Object.entries(hours).map(([hour, n]) => ({ hour: `${hour}:00:00.000Z`, count: n })),
    messages_per_day: Object.entries(days).map(([day, n]) => ({ day, count: n })),
  };
}

describe('Trace analytics summary', () => {
  let omni: TestApp;
  let api: Api;
  let a: TestTenant;
  let rows: Partial<MessageTrace>[];

  const summary = (query: string, key = a.key) =>
    api<Record<string, unknown>>('GET', `/api/v1/traces/analytics/summary?${query}`, { key });

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
    a = await createTenant(api, 'analytics-a');
    const b = await createTenant(api, 'analytics-b');
    const alpha = await seedInstance(omni, { tenantId: a.id, name: 'alpha' });
    const beta = await seedInstance(omni, { tenantId: a.id, name: 'beta' });
    rows = dataset(a.id, { alpha: alpha.id, beta: beta.id });
    await seedTraces(omni, rows);
    // Outside what tenant A's summary of that window may count: another tenant, and another day.
    await seedTraces(omni, [
      { tenantId: b.id, instanceName: 'alpha', senderPhone: SENDERS[0], receivedAt: new Date(START) },
      { tenantId: a.id, instanceName: 'alpha', senderPhone: SENDERS[0], receivedAt: new Date('2025-03-09T12:00:00Z') },
    ]);
  });
  afterAll(() => omni.close());

  it('computes every figure of a known data set exactly', async () => {
    const response = await summary(WINDOW);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject(expectedSummary(rows));
    // Spot checks of the oracle itself: 40 traces, every fifth (from the 4th) failed, 24 on alpha.
    expect(response.body).toMatchObject({
      total_messages: 40,
      failed_messages: 8,
      successful_messages: 24,
      success_rate: 60,
      statuses: { completed: 24, failed: 8, blocked: 8 },
      instances: { alpha: 24, beta: 16 },
      error_stages: { agent: 4, evolution_send: 4 },
      message_types: { image: 10, text: 30 },
      messages_per_day: [
        { day: '2025-03-10', count: 17 },
        { day: '2025-03-11', count: 23 },
      ],
      start_date: '2025-03-10T00:00:00.000Z',
      end_date: '2025-03-11T23:59:59.999Z',
    });
  });

  it('ranks the top senders, ties in id order, with the name each used last', async () => {
    const response = await summary(WINDOW);
    expect(response.body.top_senders).toEqual([
      { sender_phone: SENDERS[0], sender_name: 'New name 0', count: 14 },
      { sender_phone: SENDERS[1], sender_name: 'New name 1', count: 13 },
      { sender_phone: SENDERS[2], sender_name: 'New name 2', count: 13 },
    ]);
  });

  it('narrows to one instance', async () => {
    const response = await summary(`${WINDOW}&instance_name=beta`);
    expect(response.body).toMatchObject(expectedSummary(rows.filter((r) => r.instanceName === 'beta')));
    expect(response.body.instances).toEqual({ beta: 16 });
  });

  it('summarises the last 24 hours by default and everything with all_time', async () => {
    await seedTraces(omni, [{ tenantId: a.id, instanceName: 'alpha', senderPhone: SENDERS[1], receivedAt: hoursAgo(1) }]);
    const recent = await summary('');
    expect(recent.body).toMatchObject({ total_messages: 1, statuses: { completed: 1 }, end_date: null });
    expect(recent.body.p95_agent_time_ms).toBeNull();
    expect(recent.body.avg_agent_time_ms).toBe(0);
    const all = await summary('all_time=true');
    expect(all.body).toMatchObject({ total_messages: 42, start_date: null, end_date: null });
  });

  it("counts only the caller's tenant; the admin sees all of them", async () => {
    expect((await summary(WINDOW)).body.total_messages).toBe(40);
    expect((await summary(WINDOW, ADMIN_KEY)).body.total_messages).toBe(41);
  });

  it('answers zeros for an empty window', async () => {
    const empty = await summary('start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z');
    expect(empty.body).toEqual({
      total_messages: 0,
      successful_messages: 0,
      failed_messages: 0,
      success_rate: 0,
      avg_processing_time_ms: 0,
      avg_agent_time_ms: 0,
      p95_processing_time_ms: null,
      p95_agent_time_ms: null,
      message_types: {},
      error_stages: {},
      instances: {},
      statuses: {},
      messages_per_hour: [],
      messages_per_day: [],
      top_senders: [],
      start_date: '2020-01-01T00:00:00.000Z',
      end_date: '2020-01-02T00:00:00.000Z',
    });
  });
});

describe('Trace analytics summary from the hourly roll-ups', () => {
  let omni: TestApp;
  let api: Api;
  let a: TestTenant;
  let rows: Partial<MessageTrace>[];

  // Recent enough for a clean-up to reach: 40 traces from 10 hours before the hour five days ago.
  const HOUR = 60 * 60_000;
  const start = Math.floor((Date.now() - 5 * 24 * HOUR) / HOUR) * HOUR - 10 * HOUR;
  const at = (offsetMs: number) => new Date(start + offsetMs).toISOString();
  const window = `start_date=${at(-HOUR)}&end_date=${at(2 * 24 * HOUR)}`;
  const summary = (query: string) => api<Record<string, unknown>>('GET', `/api/v1/traces/analytics/summary?${query}`, { key: a.key });
  const rollUp = () => api<{ result: { hours_rolled_up: number } }>('POST', '/api/v1/jobs/trace-rollup/run');
  /** A window that starts and ends inside an hour: its edges are read from the traces, its middle from the roll-ups. */
  const PARTIAL = { from: at(2.5 * HOUR), to: at(18 * HOUR + 20 * 60_000) };
  const inPartial = (r: Partial<MessageTrace>) => r.receivedAt! >= new Date(PARTIAL.from) && r.receivedAt! <= new Date(PARTIAL.to);

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
    a = await createTenant(api, 'rollup-a');
    const alpha = await seedInstance(omni, { tenantId: a.id, name: 'alpha' });
    const beta = await seedInstance(omni, { tenantId: a.id, name: 'beta' });
    rows = dataset(a.id, { alpha: alpha.id, beta: beta.id }, start);
    await seedTraces(omni, rows);
  });
  afterAll(() => omni.close());

  it('gives the same figures before and after the hours are rolled up, for whole and partial hours', async () => {
    const queries = [window, `${window}&instance_name=beta`, `start_date=${PARTIAL.from}&end_date=${PARTIAL.to}`, 'all_time=true'];
    const before = await Promise.all(queries.map((q) => summary(q)));
    const rolled = await rollUp();
    expect(rolled.status).toBe(200);
    expect(rolled.body.result.hours_rolled_up).toBeGreaterThan(0);
    const [{ n }] = await omni.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM trace_hourly_rollups');
    expect(Number(n)).toBeGreaterThan(0);
    const after = await Promise.all(queries.map((q) => summary(q)));
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect(after[0].body).toMatchObject(expectedSummary(rows));
    expect(after[1].body).toMatchObject(expectedSummary(rows.filter((r) => r.instanceName === 'beta')));
    expect(after[2].body).toMatchObject(expectedSummary(rows.filter(inPartial)));
  });

  it('counts a trace written into an hour already rolled up', async () => {
    await rollUp();
    const late: Partial<MessageTrace> = {
      tenantId: a.id,
      instanceName: 'alpha',
      messageType: 'text',
      status: 'failed',
      errorStage: 'agent',
      receivedAt: new Date(start + 90 * 60_000),
    };
    await seedTraces(omni, [late]);
    expect((await summary(window)).body).toMatchObject(expectedSummary([...rows, late]));
    await rollUp();
    expect((await summary(window)).body).toMatchObject(expectedSummary([...rows, late]));
    rows.push(late);
  });

  it('forgets the traces a clean-up deleted, to the hour the cut-off falls in', async () => {
    await rollUp();
    // Five days back from now is about ten hours into the data set, mid-hour.
    const days = 5;
    const cleanup = await api<{ cutoff_date: string; traces_deleted: number }>(
      'DELETE',
      `/api/v1/traces/cleanup?days_old=${days}&dry_run=false`,
      { key: a.key },
    );
    expect(cleanup.status).toBe(200);
    const remaining = rows.filter((r) => r.receivedAt! >= new Date(cleanup.body.cutoff_date));
    expect(cleanup.body.traces_deleted).toBe(rows.length - remaining.length);
    expect(remaining.length).toBeGreaterThan(0);
    expect(remaining.length).toBeLessThan(rows.length);
    expect((await summary(window)).body).toMatchObject(expectedSummary(remaining));
  });
});

