import { TraceService } from '../../src/trace/trace.service';
import { InstancesService } from '../../src/instances/instances.service';
import type { MessageTrace } from '../../src/trace/message-trace.entity';
import { Api, apiClient } from '../support/api-client';
import { createTenant, TestTenant } from '../support/tenants';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/test-app';
import { daysAgo, hoursAgo, seedInstance, seedPayloads, seedTraces } from '../support/seed';

interface TraceBody {
  trace_id: string;
  sender_phone: string;
  status: string;
  [field: string]: unknown;
}

const ANA = '5511988880001';
const BRUNO = '5511977770002';
const CARLA = '5521966660003';
const MEDIA = 'iVBORw0KGgo'.repeat(200);

describe('Traces API', () => {
  let omni: TestApp;
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let aTraces: Record<'recentText' | 'image' | 'blocked' | 'old', MessageTrace>;
  let carlaTraces: MessageTrace[];
  let bTrace: MessageTrace;

  const ids = (body: TraceBody[]) => body.map((t) => t.trace_id);
  const list = (query: string, key = a.key) => api<TraceBody[]>('GET', `/api/v1/traces${query}`, { key });

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
    [a, b] = [await createTenant(api, 'traces-a'), await createTenant(api, 'traces-b')];
    const bot = await seedInstance(omni, { tenantId: a.id, name: 'a-bot' });
    const other = await seedInstance(omni, { tenantId: b.id, name: 'b-bot' });
    const inA = { tenantId: a.id, instanceId: bot.id, instanceName: bot.name };
    const [recentText, image, blocked, old] = await seedTraces(omni, [
      { ...inA, senderPhone: ANA, senderName: 'Ana', sessionName: `a-bot_${ANA}`, receivedAt: hoursAgo(1) },
      { ...inA, senderPhone: ANA, messageType: 'image', hasMedia: true, status: 'failed', errorStage: 'agent', receivedAt: hoursAgo(2) },
      { ...inA, senderPhone: BRUNO, status: 'blocked', blockingReason: 'blocked by global block rule 5511977770002', receivedAt: hoursAgo(3) },
      { ...inA, senderPhone: ANA, receivedAt: daysAgo(3) },
    ]);
    aTraces = { recentText, image, blocked, old };
    carlaTraces = await seedTraces(
      omni,
      Array.from({ length: 7 }, (_, i) => ({ ...inA, senderPhone: CARLA, receivedAt: hoursAgo(4 + i) })),
    );
    [bTrace] = await seedTraces(omni, [
      { tenantId: b.id, instanceId: other.id, instanceName: other.name, senderPhone: ANA, receivedAt: hoursAgo(0.5) },
    ]);
    await seedPayloads(omni, image.traceId, [
      { stage: 'agent_request', payloadType: 'request', payload: { message: 'hi' }, timestamp: hoursAgo(1.9) },
      { stage: 'webhook_received', payload: { data: { message: { imageMessage: { caption: 'look' } }, base64: MEDIA } }, timestamp: hoursAgo(2) },
    ]);
  });
  afterAll(() => omni.close());

  it("lists the tenant's traces of the last 24 hours, newest first, with the total in x-total-count", async () => {
    const page = await list('');
    expect(page.status).toBe(200);
    expect(ids(page.body)).toEqual([aTraces.recentText, aTraces.image, aTraces.blocked, ...carlaTraces].map((t) => t.traceId));
    expect(page.headers.get('x-total-count')).toBe('10');
    expect(page.body[0]).toMatchObject({
      trace_id: aTraces.recentText.traceId,
      instance_name: 'a-bot',
      channel_type: 'whatsapp',
      sender_phone: ANA,
      sender_name: 'Ana',
      message_type: 'text',
      status: 'completed',
      blocked_by_access_rule: false,
      session_name: `a-bot_${ANA}`,
    });
    expect(page.body[2]).toMatchObject({ status: 'blocked', blocked_by_access_rule: true, blocking_reason: expect.stringContaining('block') });
  });

  it('reaches older traces with all_time or dates', async () => {
    const all = await list('?all_time=true');
    expect(all.headers.get('x-total-count')).toBe('11');
    expect(ids(all.body).at(-1)).toBe(aTraces.old.traceId);
    const window = await list(`?start_date=${daysAgo(4).toISOString()}&end_date=${daysAgo(2).toISOString()}`);
    expect(ids(window.body)).toEqual([aTraces.old.traceId]);
    expect((await list('?start_date=yesterday')).status).toBe(400);
  });

  it.each([
    ['phone', `?phone=%2B55%2011%2098888-0001`, ['recentText', 'image']],
    ['sender_phone alias, as a JID', `?sender_phone=${ANA}%40s.whatsapp.net`, ['recentText', 'image']],
    ['status', '?status=failed', ['image']],
    ['trace_status alias', '?trace_status=blocked', ['blocked']],
    ['message_type', '?message_type=image', ['image']],
    ['has_media', '?has_media=true', ['image']],
    ['session_name', `?session_name=a-bot_${ANA}`, ['recentText']],
    ['phone and all_time', `?phone=${ANA}&all_time=true`, ['recentText', 'image', 'old']],
  ] as const)('filters by %s', async (_name, query, expected) => {
    const page = await list(query);
    expect(ids(page.body)).toEqual(expected.map((k) => aTraces[k].traceId));
    expect(page.headers.get('x-total-count')).toBe(String(expected.length));
  });

  it('pages with limit and offset in a stable order, and validates them', async () => {
    const all = ids((await list('?limit=1000')).body);
    const pages = [await list('?limit=4&offset=0'), await list('?limit=4&offset=4'), await list('?limit=4&offset=8')];
    expect(pages.flatMap((p) => ids(p.body))).toEqual(all);
    expect(pages.map((p) => p.headers.get('x-total-count'))).toEqual(['10', '10', '10']);
    expect((await list('?limit=0')).status).toBe(400);
    expect((await list('?limit=1001')).status).toBe(400);
    expect((await list('?offset=-1')).status).toBe(400);
    expect((await list('?status=lost')).status).toBe(400);
  });

  it('keeps tenants apart: lists, single traces and payloads of another tenant are not found', async () => {
    expect(ids((await list('', b.key)).body)).toEqual([bTrace.traceId]);
    expect((await api('GET', `/api/v1/traces/${aTraces.image.traceId}`, { key: b.key })).status).toBe(404);
    expect((await api('GET', `/api/v1/traces/${aTraces.image.traceId}/payloads`, { key: b.key })).status).toBe(404);
    const admin = await list('', ADMIN_KEY);
    expect(admin.headers.get('x-total-count')).toBe('11');
    const onlyB = await list(`?tenant_id=${b.id}`, ADMIN_KEY);
    expect(ids(onlyB.body)).toEqual([bTrace.traceId]);
    const ignored = await list(`?tenant_id=${b.id}`);
    expect(ignored.headers.get('x-total-count')).toBe('10');
  });

  it('gets one trace by id', async () => {
    const one = await api<TraceBody>('GET', `/api/v1/traces/${aTraces.image.traceId}`, { key: a.key });
    expect(one.body).toMatchObject({ trace_id: aTraces.image.traceId, status: 'failed', error_stage: 'agent', has_media: true });
    expect((await api('GET', '/api/v1/traces/00000000-0000-4000-8000-000000000000', { key: a.key })).status).toBe(404);
    expect((await api('GET', '/api/v1/traces/not-a-uuid', { key: a.key })).status).toBe(400);
  });

  it('lists payloads in order, decompressed on request, with base64 media left out on request', async () => {
    const url = `/api/v1/traces/${aTraces.image.traceId}/payloads`;
    const bare = await api<Record<string, unknown>[]>('GET', url, { key: a.key });
    expect(bare.body.map((p) => p.stage)).toEqual(['webhook_received', 'agent_request']);
    expect(bare.body[0]).not.toHaveProperty('payload');
    expect(bare.body[0]).toMatchObject({ contains_base64: true, contains_media: true, payload_type: 'webhook' });
    expect(bare.body[0].compression_ratio).toBeLessThan(1);

    const full = await api<{ payload: { data: { base64: string } } }[]>('GET', `${url}?include_payload=true`, { key: a.key });
    expect(full.body[0].payload.data.base64).toBe(MEDIA);
    const slim = await api<{ payload: unknown }[]>('GET', `${url}?include_payload=true&omit_base64=true`, { key: a.key });
    expect(slim.body[0].payload).toEqual({
      data: { message: { imageMessage: { caption: 'look' } }, base64: `[base64 omitted: ${MEDIA.length} characters]` },
    });
    expect(slim.body[1].payload).toEqual({ message: 'hi' });
  });

  it("lists a sender's traces at any time, newest first, within the tenant", async () => {
    const byPhone = await api<TraceBody[]>('GET', `/api/v1/traces/phone/%2B${ANA}`, { key: a.key });
    expect(ids(byPhone.body)).toEqual([aTraces.recentText, aTraces.image, aTraces.old].map((t) => t.traceId));
    const limited = await api<TraceBody[]>('GET', `/api/v1/traces/phone/${ANA}?limit=1`, { key: a.key });
    expect(ids(limited.body)).toEqual([aTraces.recentText.traceId]);
    expect((await api('GET', `/api/v1/traces/phone/${ANA}?limit=501`, { key: a.key })).status).toBe(400);
    const inB = await api<TraceBody[]>('GET', `/api/v1/traces/phone/${ANA}`, { key: b.key });
    expect(ids(inB.body)).toEqual([bTrace.traceId]);
  });
});

