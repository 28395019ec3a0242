// Trace read side at scale, on PostgreSQL: seeds N traces (default 1,000,000) with two payloads
// each into a fresh database, then measures through the HTTP API the analytics summary (before
// and after the hourly roll-up job has run, as it has in production after five minutes), the
// trace list (p50/p99 of 100 requests) and the retention run that deletes half of them, with
// the rate of message recording (TraceService.recordInbound, what each webhook does) before and
// during retention.
//
// Runs in-process (it calls TraceService directly), from the benchmark build: `npm run bench -- traces`.
import type { InboundMessage } from '../src/channels/channel';
import type { InstanceConfig } from '../src/instances/instance.entity';
import { InstancesService } from '../src/instances/instances.service';
import { encodePayload } from '../src/trace/payload-codec';
import { TraceRollupService } from '../src/trace/trace-rollup.service';
import { TraceService } from '../src/trace/trace.service';
import { apiClient } from '../test/support/api-client';
import { seedInstance } from '../test/support/seed';
import { createTestApp, TestApp } from '../test/support/test-app';

const TRACES = Number(process.env.BENCH_TRACES ?? 1_000_000);
const SPREAD_DAYS = 60;
const RETENTION_DAYS = 30;
const LIST_RUNS = 100;
const SUMMARY_RUNS = 9;
const INGEST_WORKERS = 8;
const INGEST_SAMPLE_MS = 5_000;

export async function runTracesBenchmark(): Promise<void> {
  const omni = await createTestApp({ env: { AUTOMAGIK_OMNI_TRACE_RETENTION_DAYS: String(RETENTION_DAYS) } });
  try {
    const instance = await benchInstance(omni);
    console.log(`Seeding ${TRACES.toLocaleString('en')} traces and ${(2 * TRACES).toLocaleString('en')} payloads…`);
    console.log(`  seeded in ${await timed(() => seed(omni, instance))} ms`);
    // Seeding writes into the past, behind whatever the roll-up job (on its five-minute schedule) has done meanwhile.
    await omni.app.get(TraceRollupService).invalidateFrom(new Date(0));
    // What autovacuum has done on a database that grew over 60 days (visibility map, statistics).
    await omni.query('VACUUM ANALYZE');
    const api = apiClient(omni.url);

    const summaryAllLive = await samples(SUMMARY_RUNS, () => api('GET', '/api/v1/traces/analytics/summary?all_time=true'));
    console.log(`  first roll-up of every hour in ${await timed(() => api('POST', '/api/v1/jobs/trace-rollup/run'))} ms`);
    const summaryAll = await samples(SUMMARY_RUNS, () => api('GET', '/api/v1/traces/analytics/summary?all_time=true'));
    const summaryDay = await samples(SUMMARY_RUNS, () => api('GET', '/api/v1/traces/analytics/summary'));
    const list = await samples(LIST_RUNS, () => api('GET', '/api/v1/traces?limit=50'));
    const listByPhone = await samples(LIST_RUNS, (i) => api('GET', `/api/v1/traces?all_time=true&phone=${sender(i * 37)}`));

    const traces = omni.app.get(TraceService);
    const before = await ingestRate(traces, instance, 'before', () => sleep(INGEST_SAMPLE_MS));
    let retentionMs = 0;
    let deleted: unknown;
    const during = await ingestRate(traces, instance, 'during', async () => {
      const started = performance.now();
      deleted = (await api<{ result: unknown }>('POST', '/api/v1/jobs/trace-retention/run')).body.result;
      retentionMs = performance.now() - started;
    });

    console.log('\nResults');
    console.log(`  analytics summary, all ${TRACES.toLocaleString('en')} traces: median ${median(summaryAll)} ms (${SUMMARY_RUNS} runs)`);
    console.log(`    the same before any roll-up:       median ${median(summaryAllLive)} ms (${SUMMARY_RUNS} runs)`);
    console.log(`  analytics summary, last 24 h:        median ${median(summaryDay)} ms (${SUMMARY_RUNS} runs)`);
    console.log(`  list, last 24 h, 50 per page:        p50 ${pct(list, 0.5)} ms, p99 ${pct(list, 0.99)} ms (${LIST_RUNS} runs)`);
    console.log(`  list by phone, all time:             p50 ${pct(listByPhone, 0.5)} ms, p99 ${pct(listByPhone, 0.99)} ms (${LIST_RUNS} runs)`);
    console.log(`  retention (older than ${RETENTION_DAYS} of ${SPREAD_DAYS} days): ${Math.round(retentionMs)} ms, ${JSON.stringify(deleted)}`);
    console.log(`  message recording: ${before.toFixed(0)}/s before, ${during.toFixed(0)}/s during retention (${((during / before) * 100).toFixed(0)} %)`);
  } finally {
    await omni.close();
  }
}

