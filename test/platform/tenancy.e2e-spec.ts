import { FakeEvolutionServer } from '../fakes/fake-evolution.server';
import { Api, apiClient } from '../support/api-client';
import { EVOLUTION_GLOBAL_KEY, whatsappInstance } from '../support/instance-bodies';
import { createTestApp, TestApp } from '../support/test-app';

describe('Tenant isolation', () => {
  let omni: TestApp;
  let api: Api;
  let keyA: string;
  let keyB: string;
  let tenantA: string;
  // Creating a WhatsApp instance creates it on its Evolution server.
  const evolution = new FakeEvolutionServer({ apiKey: EVOLUTION_GLOBAL_KEY });

  beforeAll(async () => {
    await evolution.start();
    omni = await createTestApp();
    api = apiClient(omni.url);
    const newTenant = async (name: string) => {
      const tenant = await api<{ id: string }>('POST', '/api/v1/tenants', { body: { name } });
      const key = await api<{ key: string }>('POST', '/api/v1/api-keys', { body: { name, tenant_id: tenant.body.id } });
      return { id: tenant.body.id, key: key.body.key };
    };
    const a = await newTenant('tenant-a');
    const b = await newTenant('tenant-b');
    [tenantA, keyA, keyB] = [a.id, a.key, b.key];
    const created = await api('POST', '/api/v1/instances', { key: keyA, body: whatsappInstance({ name: 'a-bot' }, evolution) });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await omni.close();
    await evolution.stop();
  });

  it("gives tenant B a 404 for everything of tenant A's instance, as if it did not exist", async () => {
    const list = await api<unknown[]>('GET', '/api/v1/instances', { key: keyB });
    expect(list.body).toEqual([]);
    expect((await api('GET', '/api/v1/instances/a-bot', { key: keyB })).status).toBe(404);
    expect((await api('PUT', '/api/v1/instances/a-bot', { key: keyB, body: { agent_timeout: 5 } })).status).toBe(404);
    expect((await api('DELETE', '/api/v1/instances/a-bot', { key: keyB })).status).toBe(404);
    const stillThere = await api<{ agent_timeout: number }>('GET', '/api/v1/instances/a-bot', { key: keyA });
    expect(stillThere.body.agent_timeout).toBe(60);
  });

  it('lets tenant B use the same name, and a tenant key create only in its own tenant', async () => {
    const sameName = await api<{ tenant_id: string }>('POST', '/api/v1/instances', {
      key: keyB,
      body: whatsappInstance({ name: 'a-bot' }, evolution),
    });
    expect(sameName.status).toBe(201);
    expect(sameName.body.tenant_id).not.toBe(tenantA);
    const foreign = await api('POST', '/api/v1/instances', {
      key: keyB,
      body: whatsappInstance({ name: 'sneaky', tenant_id: tenantA }, evolution),
    });
    expect(foreign.status).toBe(403);
  });

  it('lets the admin see every tenant, and asks for tenant_id when a name is ambiguous', async () => {
    const all = await api<{ name: string }[]>('GET', '/api/v1/instances');
    expect(all.body.filter((i) => i.name === 'a-bot')).toHaveLength(2);
    expect((await api('GET', '/api/v1/instances/a-bot')).status).toBe(409);
    const picked = await api<{ tenant_id: string }>('GET', `/api/v1/instances/a-bot?tenant_id=${tenantA}`);
    expect(picked.status).toBe(200);
    expect(picked.body.tenant_id).toBe(tenantA);
    const onlyA = await api<unknown[]>('GET', `/api/v1/instances?tenant_id=${tenantA}`);
    expect(onlyA.body).toHaveLength(1);
  });
});
