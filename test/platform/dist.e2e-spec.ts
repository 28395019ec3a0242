// Black-box checks of the built server: what an operator sees when starting it, and the
// OpenAPI document clients are generated from (the Swagger CLI plugin runs only in `nest build`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeEvolutionServer } from '../fakes/fake-evolution.server';
import { apiClient } from '../support/api-client';
import { DistProcess, startDist } from '../support/dist-process';
import { EVOLUTION_GLOBAL_KEY, whatsappInstance } from '../support/instance-bodies';
import { createTestDatabase, TestDatabase } from '../support/test-database';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe('The built server', () => {
  let server: DistProcess;
  let database: TestDatabase;
  let adminKey: string;
  // Creating a WhatsApp instance creates it on its Evolution server.
  const evolution = new FakeEvolutionServer({ apiKey: EVOLUTION_GLOBAL_KEY });

  beforeAll(async () => {
    await evolution.start();
    database = await createTestDatabase();
    server = await startDist({ NODE_ENV: 'production', LOG_LEVEL: 'info', ...database.env });
    adminKey = /store it: (omni_[\w-]+)/.exec(server.output())?.[1] ?? '';
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await evolution.stop();
  });

  it('prints a generated admin key once when none is configured, and that key works', async () => {
    expect(adminKey).toMatch(/^omni_/);
    expect(server.output().split(adminKey)).toHaveLength(2);
    const listed = await apiClient(server.url)('GET', '/api/v1/instances', { key: adminKey });
    expect(listed.status).toBe(200);
  });

  it('serves Swagger UI and exactly the committed openapi.json', async () => {
    const ui = await fetch(`${server.url}/api/v1/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const served = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    const committed = JSON.parse(readFileSync(path.resolve(__dirname, '../../openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it('documents every operation: unique operationId, summary, tag, security and error answers', async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route, method, operation })),
    );
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { route, operation } of operations) {
      expect({ route, summary: Boolean(operation.summary), tags: operation.tags?.length }).toEqual({
        route,
        summary: true,
        tags: 1,
      });
      if (route.startsWith('/api/v1/')) {
        expect({ route, security: operation.security }).toEqual({ route, security: expect.any(Array) });
        expect({ route, has401: '401' in operation.responses }).toEqual({ route, has401: true });
      }
    }
  });

  it('never writes a secret into its log', async () => {
    const api = apiClient(server.url);
    const created = await api('POST', '/api/v1/instances', {
      key: adminKey,
      body: whatsappInstance({ name: 'log-check' }, evolution),
      headers: { authorization: 'Bearer should-not-appear-0000', 'x-request-id': 'operator-req-42' },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(created.status).toBe(201);
    const onEvolution = evolution.instance('log-check')!;
    const webhookSecret = onEvolution.webhook!.headers['x-omni-webhook-secret'];
    for (const secret of ['evolution-secret-key-abc', 'agent-secret-key-xyz', 'should-not-appear-0000', onEvolution.token, webhookSecret]) {
      expect(server.output()).not.toContain(secret);
    }
    // The caller's request id is echoed and ties the log line to the request.
    expect(server.output()).toContain('"id":"operator-req-42"');
  });
});