describe('Tracing switched off', () => {
  let omni: TestApp;
  afterAll(() => omni.close());

  it('keeps the trace and its statuses but stores no payloads', async () => {
    omni = await createTestApp({ env: { AUTOMAGIK_OMNI_ENABLE_TRACING: 'false' } });
    const seeded = await seedInstance(omni, { name: 'quiet-bot' });
    const instance = (await omni.app.get(InstancesService).findById(seeded.id))!;
    const traces = omni.app.get(TraceService);
    const { trace } = await traces.recordInbound(instance, {
      channel: 'whatsapp',
      instanceName: instance.name,
      externalMessageId: 'MSG-1',
      chatId: `${ANA}@s.whatsapp.net`,
      isGroup: false,
      sender: { id: ANA, phone: ANA },
      messageType: 'text',
      text: 'hello',
      mentions: [],
      timestamp: new Date(),
      raw: { event: 'messages.upsert' },
    });
    await traces.addPayload(trace.traceId, 'agent_request', 'request', { message: 'hello' });
    await traces.finish(trace, 'completed');
    const row = await apiClient(omni.url)<TraceBody>('GET', `/api/v1/traces/${trace.traceId}`);
    expect(row.body.status).toBe('completed');
    expect(await omni.query('SELECT id FROM trace_payloads WHERE trace_id = $1', [trace.traceId])).toEqual([]);
  });
});
