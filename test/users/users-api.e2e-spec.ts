import type { User } from '../../src/users/user.entity';
import { Api, apiClient } from '../support/api-client';
import { hoursAgo, seedInstance, seedTraces, seedUser } from '../support/seed';
import { createTenant, TestTenant } from '../support/tenants';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/test-app';

interface UserBody {
  id: string;
  display_name: string | null;
  [field: string]: unknown;
}

describe('Users API', () => {
  let omni: TestApp;
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let ana: User;
  let bruno: User;
  let carla: User;
  let stranger: User;

  const list = (query: string, key = a.key) => api<UserBody[]>('GET', `/api/v1/users${query}`, { key });
  const names = (body: UserBody[]) => body.map((u) => u.display_name);

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
    [a, b] = [await createTenant(api, 'users-a'), await createTenant(api, 'users-b')];
    const bot = await seedInstance(omni, { tenantId: a.id, name: 'a-bot' });
    const inA = { tenantId: a.id, instanceId: bot.id, instanceName: bot.name };
    ana = await seedUser(omni, { ...inA, displayName: 'Ana Souza', phoneNumber: '+5511988880001', lastSeenAt: hoursAgo(1), messageCount: 30 }, [
      { provider: 'whatsapp', externalId: '5511988880001' },
      { provider: 'whatsapp_lid', externalId: '187654321098765@lid' },
      { provider: 'discord', externalId: '123456789012345678' },
    ]);
    bruno = await seedUser(omni, { ...inA, displayName: 'Bruno 100%_sure', phoneNumber: '+5511977770002', lastSeenAt: hoursAgo(2) });
    carla = await seedUser(omni, { ...inA, displayName: 'Carla', lastSeenAt: null }, [{ provider: 'discord', externalId: '998877665544332211' }]);
    stranger = await seedUser(omni, { tenantId: b.id, displayName: 'Ana in B', phoneNumber: '+5511988880001', lastSeenAt: hoursAgo(0.5) });
    const traces = Array.from({ length: 25 }, (_, i) => ({ ...inA, userId: ana.id, senderPhone: '5511988880001', receivedAt: hoursAgo(i + 1) }));
    await seedTraces(omni, [...traces, { ...inA, userId: bruno.id, receivedAt: hoursAgo(1) }]);
  });
  afterAll(() => omni.close());

  it("lists the tenant's people, most recently seen first, with the total in x-total-count", async () => {
    const page = await list('');
    expect(page.status).toBe(200);
    expect(names(page.body)).toEqual(['Ana Souza', 'Bruno 100%_sure', 'Carla']);
    expect(page.headers.get('x-total-count')).toBe('3');
    expect(page.body[0]).toMatchObject({ id: ana.id, tenant_id: a.id, phone_number: '+5511988880001', instance_name: 'a-bot', message_count: 30 });
    const second = await list('?skip=1&limit=1');
    expect(names(second.body)).toEqual(['Bruno 100%_sure']);
    expect(second.headers.get('x-total-count')).toBe('3');
    expect((await list('?limit=1001')).status).toBe(400);
  });

  it.each([
    ['a name, any case', 'souza', ['Ana Souza']],
    ['a number as typed', '+55 11 97777', ['Bruno 100%_sure']],
    ['part of a number', '98888', ['Ana Souza']],
    ['a Discord id', '99887766', ['Carla']],
    ['a LID', '187654321098765@lid', ['Ana Souza']],
    ['LIKE wildcards, literally', '100%_', ['Bruno 100%_sure']],
    ['a wildcard that must not match everything', '%', ['Bruno 100%_sure']],
  ])('searches by %s', async (_what, search, expected) => {
    expect(names((await list(`?search=${encodeURIComponent(search)}`)).body)).toEqual(expected);
  });

  it('shows a person with their ids per channel and their 20 latest traces', async () => {
    const detail = await api<{ external_ids: unknown[]; recent_traces: { user_id: string; received_at: string }[] }>(
      'GET',
      `/api/v1/users/${ana.id}`,
      { key: a.key },
    );
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: ana.id, display_name: 'Ana Souza' });
    expect(detail.body.external_ids).toEqual([
      expect.objectContaining({ provider: 'discord', external_id: '123456789012345678', instance_name: 'a-bot' }),
      expect.objectContaining({ provider: 'whatsapp', external_id: '5511988880001' }),
      expect.objectContaining({ provider: 'whatsapp_lid', external_id: '187654321098765@lid' }),
    ]);
    expect(detail.body.recent_traces).toHaveLength(20);
    expect(detail.body.recent_traces.every((t) => t.user_id === ana.id)).toBe(true);
    const times = detail.body.recent_traces.map((t) => Date.parse(t.received_at));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it("keeps tenants apart: another tenant's people are not found", async () => {
    expect(names((await list('', b.key)).body)).toEqual(['Ana in B']);
    expect((await api('GET', `/api/v1/users/${ana.id}`, { key: b.key })).status).toBe(404);
    expect((await api('GET', `/api/v1/users/${stranger.id}`, { key: a.key })).status).toBe(404);
    expect((await api('GET', '/api/v1/users/not-a-uuid', { key: a.key })).status).toBe(400);
    const admin = await list('', ADMIN_KEY);
    expect(admin.headers.get('x-total-count')).toBe('4');
    expect(names((await list(`?tenant_id=${b.id}`, ADMIN_KEY)).body)).toEqual(['Ana in B']);
    expect((await api('GET', `/api/v1/users/${carla.id}`, { key: ADMIN_KEY })).status).toBe(200);
  });
});
