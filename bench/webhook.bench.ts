// Webhook ingest on PostgreSQL with the agent and Evolution faked on loopback:
// - ingest rate (webhooks/s accepted and durably recorded) and the webhook answer's p50/p99;
// - Omni's own added latency: webhook → agent request, and agent answer → Evolution send.
import { Pool } from 'undici';
import { FakeAgentServer } from '../test/fakes/fake-agent.server';
import { evolutionEnvelope } from '../test/fakes/evolution-events';
import { FakeEvolutionServer } from '../test/fakes/fake-evolution.server';
import { ADMIN_KEY, machineCpu, ms, percentile, pool, RunningServer, startFloorServer, startServer, stolenSince, withDatabase } from './bench-support';

const INGEST_WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 6000);
const INGEST_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const LATENCY_MESSAGES = Number(process.env.BENCH_LATENCY_MESSAGES ?? 200);
/** Webhooks sent before the first timed run, so it measures a warm server (JIT, connection pools). */
const WARM_UP_WEBHOOKS = Number(process.env.BENCH_WARM_UP ?? 1000);

export interface Setup {
  omni: RunningServer;
  http: Pool;
  evolution: FakeEvolutionServer;
  agent: FakeAgentServer;
  secret: string;
}

export async function runWebhookBenchmark(): Promise<void> {
  await withDatabase(async (databaseUrl) => {
    const setup = await prepare(databaseUrl);
    try {
      await ingest(setup, INGEST_WEBHOOKS, INGEST_CONCURRENCY, WARM_UP_WEBHOOKS);
      await ingest(setup, Math.round(INGEST_WEBHOOKS / 4), 4, 0);
      await withDatabase((floorDatabaseUrl) => addedLatency(setup, floorDatabaseUrl));
    } finally {
      await stop(setup);
    }
  });
}

export async function stop(setup: Setup): Promise<void> {
  await setup.http.close();
  await setup.omni.stop();
  await Promise.all([setup.evolution.stop(), setup.agent.stop()]);
}

/** Evolution and the agent faked on loopback, answering at once: the bench times the server between them. */
async function startFakes() {
  const evolution = new FakeEvolutionServer({ presenceRealDelay: false, sendRealDelay: false });
  const agent = new FakeAgentServer();
  const [evolutionUrl, agentUrl] = await Promise.all([evolution.start(), agent.start()]);
  return { evolution, agent, evolutionUrl, agentUrl };
}

/** The floor server (floor-server.ts) with fakes of its own, and Evolution's `bench` instance it sends through. */
async function prepareFloor(databaseUrl: string): Promise<Setup> {
  const { evolution, agent, evolutionUrl, agentUrl } = await startFakes();
  const created = await fetch(`${evolutionUrl}/instance/create`, {
    method: 'POST',
    headers: { apikey: evolution.globalApiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ instanceName: 'bench', integration: 'WHATSAPP-BAILEYS' }),
  });
  if (!created.ok) throw new Error(`fake Evolution refused the floor's instance: ${await created.text()}`);
  const floor = await startFloorServer(databaseUrl, { agentUrl, evolutionUrl, evolutionKey: evolution.globalApiKey });
  return { omni: floor, http: new Pool(floor.url, { connections: 8 }), evolution, agent, secret: '' };
}

/** Fakes, the built server of `root` (this project by default) and its `bench` instance. */
export async function prepare(databaseUrl: string, root?: string): Promise<Setup> {
  const { evolution, agent, evolutionUrl, agentUrl } = await startFakes();
  const omni = await startServer(databaseUrl, root, { AUTOMAGIK_OMNI_TYPING_DELAY_MAX_MS: '0', ...(process.env.BENCH_MAX_CHATS ? { AUTOMAGIK_OMNI_MAX_CONCURRENT_CHATS: process.env.BENCH_MAX_CHATS } : {}) });
  const created = await fetch(`${omni.url}/api/v1/instances`, {
    method: 'POST',
    headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench',
      evolution_url: evolutionUrl,
      evolution_key: evolution.globalApiKey,
      agent_api_url: agentUrl,
      agent_instance_type: 'hive',
      agent_id: 'atendimento',
      send_rate_per_minute: 1000,
      send_min_gap_ms: 0,
    }),
  });
  if (created.status !== 201) {
    const reason = await created.text();
    // Otherwise the server would outlive the benchmark, holding its output open.
    await Promise.all([omni.stop(), evolution.stop(), agent.stop()]);
    throw new Error(`could not create the instance: ${reason}`);
  }
  const webhook = evolution.requestsTo('setWebhook').pop()!.body as { webhook: { headers: Record<string, string> } };
  const http = new Pool(omni.url, { connections: INGEST_CONCURRENCY });
  return { omni, http, evolution, agent, secret: webhook.webhook.headers['x-omni-webhook-secret'] };
}

