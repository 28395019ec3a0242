// Omni on a real port and database with a fake Evolution server on loopback, for the WhatsApp
// instance, sending and directory suites. Everything goes through the real API and sockets.
import { FakeEvolutionServer, RecordedRequest } from '../fakes/fake-evolution.server';
import { Api, apiClient } from '../support/api-client';
import { EVOLUTION_GLOBAL_KEY, whatsappInstance } from '../support/instance-bodies';
import { freePort } from '../support/free-port';
import { createTestApp, TestApp } from '../support/test-app';

export const SECRET_HEADER = 'x-omni-webhook-secret';

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; messages: string[] }[];
}

export const fieldsOf = (problem: Problem): string[] => (problem.errors ?? []).map((error) => error.field);

export interface InstanceRow {
  id: string;
  name: string;
  evolution_key: string | null;
  webhook_secret: string | null;
  is_active: boolean | number;
  connection_state: string | null;
  owner_jid: string | null;
  profile_name: string | null;
}

export interface WhatsAppHarness {
  omni: TestApp;
  api: Api;
  evolution: FakeEvolutionServer;
  /** A body for an instance on the fake Evolution server. */
  body(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Creates a WhatsApp instance through the API (admin key unless `key`); fails the test if refused. */
  createInstance(name: string, overrides?: Record<string, unknown>, key?: string): Promise<Record<string, unknown>>;
  row(name: string): Promise<InstanceRow | undefined>;
  /** The webhook/set body Evolution last received for an instance. */
  lastWebhookSet(name: string): RecordedRequest & { body: { webhook: Record<string, unknown> & { headers: Record<string, string> } } };
  close(): Promise<void>;
}

export async function startWhatsAppHarness(): Promise<WhatsAppHarness> {
  // Sends and presences answer at once: tests assert what is sent, not how long Evolution waits.
  const evolution = new FakeEvolutionServer({ apiKey: EVOLUTION_GLOBAL_KEY, presenceRealDelay: false, sendRealDelay: false });
  await evolution.start();
  const omni = await createTestApp();
  const api = apiClient(omni.url);
  const body = (overrides: Record<string, unknown> = {}) => whatsappInstance(overrides, evolution);
  return {
    omni,
    api,
    evolution,
    body,
    async createInstance(name, overrides = {}, key) {
      const created = await api<Record<string, unknown>>('POST', '/api/v1/instances', { key, body: body({ name, ...overrides }) });
      if (created.status !== 201) throw new Error(`instance ${name} not created: ${created.status} ${created.text}`);
      return created.body;
    },
    async row(name) {
      const [row] = await omni.query<InstanceRow>('SELECT * FROM instance_configs WHERE name = $1', [name]);
      return row;
    },
    lastWebhookSet(name) {
      const request = evolution.requestsTo('setWebhook').filter((r) => r.instance === name).pop();
      if (!request) throw new Error(`no webhook/set for ${name}`);
      return request as ReturnType<WhatsAppHarness['lastWebhookSet']>;
    },
    async close() {
      await omni.close();
      await evolution.stop();
    },
  };
}

/** An Evolution URL where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}