async function benchInstance(omni: TestApp): Promise<InstanceConfig> {
  const seeded = await seedInstance(omni, { name: 'bench-bot' });
  return (await omni.app.get(InstancesService).findById(seeded.id))!;
}

const sender = (i: number) => String(5511900000000 + (i % 10_000));

/** INSERT … SELECT over generate_series: the database makes the rows, nothing crosses the wire. */
async function seed(omni: TestApp, instance: InstanceConfig): Promise<void> {
  await omni.query(
    `INSERT INTO message_traces (trace_id, tenant_id, instance_id, instance_name, channel_type, whatsapp_message_id,
       chat_id, sender_phone, sender_name, message_type, has_media, status, error_stage, received_at, completed_at,
       total_processing_time_ms, agent_processing_time_ms, updated_at)
     SELECT md5(i::text)::uuid::text, $1, $2, $3, 'whatsapp', 'BENCH' || i,
       (5511900000000 + i % 10000)::text || '@s.whatsapp.net', (5511900000000 + i % 10000)::text, 'Sender ' || (i % 10000),
       (ARRAY['text', 'text', 'text', 'image', 'audio'])[1 + i % 5], i % 5 >= 3,
       CASE i % 20 WHEN 0 THEN 'failed' WHEN 1 THEN 'blocked' ELSE 'completed' END,
       CASE i % 20 WHEN 0 THEN 'agent' END,
       now() - (i::double precision / $4) * interval '${SPREAD_DAYS} days',
       now() - (i::double precision / $4) * interval '${SPREAD_DAYS} days' + interval '2 seconds',
       CASE WHEN i % 20 <> 1 THEN 500 + (i::bigint * 7919) % 5000 END,
       CASE WHEN i % 20 > 1 THEN 200 + (i::bigint * 104729) % 3000 END,
       now()
     FROM generate_series(1, $4) AS i`,
    [instance.tenantId, instance.id, instance.name, TRACES],
  );
  const payload = await encodePayload({ event: 'messages.upsert', data: { key: { id: 'BENCH' }, message: { conversation: 'hello there' } } });
  await omni.query(
    `INSERT INTO trace_payloads (id, trace_id, stage, payload_type, payload_compressed, payload_size_original,
       payload_size_compressed, timestamp)
     SELECT md5(stage || i)::uuid::text, md5(i::text)::uuid::text, stage, kind, $1, $2, $3,
       now() - (i::double precision / $4) * interval '${SPREAD_DAYS} days'
     FROM generate_series(1, $4) AS i
     CROSS JOIN (VALUES ('webhook_received', 'webhook'), ('agent_response', 'response')) AS stages(stage, kind)`,
    [payload.compressed, payload.sizeOriginal, payload.sizeCompressed, TRACES],
  );
}

/** Messages recorded per second by parallel callers while `during` runs. */
async function ingestRate(traces: TraceService, instance: InstanceConfig, label: string, during: () => Promise<unknown>) {
  let recorded = 0;
  let running = true;
  const worker = async (w: number) => {
    for (let n = 0; running; n++) {
      await traces.recordInbound(instance, inbound(instance, `${label}-${w}-${n}`));
      recorded++;
    }
  };
  const started = performance.now();
  const workers = Array.from({ length: INGEST_WORKERS }, (_, w) => worker(w));
  await during();
  running = false;
  await Promise.all(workers);
  return recorded / ((performance.now() - started) / 1000);
}

function inbound(instance: InstanceConfig, id: string): InboundMessage {
  return {
    channel: 'whatsapp',
    instanceName: instance.name,
    externalMessageId: id,
    chatId: '5511988880001@s.whatsapp.net',
    isGroup: false,
    sender: { id: '5511988880001', phone: '5511988880001', displayName: 'Bench' },
    messageType: 'text',
    text: 'hello',
    mentions: [],
    timestamp: new Date(),
    raw: { event: 'messages.upsert', data: { key: { id }, message: { conversation: 'hello' } } },
  };
}

async function samples(runs: number, request: (i: number) => Promise<{ status: number }>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const response = await request(i);
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return Math.round(performance.now() - started);
}

const pct = (sorted: number[], p: number) => sorted[Math.ceil(p * sorted.length) - 1].toFixed(1);
const median = (sorted: number[]) => pct(sorted, 0.5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