/** A `messages.upsert` text event from a person in one of the chats, as Evolution posts it. */
function bodyOf(chat: number, text: string): string {
  const envelope = evolutionEnvelope('messages.upsert.text', {
    instance: 'bench',
    text,
    remoteJid: `55119${String(chat).padStart(8, '0')}@s.whatsapp.net`,
    deep: { data: { key: { remoteJidAlt: undefined } } },
  });
  return JSON.stringify(envelope);
}

/** Posts like Evolution, through a keep-alive pool (fetch costs the load generator more CPU than Omni). */
async function post(setup: Setup, body: string): Promise<number> {
  const response = await setup.http.request({
    method: 'POST',
    path: '/webhook/evolution/bench',
    headers: { 'content-type': 'application/json', 'x-omni-webhook-secret': setup.secret },
    body,
  });
  await response.body.dump();
  return response.statusCode;
}

/**
 * Bodies are built before the clock starts: the load generator shares the two cores with Omni
 * and PostgreSQL, and should take as little from them as it can.
 */
async function ingest(setup: Setup, webhooks: number, concurrency: number, warmUp: number): Promise<void> {
  forgetRequests(setup);
  const bodies = Array.from({ length: warmUp + webhooks }, (_, i) => bodyOf(i % 500, `message ${concurrency}-${i}`));
  await pool(warmUp, concurrency, async (i) => void (await post(setup, bodies[i])));
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const cpuBefore = setup.omni.cpuMs();
  const mainThreadBefore = setup.omni.mainThreadCpuMs();
  const machineBefore = machineCpu();
  await pool(webhooks, concurrency, async (i) => {
    const sent = performance.now();
    const status = await post(setup, bodies[warmUp + i]);
    latencies.push(performance.now() - sent);
    if (status !== 200) failures++;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = setup.omni.cpuMs() - cpuBefore;
  const mainThreadMs = setup.omni.mainThreadCpuMs() - mainThreadBefore;
  const warm = warmUp ? `, after ${warmUp} to warm up` : '';
  console.log(`\nWebhook ingest (PostgreSQL, ${webhooks} webhooks, ${concurrency} in flight, 500 chats${warm}, processed meanwhile with sends paced at 1,000/min):`);
  console.log(`  accepted and recorded: ${(webhooks / seconds).toFixed(0)} webhooks/s (${failures} not 200)`);
  console.log(`  webhook answer: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}`);
  // Steadier than the rate on a shared machine: Omni's own work, whatever else runs meanwhile.
  console.log(`  Omni's CPU meanwhile: ${((cpuMs * 1000) / webhooks).toFixed(0)} µs per webhook (${(cpuMs / 10 / seconds).toFixed(0)} % of a core); CPU stolen by other guests: ${stolenSince(machineBefore)}`);
  // The event loop is the bottleneck: what the main thread spends per webhook bounds the rate.
  console.log(`  of which its main thread: ${((mainThreadMs * 1000) / webhooks).toFixed(0)} µs per webhook (${(mainThreadMs / 10 / seconds).toFixed(0)} % of a core)`);
  await drain(setup, warmUp + webhooks);
}

/**
 * Waits until the backlog the ingest created has been answered and its replies sent, so it does
 * not skew the latency run: the last chats' replies still wait for their send slots (paced at
 * 1,000/min) well after their agent calls.
 */
async function drain(setup: Setup, webhooks: number): Promise<void> {
  const deadline = Date.now() + 900_000;
  const replies = () => setup.evolution.requestsTo('sendText').length;
  while ((setup.agent.requests.length < webhooks || replies() < webhooks) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`  backlog processed: ${setup.agent.requests.length} agent calls, ${replies()} replies sent`);
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

export function forgetRequests(setup: Setup): void {
  setup.agent.reset();
  setup.evolution.clearRequests();
}

/** Returning people write to the same chats again; a first message also creates the person (users and their ids). */
export const PEOPLE = { 'returning people': (i: number) => 800_000 + (i % 10), 'new people (first message)': (i: number) => 900_000 + i };

async function addedLatency(setup: Setup, floorDatabaseUrl: string): Promise<void> {
  const floor = await prepareFloor(floorDatabaseUrl);
  try {
    await warmUp(floor, WARM_UP_WEBHOOKS);
    // Omni is warm from the ingest runs: only the returning people's chats are new to it.
    await warmUp(setup, 0);
    for (const [who, chatOf] of Object.entries(PEOPLE)) await measureLatency(setup, floor, who, chatOf);
  } finally {
    await stop(floor);
  }
}

/** Warms a server up (JIT, pools) with `webhooks` messages, and makes the returning people's chats known to it. */
export async function warmUp(setup: Setup, webhooks: number): Promise<void> {
  forgetRequests(setup);
  await pool(webhooks, 8, async (i) => void (await post(setup, bodyOf(i % 500, `warm ${i}`))));
  for (let i = 0; i < 10; i++) await post(setup, bodyOf(PEOPLE['returning people'](i), `hello ${i}`));
  await drain(setup, webhooks + 10);
}

/** Omni and the floor take turns, message by message, so both are timed on the same machine. */
async function measureLatency(setup: Setup, floor: Setup, who: string, chatOf: (i: number) => number): Promise<void> {
  forgetRequests(setup);
  forgetRequests(floor);
  const omniTimes: AddedLatency[] = [];
  const floorTimes: AddedLatency[] = [];
  const machineBefore = machineCpu();
  const cpuBefore = setup.omni.cpuMs();
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    omniTimes.push(await messageLatency(setup, chatOf(i), `latency ${who} ${i}`));
    await pauseBetweenMessages();
    floorTimes.push(await messageLatency(floor, chatOf(i), `latency ${who} ${i}`));
    await pauseBetweenMessages();
  }
  const legs = (times: AddedLatency[]) => ({ toAgent: times.map((t) => t.toAgent), toSend: times.map((t) => t.toSend) });
  const omni = legs(omniTimes);
  const bare = legs(floorTimes);
  console.log(`\nOmni's added latency (${LATENCY_MESSAGES} messages from ${who}, one at a time; CPU stolen by other guests: ${stolenSince(machineBefore)}):`);
  console.log(`  webhook → agent request: p50 ${ms(percentile(omni.toAgent, 50))}, p99 ${ms(percentile(omni.toAgent, 99))}`);
  console.log(`  agent answer → Evolution send: p50 ${ms(percentile(omni.toSend, 50))}, p99 ${ms(percentile(omni.toSend, 99))}`);
  // A whole message's work (recording, agent call, reply, trace), done on a machine that idles between messages.
  console.log(`  Omni's CPU per message: ${(((setup.omni.cpuMs() - cpuBefore) * 1000) / LATENCY_MESSAGES).toFixed(0)} µs`);
  // What the hops alone cost here (process wake-ups, sockets, one commit): the part of the figures above no hub's code can save.
  console.log(`  the machine's floor (a bare server in turn with Omni: webhook → one insert → agent → send), webhook → agent: p50 ${ms(percentile(bare.toAgent, 50))}, p99 ${ms(percentile(bare.toAgent, 99))}; answer → send: p50 ${ms(percentile(bare.toSend, 50))}, p99 ${ms(percentile(bare.toSend, 99))}`);
}

export interface AddedLatency {
  /** From posting the webhook to the agent server receiving its request, in ms. */
  toAgent: number;
  /** From the agent server's answer to Evolution receiving the reply, in ms. */
  toSend: number;
}

/** Posts one message to a chat and times Omni's two legs of its journey. */
export async function messageLatency(setup: Setup, chat: number, text: string): Promise<AddedLatency> {
  const body = bodyOf(chat, text);
  const sentAt = performance.now();
  await post(setup, body);
  const agentCall = await waitFor(() => setup.agent.requests.find((r) => r.fields.message === text));
  const send = await waitFor(() => setup.evolution.requestsTo('sendText').find((r) => (r.body as { text: string }).text === `echo: ${text}`));
  return { toAgent: agentCall.arrivedAt - sentAt, toSend: send.arrivedAt - (agentCall.answeredAt ?? agentCall.arrivedAt) };
}

/** Messages one at a time, apart: the machine idles between them, as it does for a real person's. */
export const pauseBetweenMessages = () => new Promise((resolve) => setTimeout(resolve, 70));

async function waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting for the fakes');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
