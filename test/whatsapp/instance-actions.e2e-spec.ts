import { FakeEvolutionServer } from '../fakes/fake-evolution.server';
import { discordInstance, EVOLUTION_GLOBAL_KEY } from '../support/instance-bodies';
import { closedPortUrl, Problem, startWhatsAppHarness, WhatsAppHarness } from './whatsapp-harness';

interface ActionAnswer {
  message: string;
  result?: Record<string, unknown>;
}

describe('WhatsApp instance actions', () => {
  let h: WhatsAppHarness;
  const action = (name: string, verb: string) => h.api<ActionAnswer & Problem>('POST', `/api/v1/instances/${name}/${verb}`);
  const isActive = async (name: string) => Boolean((await h.row(name))!.is_active);

  beforeAll(async () => {
    h = await startWhatsAppHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.evolution.clearRequests());

  it('gives the QR code to scan, or says there is none to scan once connected', async () => {
    await h.createInstance('qr-bot');
    const qr = await h.api<Record<string, unknown>>('GET', '/api/v1/instances/qr-bot/qr');
    expect(qr.status).toBe(200);
    expect(qr.body).toMatchObject({ instance_name: 'qr-bot', channel_type: 'whatsapp', status: 'success', invite_url: null });
    expect(qr.body.qr_code).toMatch(/^data:image\/png;base64,/);
    expect(h.evolution.requestsTo('connect').map((r) => r.instance)).toEqual(['qr-bot']);

    h.evolution.setState('qr-bot', 'open');
    const connected = await h.api<Record<string, unknown>>('GET', '/api/v1/instances/qr-bot/qr');
    expect(connected.body).toMatchObject({ status: 'unavailable', qr_code: null, message: expect.stringContaining('Already connected') });
  });

  it("reports the connection status as the original's ConnectionStatus, and remembers it", async () => {
    await h.createInstance('state-bot');
    const connecting = await h.api('GET', '/api/v1/instances/state-bot/status');
    expect(connecting.body).toEqual({
      instance_name: 'state-bot',
      channel_type: 'whatsapp',
      status: 'connecting',
      channel_data: { evolution_state: 'connecting', evolution_data: { instance: { instanceName: 'state-bot', state: 'connecting' } } },
      circuit: { state: 'closed', open_until: null, consecutive_failures: 0 },
    });
    h.evolution.setState('state-bot', 'open');
    expect((await h.api<{ status: string }>('GET', '/api/v1/instances/state-bot/status')).body.status).toBe('connected');
    expect((await h.row('state-bot'))!.connection_state).toBe('open');
  });

  it('connects (a QR code is then ready) and disconnects (logs out), keeping is_active in step', async () => {
    await h.createInstance('session-bot');
    h.evolution.setState('session-bot', 'close');
    await action('session-bot', 'disconnect');

    const connected = await action('session-bot', 'connect');
    expect(connected.status).toBe(200);
    expect(connected.body.message).toContain('scan the QR code');
    expect(await isActive('session-bot')).toBe(true);
    expect((await h.row('session-bot'))!.connection_state).toBe('connecting');

    h.evolution.setState('session-bot', 'open');
    const disconnected = await action('session-bot', 'disconnect');
    expect(disconnected.status).toBe(200);
    expect(disconnected.body.message).toBe("Instance 'session-bot' disconnected successfully");
    expect(h.evolution.requestsTo('logout')).toHaveLength(2);
    expect(await isActive('session-bot')).toBe(false);

    const again = await action('session-bot', 'disconnect');
    expect(again.status).toBe(200);
    expect(again.body.message).toContain('was not connected');
  });

  it('restarts with a POST on Evolution, and answers 409 when the instance is not connected', async () => {
    await h.createInstance('restart-bot');
    h.evolution.setState('restart-bot', 'open');
    const restarted = await action('restart-bot', 'restart');
    expect(restarted.status).toBe(200);
    expect(restarted.body.message).toBe("Instance 'restart-bot' restart initiated");
    expect(h.evolution.requestsTo('restart').map((r) => r.method)).toEqual(['POST']);
    expect(await isActive('restart-bot')).toBe(true);

    h.evolution.setState('restart-bot', 'close');
    const refused = await action('restart-bot', 'restart');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('is not connected');
  });

  it('logs out (a new QR scan is needed), and answers 409 when there is no session', async () => {
    await h.createInstance('logout-bot');
    h.evolution.setState('logout-bot', 'open');
    const loggedOut = await action('logout-bot', 'logout');
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.body).toMatchObject({ message: "Instance 'logout-bot' logged out successfully", result: { status: 'SUCCESS' } });
    expect(await isActive('logout-bot')).toBe(false);
    expect((await h.row('logout-bot'))!.connection_state).toBe('close');

    const refused = await action('logout-bot', 'logout');
    expect(refused.status).toBe(409);
  });

  it('answers 404 when Evolution no longer has the instance, and 502 when Evolution is unreachable', async () => {
    await h.createInstance('gone-bot');
    await fetch(`${h.evolution.baseUrl}/instance/delete/gone-bot`, { method: 'DELETE', headers: { apikey: EVOLUTION_GLOBAL_KEY } });
    for (const [method, path] of [['GET', 'qr'], ['GET', 'status'], ['POST', 'restart'], ['POST', 'logout'], ['POST', 'connect']]) {
      const answer = await h.api<Problem>(method, `/api/v1/instances/gone-bot/${path}`);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body.detail).toContain('does not exist');
    }

    await h.createInstance('offline-bot');
    h.evolution.failNext('connectionState', [{ status: 0, dropConnection: true }, { status: 0, dropConnection: true }]);
    const unreachable = await h.api<Problem>('GET', '/api/v1/instances/offline-bot/status');
    expect(unreachable.status).toBe(502);
    expect(unreachable.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 422 for a Discord instance, whose actions are not supported yet', async () => {
    await h.api('POST', '/api/v1/instances', { body: discordInstance({ name: 'discord-actions' }) });
    for (const [method, path] of [['GET', 'qr'], ['GET', 'status'], ['POST', 'connect']]) {
      const answer = await h.api<Problem>(method, `/api/v1/instances/discord-actions/${path}`);
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toContain('not supported for discord instances yet');
    }
  });

  describe('discover', () => {
    const server = new FakeEvolutionServer({ apiKey: 'other-evolution-global-key' });
    const agentSettings = { agent_api_url: 'http://127.0.0.1:9', agent_api_key: 'agent-key', agent_id: 'assistant' };

    beforeAll(() => server.start());
    afterAll(() => server.stop());

    it('imports the instances Omni does not know yet, as they are, and only once', async () => {
      const centro = server.addInstance('Loja Centro', { profileName: 'Loja Centro' });
      server.addInstance('loja-norte', { state: 'close' });
      server.addInstance('Promo!!');
      const body = { evolution_url: server.baseUrl, evolution_key: server.globalApiKey, ...agentSettings };

      const first = await h.api<{ message: string; total_discovered: number; instances: Record<string, unknown>[] }>(
        'POST',
        '/api/v1/instances/discover',
        { body },
      );
      expect(first.status).toBe(200);
      expect(first.body.total_discovered).toBe(3);
      expect(first.body.instances).toEqual([
        expect.objectContaining({
          name: 'loja-centro',
          whatsapp_instance: 'Loja Centro',
          status: 'connected',
          imported: true,
          active: true,
        }),
        expect.objectContaining({ name: 'loja-norte', status: 'disconnected', imported: true, active: false }),
        expect.objectContaining({ whatsapp_instance: 'Promo!!', configured: false, imported: false, error: expect.any(String) }),
      ]);
      expect(await h.row('loja-centro')).toMatchObject({ evolution_key: centro.token, webhook_secret: null, profile_name: 'Loja Centro' });
      expect(server.requestsTo('setWebhook')).toHaveLength(0);
      expect(server.requestsTo('createInstance')).toHaveLength(0);
      expect(first.text).not.toContain(centro.token);

      type Discovered = { instances: { imported: boolean; configured: boolean }[] };
      const second = await h.api<Discovered>('POST', '/api/v1/instances/discover', { body });
      expect(second.body.instances.filter((i) => i.imported)).toHaveLength(0);
      expect(second.body.instances.filter((i) => i.configured)).toHaveLength(2);
    });

    it('answers 422 when Evolution refuses the key, 502 when it cannot be reached, 400 without agent settings', async () => {
      const wrongKey = await h.api<Problem>('POST', '/api/v1/instances/discover', {
        body: { evolution_url: server.baseUrl, evolution_key: 'wrong-key-000', ...agentSettings },
      });
      expect(wrongKey.status).toBe(422);
      const far = await h.api('POST', '/api/v1/instances/discover', {
        body: { evolution_url: await closedPortUrl(), evolution_key: 'k', ...agentSettings },
      });
      expect(far.status).toBe(502);
      const incomplete = await h.api<Problem>('POST', '/api/v1/instances/discover', { body: { evolution_url: server.baseUrl } });
      expect(incomplete.status).toBe(400);
      expect(incomplete.body.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['evolution_key', 'agent_api_url']));
    });
  });
});
