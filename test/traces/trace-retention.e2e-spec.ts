import { ConfigValidationError, loadConfig } from '../../src/config/app-config';
import { ScheduledJobsService } from '../../src/jobs/scheduled-jobs.service';
import type { MessageTrace } from '../../src/trace/message-trace.entity';
import { Api, apiClient } from '../support/api-client';
import { daysAgo, seedInstance, seedPayloads, seedTraces } from '../support/seed';
import { createTenant } from '../support/tenants';
import { createTestApp, TestApp } from '../support/test-app';

const JOB = 'trace-retention';
/** More than one deletion batch (5,000), so batching is exercised. */
const BULK = 12_000;

interface Kept {
  kept: MessageTrace[];
  deleted: MessageTrace[];
}

/** Traces around each retention period, with two payloads each; says which must survive. */
async function seedAroundRetention(omni: TestApp): Promise<Kept> {
  const plain = await seedInstance(omni, { name: 'plain' });
  const keeper = await seedInstance(omni, { name: 'keeper', traceRetentionDays: 90 });
  const brief = await seedInstance(omni, { name: 'brief', traceRetentionDays: 7 });
  const at = (instance: { id: string; name: string } | null, days: number) => ({
    instanceId: instance?.id ?? null,
    instanceName: instance?.name ?? null,
    receivedAt: daysAgo(days),
  });
  const kept = await seedTraces(omni, [at(plain, 20), at(plain, 1), at(keeper, 40), at(brief, 3), at(null, 10)]);
  const deleted = await seedTraces(omni, [at(plain, 40), at(keeper, 100), at(brief, 10), at(null, 40)]);
  for (const trace of [...kept, ...deleted]) {
    await seedPayloads(omni, trace.traceId, [
      { stage: 'webhook_received', payload: { n: 1 } },
      { stage: 'agent_request', payloadType: 'request', payload: { n: 2 } },
    ]);
  }
  return { kept, deleted };
}

const traceIds = async (omni: TestApp) =>
  (await omni.query<{ trace_id: string }>('SELECT trace_id FROM message_traces')).map((r) => r.trace_id).sort();
const payloadTraceIds = async (omni: TestApp) =>
  (await omni.query<{ trace_id: string }>('SELECT trace_id FROM trace_payloads')).map((r) => r.trace_id).sort();
const jobRow = async (omni: TestApp) =>
  (await omni.query<{ run_count: number; last_status: string }>('SELECT run_count, last_status FROM job_runs WHERE name = $1', [JOB]))[0];

describe('Trace retention', () => {
  let omni: TestApp;
  let api: Api;

  beforeAll(async () => {
    omni = await createTestApp({ env: { AUTOMAGIK_OMNI_TRACE_RETENTION_DAYS: '30', AUTOMAGIK_TIMEZONE: 'America/Sao_Paulo' } });
    api = apiClient(omni.url);
  });
  afterAll(() => omni.close());

  it('deletes exactly the traces past their retention period, with their payloads, and records the run', async () => {
    const { kept, deleted } = await seedAroundRetention(omni);
    await seedTraces(omni, Array.from({ length: BULK }, () => ({ receivedAt: daysAgo(31) })));

    const run = await api<{ status: string; result: Record<string, unknown> }>('POST', `/api/v1/jobs/${JOB}/run`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      status: 'succeeded',
      result: { traces_deleted: deleted.length + BULK, payloads_deleted: deleted.length * 2, retention_days: 30, instances_with_own_retention: 2 },
    });

    const survivors = kept.map((t) => t.traceId).sort();
    expect(await traceIds(omni)).toEqual(survivors);
    expect(await payloadTraceIds(omni)).toEqual(survivors.flatMap((id) => [id, id]));

    const jobs = await api<Record<string, unknown>[]>('GET', '/api/v1/jobs');
    expect(jobs.body).toEqual([
      expect.objectContaining({
        name: JOB,
        schedule: '0 3 * * *',
        timezone: 'America/Sao_Paulo',
        last_status: 'succeeded',
        run_count: 1,
        last_result: expect.objectContaining({ traces_deleted: deleted.length + BULK }),
      }),
      expect.objectContaining({ name: 'trace-rollup', schedule: '*/5 * * * *', run_count: 0 }),
    ]);
    const next = new Date(jobs.body[0].next_run_at as string);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    // 03:00 in São Paulo (UTC−3, no daylight saving since 2019) is 06:00 UTC.
    expect(next.toISOString()).toMatch(/T06:00:00\.000Z$/);
   }, 30_000);

  it('lets only the admin see and run jobs', async () => {
    const tenant = await createTenant(api, 'retention-tenant');
    expect((await api('GET', '/api/v1/jobs', { key: tenant.key })).status).toBe(403);
    expect((await api('POST', `/api/v1/jobs/${JOB}/run`, { key: tenant.key })).status).toBe(403);
    expect((await api('POST', '/api/v1/jobs/no-such-job/run')).status).toBe(404);
  });
});

