import { AccessControlService } from '../../src/access-control/access-control.service';
import type { InstanceConfig } from '../../src/instances/instance.entity';
import { InstancesService } from '../../src/instances/instances.service';
import { Api, apiClient } from '../support/api-client';
import { seedInstance } from '../support/seed';
import { createTenant, TestTenant } from '../support/tenants';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/test-app';

interface RuleBody {
  id: string;
  tenant_id: string | null;
  instance_name: string | null;
  phone_number: string;
  rule_type: 'allow' | 'block';
}

const ANA = '5511988880001';
const ANA_LID = '187654321098765@lid';

describe('Access rules API', () => {
  let omni: TestApp;
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;

  const rules = (key: string, query = '') => api<RuleBody[]>('GET', `/api/v1/access/rules${query}`, { key });
  const create = (key: string, body: Record<string, unknown>) => api<RuleBody>('POST', '/api/v1/access/rules', { key, body });

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
    [a, b] = [await createTenant(api, 'access-a'), await createTenant(api, 'access-b')];
    await seedInstance(omni, { tenantId: a.id, name: 'a-bot' });
    await seedInstance(omni, { tenantId: a.id, name: 'a-other' });
    await seedInstance(omni, { tenantId: b.id, name: 'b-bot' });
  });
  afterAll(() => omni.close());

  it('creates, lists, updates and deletes rules with the original field names, numbers normalised', async () => {
    const global = await create(a.key, { phone_number: '+55 11 98888-0001', rule_type: 'block' });
    expect(global.status).toBe(201);
    expect(global.body).toMatchObject({ tenant_id: a.id, instance_name: null, phone_number: ANA, rule_type: 'block' });
    const prefix = await create(a.key, { phone_number: '+5521*', rule_type: 'allow', instance_name: 'a-bot' });
    expect(prefix.body).toMatchObject({ instance_name: 'a-bot', phone_number: '5521*', rule_type: 'allow' });
    const lid = await create(a.key, { phone_number: ANA_LID, rule_type: 'allow', instance_name: null });
    expect(lid.body).toMatchObject({ instance_name: null, phone_number: ANA_LID });

    expect((await rules(a.key)).body.map((r) => r.id)).toEqual([lid.body.id, prefix.body.id, global.body.id]);
    expect((await rules(a.key, '?instance_name=a-bot')).body.map((r) => r.id)).toEqual([prefix.body.id]);
    expect((await rules(a.key, '?global_only=true')).body.map((r) => r.id)).toEqual([lid.body.id, global.body.id]);
    expect((await rules(a.key, '?rule_type=block')).body.map((r) => r.id)).toEqual([global.body.id]);
    expect((await rules(a.key, '?limit=1&skip=1')).body.map((r) => r.id)).toEqual([prefix.body.id]);

    const moved = await api<RuleBody>('PUT', `/api/v1/access/rules/${prefix.body.id}`, {
      key: a.key,
      body: { phone_number: '5521 9*', rule_type: 'block', instance_name: 'a-other' },
    });
    expect(moved.body).toMatchObject({ instance_name: 'a-other', phone_number: '55219*', rule_type: 'block' });
    const globalAgain = await api<RuleBody>('PUT', `/api/v1/access/rules/${prefix.body.id}`, { key: a.key, body: { instance_name: null } });
    expect(globalAgain.body).toMatchObject({ instance_name: null, phone_number: '55219*' });

    const deleted = await api('DELETE', `/api/v1/access/rules/${prefix.body.id}`, { key: a.key });
    expect(deleted.status).toBe(204);
    expect((await api('DELETE', `/api/v1/access/rules/${prefix.body.id}`, { key: a.key })).status).toBe(404);
  });

  it('refuses a duplicate however it is spelt, and invalid input field by field', async () => {
    await create(a.key, { phone_number: '5531*', rule_type: 'block', instance_name: 'a-bot' });
    const twin = await create(a.key, { phone_number: '+55 31*', rule_type: 'block', instance_name: 'a-bot' });
    expect(twin.status).toBe(409);
    expect((await create(a.key, { phone_number: '5531*', rule_type: 'allow', instance_name: 'a-bot' })).status).toBe(201);
    expect((await create(a.key, { phone_number: '5531*', rule_type: 'block' })).status).toBe(201);

    const bad = await api<{ errors: { field: string }[] }>('POST', '/api/v1/access/rules', {
      key: a.key,
      body: { phone_number: 'bob*', rule_type: 'maybe' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['phone_number', 'rule_type']);
    expect((await create(a.key, { phone_number: '55*11', rule_type: 'block' })).status).toBe(400);
    expect((await create(a.key, { phone_number: '5511', rule_type: 'block', instance_name: 'nope' })).status).toBe(404);
  });

  it("keeps tenants apart: another tenant's rules and instances are not found", async () => {
    const mine = await create(a.key, { phone_number: '5541*', rule_type: 'block' });
    expect((await rules(b.key)).body.map((r) => r.id)).not.toContain(mine.body.id);
    expect((await api('PUT', `/api/v1/access/rules/${mine.body.id}`, { key: b.key, body: { rule_type: 'allow' } })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/access/rules/${mine.body.id}`, { key: b.key })).status).toBe(404);
    expect((await create(b.key, { phone_number: '5541*', rule_type: 'block', instance_name: 'a-bot' })).status).toBe(404);
    expect((await create(b.key, { phone_number: '5541*', rule_type: 'block', tenant_id: a.id })).status).toBe(403);
    expect((await rules(ADMIN_KEY, `?tenant_id=${b.id}`)).body.map((r) => r.id)).not.toContain(mine.body.id);
  });

  it("shows the admin's every-tenant rules to each tenant, read-only", async () => {
    const everyone = await create(ADMIN_KEY, { phone_number: '999*', rule_type: 'block' });
    expect(everyone.body).toMatchObject({ tenant_id: null, instance_name: null });
    const forB = await create(ADMIN_KEY, { phone_number: '998*', rule_type: 'block', tenant_id: b.id });
    expect(forB.body.tenant_id).toBe(b.id);
    expect((await rules(a.key)).body.map((r) => r.id)).toContain(everyone.body.id);
    expect((await rules(b.key)).body.map((r) => r.id)).toEqual(expect.arrayContaining([everyone.body.id, forB.body.id]));
    expect((await api('DELETE', `/api/v1/access/rules/${everyone.body.id}`, { key: a.key })).status).toBe(403);
    expect((await api('DELETE', `/api/v1/access/rules/${everyone.body.id}`)).status).toBe(204);
  });
});

describe('Access decisions', () => {
  let omni: TestApp;
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let open: InstanceConfig;
  let closed: InstanceConfig;
  let sibling: InstanceConfig;

  const decide = (instance: InstanceConfig, ids: string[]) => omni.app.get(AccessControlService).evaluate(instance, ids);
  const loaded = async (id: string) => (await omni.app.get(InstancesService).findById(id))!;

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
    [a, b] = [await createTenant(api, 'decide-a'), await createTenant(api, 'decide-b')];
    open = await loaded((await seedInstance(omni, { tenantId: a.id, name: 'open-bot' })).id);
    closed = await loaded((await seedInstance(omni, { tenantId: a.id, name: 'closed-bot', accessMode: 'allowlist' })).id);
    sibling = await loaded((await seedInstance(omni, { tenantId: a.id, name: 'sibling-bot' })).id);
    await seedInstance(omni, { tenantId: b.id, name: 'b-bot' });
  });
  afterAll(() => omni.close());

  interface Case {
    name: string;
    /** `scope type pattern` — scope is `global`, an instance name of tenant A, `admin` (every tenant) or `tenant-b`. */
    rules: string[];
    instance: () => InstanceConfig;
    ids: string[];
    allowed: boolean;
    /** The deciding rule's pattern; null when none matched. */
    by: string | null;
  }

  const cases: Case[] = [
    { name: 'no rule on an open instance: allowed', rules: [], instance: () => open, ids: [ANA], allowed: true, by: null },
    { name: 'no rule on an allow-list instance: blocked', rules: [], instance: () => closed, ids: [ANA], allowed: false, by: null },
    { name: 'exact block', rules: [`global block +${ANA}`], instance: () => open, ids: [ANA], allowed: false, by: ANA },
    { name: 'prefix block', rules: ['global block +55 11*'], instance: () => open, ids: [ANA], allowed: false, by: '5511*' },
    { name: 'longer allow prefix beats block prefix', rules: ['global block 55*', 'global allow 5511*'], instance: () => open, ids: [ANA], allowed: true, by: '5511*' },
    { name: 'exact block beats prefix allow', rules: ['global allow 5511*', `global block ${ANA}`], instance: () => open, ids: [ANA], allowed: false, by: ANA },
    { name: 'allow wins a tie', rules: [`global block ${ANA}`, `global allow ${ANA}`], instance: () => open, ids: [ANA], allowed: true, by: ANA },
    { name: 'instance rule on its instance', rules: ['open-bot block 5511*'], instance: () => open, ids: [ANA], allowed: false, by: '5511*' },
    { name: 'instance rule not on a sibling', rules: ['open-bot block 5511*'], instance: () => sibling, ids: [ANA], allowed: true, by: null },
    { name: 'longer global block beats instance allow', rules: ['open-bot allow 5511*', `global block ${ANA}`], instance: () => open, ids: [ANA], allowed: false, by: ANA },
    { name: 'allow-list admits an allowed number', rules: [`closed-bot allow ${ANA}`], instance: () => closed, ids: [`${ANA}:3@s.whatsapp.net`], allowed: true, by: ANA },
    { name: 'allow-list blocks a stranger', rules: [`closed-bot allow ${ANA}`], instance: () => closed, ids: ['5511900000000'], allowed: false, by: null },
    { name: 'allow-list: a LID rule admits the LID', rules: [`global allow ${ANA_LID}`], instance: () => closed, ids: ['5599999999999', ANA_LID], allowed: true, by: ANA_LID },
    { name: "admin's every-tenant rule applies", rules: ['admin block 5511*'], instance: () => open, ids: [ANA], allowed: false, by: '5511*' },
    { name: "another tenant's rule does not apply", rules: ['tenant-b block 5511*'], instance: () => open, ids: [ANA], allowed: true, by: null },
  ];

  async function createRule(text: string): Promise<RuleBody> {
    const [scope, ruleType, ...pattern] = text.split(' ');
    const body = { rule_type: ruleType, phone_number: pattern.join(' ') };
    if (scope === 'admin') return (await api<RuleBody>('POST', '/api/v1/access/rules', { body })).body;
    if (scope === 'tenant-b') return (await api<RuleBody>('POST', '/api/v1/access/rules', { key: b.key, body })).body;
    const instance = scope === 'global' ? {} : { instance_name: scope };
    const created = await api<RuleBody>('POST', '/api/v1/access/rules', { key: a.key, body: { ...body, ...instance } });
    expect(created.status).toBe(201);
    return created.body;
  }

  it.each(cases)('$name', async ({ rules, instance, ids, allowed, by }) => {
    const created = [];
    for (const text of rules) created.push(await createRule(text));
    try {
      const decision = await decide(instance(), ids);
      const deciding = created.find((r) => r.id === decision.ruleId);
      expect({ allowed: decision.allowed, by: deciding?.phone_number ?? null }).toEqual({ allowed, by });
    } finally {
      for (const rule of created) await api('DELETE', `/api/v1/access/rules/${rule.id}`);
    }
  });

  it('applies a change made here at once, and one made on another replica within seconds', async () => {
    const other = await createTestApp({ database: omni.database });
    try {
      const decideThere = () => other.app.get(AccessControlService).evaluate(open, [ANA]);
      expect((await decide(open, [ANA])).allowed).toBe(true);
      expect((await decideThere()).allowed).toBe(true);

      const rule = await api<RuleBody>('POST', '/api/v1/access/rules', { key: a.key, body: { phone_number: ANA, rule_type: 'block' } });
      expect((await decide(open, [ANA])).allowed).toBe(false);
      expect((await decideThere()).allowed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5_100));
      expect((await decideThere()).allowed).toBe(false);

      await apiClient(other.url)('DELETE', `/api/v1/access/rules/${rule.body.id}`, { key: a.key });
      expect((await decideThere()).allowed).toBe(true);
    } finally {
      await other.close({ keepDatabase: true });
    }
  }, 15_000);
});
