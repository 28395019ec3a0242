// A whole conversation setup: Omni on a real port and database, a fake Evolution server and a
// fake agent server on loopback, and a WhatsApp instance wired to both through the real API.
import { FakeAgentServer } from '../fakes/fake-agent.server';
import { EnvelopeOverrides, EvolutionEventFixture, evolutionEnvelope, postWebhook } from '../fakes/evolution-events';
import { FakeEvolutionServer } from '../fakes/fake-evolution.server';
import { Api, apiClient } from './api-client';
import { whatsappInstance } from './instance-bodies';
import { createTestApp, TestApp } from './test-app';

export const ANA_JID = '5511988880001@s.whatsapp.net';
export const ANA_LID = '187654321098765@lid';
export const OWNER_JID = '5511900000001@s.whatsapp.net';
export const OWNER_LID = '210987654321098@lid';
export const GROUP_JID = '120363000000000001@g.us';

export interface ConversationHarness {
  omni: TestApp;
  api: Api;
  evolution: FakeEvolutionServer;
  agent: FakeAgentServer;
  /** Creates a WhatsApp instance on the fakes; returns its webhook secret. */
  createInstance(name: string, settings?: Record<string, unknown>): Promise<string>;
  /** Posts a fixture event as Evolution would, with the instance's secret header. */
  post(instance: string, fixture: EvolutionEventFixture, overrides?: EnvelopeOverrides, options?: { suffix?: string | true; secret?: string }): Promise<Response>;
  /** The webhook secret Omni configured on Evolution for an instance. */
  secret(instance: string): string;
  /** Waits until the trace reaches a final status; returns its row. */
  settled(traceId: string, timeoutMs?: number): Promise<TraceRow>;
  /** Stops Omni (as in a deploy) and starts it again on the same database. */
  restart(): Promise<void>;
  /** Starts a second Omni (a replica) on the same database; the caller closes it. */
  startReplica(): Promise<TestApp>;
  close(): Promise<void>;
}

export interface TraceRow {
  trace_id: string;
  status: string;
  error_stage: string | null;
  error_message: string | null;
  session_name: string | null;
  sender_phone: string | null;
  user_id: string | null;
  blocking_reason: string | null;
  [column: string]: unknown;
}

const FINAL = new Set(['completed', 'failed', 'blocked', 'ignored', 'invalid']);

export async function startConversationHarness(env: Record<string, string> = {}): Promise<ConversationHarness> {
  const evolution = new FakeEvolutionServer({ presenceRealDelay: false, sendRealDelay: false });
  const agent = new FakeAgentServer();
  const [evolutionUrl, agentUrl] = await Promise.all([evolution.start(), agent.start()]);
  const appEnv = { AUTOMAGIK_OMNI_TYPING_DELAY_MAX_MS: '20', ...env };
  const omni = await createTestApp({ env: appEnv });
  const api = apiClient(omni.url);
  const secrets = new Map<string, string>();

  const harness: ConversationHarness = {
    omni,
    api,
    evolution,
    agent,
    async createInstance(name, settings = {}) {
      const created = await harness.api('POST', '/api/v1/instances', {
        body: whatsappInstance({
          name,
          evolution_url: evolutionUrl,
          evolution_key: evolution.globalApiKey,
          agent_api_url: agentUrl,
          agent_instance_type: 'hive',
          agent_id: 'atendimento',
          // Tests that are not about the send budget should not wait for it.
          send_rate_per_minute: 1000,
          send_min_gap_ms: 0,
          ...settings,
        }),
      });
      if (created.status !== 201) throw new Error(`instance not created: ${created.status} ${created.text}`);
      const webhookSet = evolution.requestsTo('setWebhook').filter((r) => r.instance === name).pop();
      const secret = (webhookSet?.body as { webhook: { headers: Record<string, string> } }).webhook.headers['x-omni-webhook-secret'];
      secrets.set(name, secret);
      await harness.post(name, 'connection.update');
      return secret;
    },
    secret: (instance) => secrets.get(instance) ?? '',
    post(instance, fixture, overrides = {}, options = {}) {
      const envelope = evolutionEnvelope(fixture, { instance, ...overrides });
      const secret = options.secret ?? secrets.get(instance) ?? '';
      return postWebhook(harness.omni.url, instance, envelope, { suffix: options.suffix, headers: { 'x-omni-webhook-secret': secret } });
    },
    async settled(traceId, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await harness.omni.query<TraceRow>('SELECT * FROM message_traces WHERE trace_id = $1', [traceId]);
        if (row && FINAL.has(row.status)) return row;
        if (Date.now() > deadline) throw new Error(`trace ${traceId} still ${row?.status} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    startReplica: () => createTestApp({ env: appEnv, database: harness.omni.database }),
    async restart() {
      const database = harness.omni.database;
      await harness.omni.close({ keepDatabase: true });
      harness.omni = await createTestApp({ env: appEnv, database });
      harness.api = apiClient(harness.omni.url);
    },
    async close() {
      await harness.omni.close();
      await Promise.all([evolution.stop(), agent.stop()]);
    },
  };
  return harness;
}

/** The trace id Omni answered a webhook with. */
export async function traceIdOf(response: Response): Promise<string> {
  const body = (await response.json()) as { trace_id?: string };
  if (!body.trace_id) throw new Error(`no trace_id in ${JSON.stringify(body)}`);
  return body.trace_id;
}
