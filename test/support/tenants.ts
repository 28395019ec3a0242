// A tenant and an API key acting for it, made through the admin API.
import type { Api } from './api-client';

export interface TestTenant {
  id: string;
  key: string;
}

export async function createTenant(api: Api, name: string): Promise<TestTenant> {
  const tenant = await api<{ id: string }>('POST', '/api/v1/tenants', { body: { name } });
  const key = await api<{ key: string }>('POST', '/api/v1/api-keys', { body: { name, tenant_id: tenant.body.id } });
  if (tenant.status !== 201 || key.status !== 201) throw new Error(`Could not create tenant ${name}: ${tenant.text} ${key.text}`);
  return { id: tenant.body.id, key: key.body.key };
}
