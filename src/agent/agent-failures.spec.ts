import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  AgentHarness,
  anaRequest,
  FAKE_AGENT_KEY,
  hiveTarget,
  startAgentHarness,
} from '../../test/fakes/fake-agent/agent-harness';
import { AgentError, AgentTarget } from './agent.types';

const HIVE_FIXTURES = join(__dirname, '../../../shared/fixtures/hive');

function hiveFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(HIVE_FIXTURES, name), 'utf8'));
}

async function failureOf(promise: Promise<unknown>): Promise<AgentError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AgentError)) throw new Error(`expected an AgentError, got ${String(error)}`);
  return error;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('AgentService failures', () => {
  let harness: AgentHarness;
  const target = (overrides: Partial<AgentTarget> = {}) => hiveTarget(harness.baseUrl, overrides);

  beforeAll(async () => {
    harness = await startAgentHarness();
  });
  afterEach(() => harness.fake.reset());
  afterAll(() => harness.close());

  describe('failed runs', () => {
    it('turns a RunError in the middle of a 200 stream into run_error, after the first words', async () => {
      harness.fake.failWith = 'stream-error';
      const deltas: string[] = [];

      const error = await failureOf(
        harness.service.run(target({ stream: true }), anaRequest(), { onText: (delta) => deltas.push(delta) }),
      );

      expect(error.kind).toBe('run_error');
      expect(error.message).toContain('Rate limit reached for gpt-4.1-mini');
      expect(deltas).toHaveLength(1);
    });

    it.each(['team', 'workflow'] as const)('turns a failed %s stream into run_error', async (agentType) => {
      harness.fake.failWith = 'stream-error';
      const agentId = agentType === 'team' ? 'suporte' : 'onboarding';

      const error = await failureOf(harness.service.run(target({ stream: true, agentType, agentId }), anaRequest()));

      expect(error).toMatchObject({ kind: 'run_error', message: expect.stringContaining('Rate limit') });
    });

    it('turns a RunOutput with status ERROR into run_error', async () => {
      harness.fake.failWith = 'stream-error';

      const error = await failureOf(harness.service.run(target(), anaRequest()));

      expect(error).toMatchObject({ kind: 'run_error', message: expect.stringContaining('Rate limit') });
    });
  });

  describe('HTTP errors', () => {
    it('reports a wrong key as http 401 with the server detail, never the key', async () => {
      const error = await failureOf(harness.service.run(target({ apiKey: 'wrong-key' }), anaRequest()));

      expect(error).toMatchObject({ kind: 'http', status: 401, message: 'Invalid authentication token' });
      expect(error.body).toEqual(hiveFixture('error.401.json'));
    });

    it('reports an unknown agent as http 404', async () => {
      const error = await failureOf(harness.service.run(target({ agentId: 'nobody', stream: true }), anaRequest()));

      expect(error).toMatchObject({ kind: 'http', status: 404, message: 'Agent not found' });
    });

    it("summarises FastAPI's 422 validation detail", async () => {
      harness.fake.failWith = { status: 422, body: hiveFixture('error.422.json') };

      const error = await failureOf(harness.service.run(target(), anaRequest()));

      expect(error).toMatchObject({ kind: 'http', status: 422, message: 'message: Field required' });
      expect(error.body).toEqual(hiveFixture('error.422.json'));
    });

    it('masks the key when a server echoes it back', async () => {
      harness.fake.failWith = { status: 500, body: { detail: `bad header X-API-Key: ${FAKE_AGENT_KEY}` } };

      const error = await failureOf(harness.service.run(target(), anaRequest()));

      expect(error).toMatchObject({ kind: 'http', status: 500, message: 'bad header X-API-Key: ***' });
    });

    it('reports a body that is no run as a protocol error', async () => {
      harness.fake.failWith = { status: 200, body: 'surprise' };

      await expect(harness.service.run(target(), anaRequest())).rejects.toMatchObject({ kind: 'protocol' });
    });

    it('fails only the queued calls, then answers again', async () => {
      const unavailable = { status: 503, body: { detail: 'Service Unavailable' } };
      harness.fake.enqueue({ failWith: unavailable }, { failWith: unavailable });
      const attempt = () => harness.service.run(target(), anaRequest());

      await expect(attempt()).rejects.toMatchObject({ kind: 'http', status: 503 });
      await expect(attempt()).rejects.toMatchObject({ kind: 'http', status: 503 });
      await expect(attempt()).resolves.toMatchObject({ text: expect.stringContaining('echo:') });
    });
  });

  describe('the fake answers like AgentOS', () => {
    it("rejects a JSON body with FastAPI's 422, since runs are forms", async () => {
      const response = await fetch(`${harness.baseUrl}/agents/atendimento/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${FAKE_AGENT_KEY}` },
        body: JSON.stringify({ message: 'oi' }),
      });

      expect(response.status).toBe(422);
      expect(await response.json()).toEqual(hiveFixture('error.422.json'));
    });

    it('asks for the bearer token before anything else', async () => {
      const response = await fetch(`${harness.baseUrl}/agents/nobody/runs`, { method: 'POST' });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ detail: 'Authorization header required' });
    });
  });

  describe('deadlines and connections', () => {
    it('gives up on a server that never answers after timeoutMs', async () => {
      harness.fake.failWith = 'hang';
      const started = Date.now();

      const error = await failureOf(harness.service.run(target({ timeoutMs: 300 }), anaRequest()));

      expect(error.kind).toBe('timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('bounds the whole stream, not just the wait for headers', async () => {
      // The stream opens at once, then stalls for seconds between events.
      harness.fake.streamChunkDelayMs = 5000;
      const started = Date.now();

      const error = await failureOf(harness.service.run(target({ stream: true, timeoutMs: 300 }), anaRequest()));

      expect(error.kind).toBe('timeout');
      expect(harness.fake.requests).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it("stops when the caller's signal aborts", async () => {
      harness.fake.failWith = 'hang';
      const controller = new AbortController();
      const run = failureOf(harness.service.run(target(), anaRequest(), { signal: controller.signal }));
      const [call] = await harness.fake.waitForRequests(1);

      controller.abort();

      expect(await run).toMatchObject({ kind: 'timeout', message: 'Agent run was aborted by the caller' });
      expect(Date.now() - call.receivedAt).toBeLessThan(1000);
    });

    it('reports a refused connection as network', async () => {
      const port = await closedPort();

      const error = await failureOf(harness.service.run(target({ apiUrl: `http://127.0.0.1:${port}` }), anaRequest()));

      expect(error).toMatchObject({ kind: 'network', message: 'Agent server unreachable (ECONNREFUSED)' });
    });
  });
});
