import { Api, apiClient } from '../support/api-client';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/test-app';

describe('API keys', () => {
  let omni: TestApp;
  let api: Api;

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
  });
  afterAll(() => omni.close());

  it('answers 401 problem details without a key or with a wrong one, on every /api/v1 route', async () => {
    for (const path of ['/api/v1/instances', '/api/v1/tenants', '/api/v1/api-keys', '/api/v1/instances/x']) {
      const missing = await api('GET', path, { key: null });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect(missing.body).toMatchObject({ status: 401, title: 'Unauthorized', instance: path });
      const wrong = await api('GET', path, { key: 'not-a-real-key-000000000' });
      expect(wrong.status).toBe(401);
    }
  });

  it('accepts the admin key in x-api-key or as a bearer token', async () => {
    expect((await api('GET', '/api/v1/instances')).status).toBe(200);
    const bearer = await api('GET', '/api/v1/instances', { key: null, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(bearer.status).toBe(200);
  });

  it('shows a tenant key once, stores only its hash, and stops accepting it once revoked', async () => {
    const tenant = await api<{ id: string }>('POST', '/api/v1/tenants', { body: { name: 'acme' } });
    expect(tenant.status).toBe(201);
    const created = await api<{ id: string; key: string; key_prefix: string }>('POST', '/api/v1/api-keys', {
      body: { name: 'acme ops', tenant_id: tenant.body.id },
    });
    expect(created.status).toBe(201);
    const { key, id } = created.body;
    expect(key).toMatch(/^omni_/);
    expect(key.startsWith(created.body.key_prefix)).toBe(true);

    const stored = await omni.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [id]);
    expect(stored[0].key_hash).toHaveLength(64);
    expect(JSON.stringify(stored)).not.toContain(key);

    expect((await api('GET', '/api/v1/instances', { key })).status).toBe(200);
    const listed = await api<Record<string, unknown>[]>('GET', '/api/v1/api-keys');
    const listedKey = listed.body.find((k) => k.id === id)!;
    expect(listedKey).not.toHaveProperty('key');
    expect(listedKey.last_used_at).not.toBeNull();

    expect((await api('DELETE', `/api/v1/api-keys/${id}`)).status).toBe(200);
    expect((await api('GET', '/api/v1/instances', { key })).status).toBe(401);
  });

  it('keeps tenant keys away from admin routes (403)', async () => {
    const tenant = await api<{ id: string }>('POST', '/api/v1/tenants', { body: { name: 'globex' } });
    const { body } = await api<{ key: string }>('POST', '/api/v1/api-keys', {
      body: { name: 'globex', tenant_id: tenant.body.id },
    });
    for (const [method, path] of [
      ['GET', '/api/v1/tenants'],
      ['POST', '/api/v1/tenants'],
      ['GET', '/api/v1/api-keys'],
    ]) {
      const res = await api(method, path, { key: body.key, body: method === 'POST' ? { name: 'x' } : undefined });
      expect(res.status).toBe(403);
    }
  });

  it('validates tenant and key input', async () => {
    const noName = await api<{ errors: { field: string }[] }>('POST', '/api/v1/tenants', { body: {} });
    expect(noName.status).toBe(400);
    expect(noName.body.errors.map((e) => e.field)).toContain('name');
    const duplicate = await api('POST', '/api/v1/tenants', { body: { name: 'acme' } });
    expect(duplicate.status).toBe(409);
    const noTenant = await api<{ errors: { field: string }[] }>('POST', '/api/v1/api-keys', { body: { name: 'k' } });
    expect(noTenant.status).toBe(400);
    expect(noTenant.body.errors.map((e) => e.field)).toContain('tenant_id');
    const unknownTenant = await api('POST', '/api/v1/api-keys', {
      body: { name: 'k', tenant_id: '7d3c1f8e-0000-4000-8000-000000000000' },
    });
    expect(unknownTenant.status).toBe(404);
    expect((await api('DELETE', '/api/v1/api-keys/not-a-uuid')).status).toBe(400);
  });
});

describe('Admin key generated at first start', () => {
  it('creates one admin key when AUTOMAGIK_OMNI_API_KEY is unset, and not again on restart', async () => {
    const first = await createTestApp({ env: { AUTOMAGIK_OMNI_API_KEY: '' } });
    const count = async (app: TestApp) =>
      Number((await app.query<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys WHERE is_admin = true'))[0].n);
    expect(await count(first)).toBe(1);
    expect((await apiClient(first.url)('GET', '/api/v1/instances')).status).toBe(401);
    await first.close({ keepDatabase: true });
    const second = await createTestApp({ env: { AUTOMAGIK_OMNI_API_KEY: '' }, database: first.database });
    try {
      expect(await count(second)).toBe(1);
    } finally {
      await second.close();
    }
  });
});