describe('Trace clean-up on demand', () => {
  let omni: TestApp;
  let api: Api;

  beforeAll(async () => {
    omni = await createTestApp();
    api = apiClient(omni.url);
  });
  afterAll(() => omni.close());

  it("counts in a dry run, then deletes only the caller's tenant's old traces and their payloads", async () => {
    const a = await createTenant(api, 'cleanup-a');
    const b = await createTenant(api, 'cleanup-b');
    const [oldA, newA, oldB] = await seedTraces(omni, [
      { tenantId: a.id, receivedAt: daysAgo(15) },
      { tenantId: a.id, receivedAt: daysAgo(5) },
      { tenantId: b.id, receivedAt: daysAgo(15) },
    ]);
    await seedPayloads(omni, oldA.traceId, [{ stage: 'webhook_received', payload: {} }]);

    const dry = await api<Record<string, unknown>>('DELETE', '/api/v1/traces/cleanup?days_old=10', { key: a.key });
    expect(dry.body).toMatchObject({ status: 'dry_run', traces_to_delete: 1, message: 'Would delete 1 traces older than 10 days' });
    expect(Date.parse(dry.body.cutoff_date as string)).toBeCloseTo(daysAgo(10).getTime(), -4);
    expect(await traceIds(omni)).toHaveLength(3);

    const done = await api('DELETE', '/api/v1/traces/cleanup?days_old=10&dry_run=false', { key: a.key });
    expect(done.body).toMatchObject({ status: 'completed', traces_deleted: 1, payloads_deleted: 1 });
    expect(await traceIds(omni)).toEqual([newA.traceId, oldB.traceId].sort());
    expect(await payloadTraceIds(omni)).toEqual([]);
  });

  it('refuses days_old outside 1..365', async () => {
    expect((await api('DELETE', '/api/v1/traces/cleanup?days_old=0')).status).toBe(400);
    expect((await api('DELETE', '/api/v1/traces/cleanup?days_old=366')).status).toBe(400);
  });
});

describe('Retention across replicas', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await createTestApp();
    second = await createTestApp({ database: first.database });
  });
  afterAll(async () => {
    await second.close({ keepDatabase: true });
    await first.close();
  });

  it('runs a firing once when two replicas on one database both fire, and not again for the same firing', async () => {
    const old = await seedTraces(first, [{ receivedAt: daysAgo(40) }, { receivedAt: daysAgo(45) }]);
    const fire = (omni: TestApp) => omni.app.get(ScheduledJobsService).runScheduled(JOB);

    const outcomes = await Promise.all([fire(first), fire(second)]);
    expect(outcomes.filter((o) => o.status === 'succeeded')).toHaveLength(1);
    expect(await jobRow(first)).toMatchObject({ run_count: 1, last_status: 'succeeded' });
    expect(await traceIds(first)).toEqual([]);
    expect(old).toHaveLength(2);

    // A replica whose clock is a little late fires after the first run finished: the same firing.
    await seedTraces(first, [{ receivedAt: daysAgo(40) }]);
    expect(await fire(second)).toMatchObject({ status: 'skipped', reason: 'another replica ran this firing' });
    expect(await jobRow(first)).toMatchObject({ run_count: 1 });
    expect(await traceIds(first)).toHaveLength(1);
  });
});

describe('Retention schedule', () => {
  it('fires on the configured cron expression', async () => {
    const omni = await createTestApp({ env: { AUTOMAGIK_OMNI_TRACE_RETENTION_CRON: '* * * * * *' } });
    try {
      await seedTraces(omni, [{ receivedAt: daysAgo(40) }]);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && ((await jobRow(omni))?.last_status !== 'succeeded')) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await jobRow(omni)).toMatchObject({ last_status: 'succeeded' });
      expect(await traceIds(omni)).toEqual([]);
    } finally {
      await omni.close();
    }
   }, 15_000);

  it('refuses a cron expression that does not parse, naming the setting, before anything starts', () => {
    expect(() => loadConfig({ AUTOMAGIK_OMNI_TRACE_RETENTION_CRON: 'every day' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ AUTOMAGIK_OMNI_TRACE_RETENTION_CRON: '61 3 * * *' })).toThrow(/AUTOMAGIK_OMNI_TRACE_RETENTION_CRON/);
  });
});
