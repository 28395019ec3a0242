import { postWebhook, evolutionEnvelope } from '../fakes/evolution-events';
import { EVOLUTION_GLOBAL_KEY } from '../support/instance-bodies';
import { closedPortUrl, Problem, SECRET_HEADER, startWhatsAppHarness, WhatsAppHarness } from './whatsapp-harness';

const EVENTS = ['MESSAGES_UPSERT', 'MESSAGES_UPDATE', 'SEND_MESSAGE', 'CONNECTION_UPDATE', 'QRCODE_UPDATED'];

describe('WhatsApp instances on Evolution', () => {
  let h: WhatsAppHarness;

  beforeAll(async () => {
    h = await startWhatsAppHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.evolution.clearRequests());

  it('creates the instance on Evolution, points its webhook at Omni with a secret header, and stores the instance token', async () => {
    const created = await h.api<Record<string, unknown>>('POST', '/api/v1/instances', { body: h.body({ name: 'shop-bot' }) });
    expect(created.status).toBe(201);

    const [create] = h.evolution.requestsTo('createInstance');
    expect(create.headers.apikey).toBe(EVOLUTION_GLOBAL_KEY);
    const url = `${h.omni.url}/webhook/evolution/shop-bot`;
    const secret = h.lastWebhookSet('shop-bot').body.webhook.headers[SECRET_HEADER];
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(create.body).toMatchObject({
      instanceName: 'shop-bot',
      integration: 'WHATSAPP-BAILEYS',
      qrcode: true,
      webhook: { url, events: EVENTS, base64: true, byEvents: false, headers: { [SECRET_HEADER]: secret } },
    });
    const token = h.evolution.instance('shop-bot')!.token;
    const webhookSet = h.lastWebhookSet('shop-bot');
    expect(webhookSet.headers.apikey).toBe(token);
    expect(webhookSet.body.webhook).toEqual({
      enabled: true,
      url,
      events: EVENTS,
      base64: true,
      byEvents: false,
      headers: { [SECRET_HEADER]: secret },
    });

    const row = await h.row('shop-bot');
    expect(row).toMatchObject({ evolution_key: token, webhook_secret: secret, connection_state: 'connecting' });
    expect(Boolean(row!.is_active)).toBe(true);
    expect(created.body).toMatchObject({ evolution_key_set: true, webhook_secret_set: true, is_active: true });

    const views = [created, await h.api('GET', '/api/v1/instances'), await h.api('GET', '/api/v1/instances/shop-bot?include_status=true')];
    for (const view of views) {
      for (const hidden of [secret, token, EVOLUTION_GLOBAL_KEY]) expect(view.text).not.toContain(hidden);
    }
  });

  it('lets Evolution deliver webhooks with that secret, and only with it', async () => {
    await h.createInstance('webhook-bot');
    const secret = h.lastWebhookSet('webhook-bot').body.webhook.headers[SECRET_HEADER];
    const envelope = evolutionEnvelope('connection.update', { instance: 'webhook-bot', apikey: null });
    const accepted = await postWebhook(h.omni.url, 'webhook-bot', envelope, { headers: { [SECRET_HEADER]: secret } });
    expect(accepted.status).toBe(200);
    const refused = await postWebhook(h.omni.url, 'webhook-bot', envelope, { headers: { [SECRET_HEADER]: 'not-the-secret' } });
    expect(refused.status).toBe(401);
  });

  it('passes the creation-only options: pairing number, no first QR, integration', async () => {
    await h.createInstance('paired-bot', { phone_number: '+55 11 99999-0001', auto_qr: false, integration: 'WHATSAPP-BUSINESS' });
    const [create] = h.evolution.requestsTo('createInstance');
    expect(create.body).toMatchObject({
      instanceName: 'paired-bot',
      number: '5511999990001',
      qrcode: false,
      integration: 'WHATSAPP-BUSINESS',
    });
  });

  it('adopts an instance that already exists on Evolution (403 name in use), with its token and owner', async () => {
    const existing = h.evolution.addInstance('existing-bot', { profileName: 'Loja Existente' });
    await h.createInstance('existing-bot');
    expect(h.evolution.requestsTo('createInstance')[0]).toBeDefined();
    expect(h.evolution.requestsTo('fetchInstances')).toHaveLength(1);
    expect(h.lastWebhookSet('existing-bot').headers.apikey).toBe(existing.token);
    expect(await h.row('existing-bot')).toMatchObject({
      evolution_key: existing.token,
      owner_jid: existing.ownerJid,
      profile_name: 'Loja Existente',
      connection_state: 'open',
    });
  });

  it("adopts an instance when the key given is the instance's own token (it may not create instances)", async () => {
    const existing = h.evolution.addInstance('token-bot');
    await h.createInstance('token-bot', { evolution_key: existing.token });
    expect(h.evolution.requestsTo('createInstance')).toHaveLength(1);
    expect((await h.row('token-bot'))!.evolution_key).toBe(existing.token);
    expect(h.evolution.instance('token-bot')!.webhook!.url).toBe(`${h.omni.url}/webhook/evolution/token-bot`);
  });

  it('answers 422 with Evolution\'s reason when Evolution refuses, and keeps no instance', async () => {
    const envelope = { status: 400, error: 'Bad Request', response: { message: ['Invalid integration'] } };
    h.evolution.failNext('createInstance', [{ status: 400, body: envelope }]);
    const refused = await h.api<Problem>('POST', '/api/v1/instances', { body: h.body({ name: 'refused-bot' }) });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toContain('Invalid integration');
    expect(await h.row('refused-bot')).toBeUndefined();

    const wrongKey = await h.api<Problem>('POST', '/api/v1/instances', {
      body: h.body({ name: 'wrong-key-bot', evolution_key: 'not-a-key-0000' }),
    });
    expect(wrongKey.status).toBe(422);
    expect(wrongKey.body.detail).toContain('Unauthorized');
    expect(wrongKey.text).not.toContain('not-a-key-0000');
    expect(await h.row('wrong-key-bot')).toBeUndefined();
  });

  it('answers 502 when Evolution cannot be reached or keeps failing, and keeps no instance', async () => {
    const unreachable = await h.api<Problem>('POST', '/api/v1/instances', {
      body: h.body({ name: 'far-bot', evolution_url: await closedPortUrl() }),
    });
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.detail).toContain('did not answer');
    expect(await h.row('far-bot')).toBeUndefined();

    h.evolution.failNext('createInstance', [{ status: 503 }, { status: 503 }]);
    const failing = await h.api<Problem>('POST', '/api/v1/instances', { body: h.body({ name: 'failing-bot' }) });
    expect(failing.status).toBe(502);
    expect(failing.body.detail).toContain('HTTP 503');
    expect(await h.row('failing-bot')).toBeUndefined();

    h.evolution.failNext('setWebhook', [{ status: 500 }, { status: 500 }]);
    const noWebhook = await h.api('POST', '/api/v1/instances', { body: h.body({ name: 'no-webhook-bot' }) });
    expect(noWebhook.status).toBe(502);
    expect(await h.row('no-webhook-bot')).toBeUndefined();
    // Created on Evolution before the webhook failed: a retry adopts it.
    expect((await h.api('POST', '/api/v1/instances', { body: h.body({ name: 'no-webhook-bot' }) })).status).toBe(201);
  });

  it('sets the webhook again, with the same secret, when the Evolution settings change, and only then', async () => {
    await h.createInstance('moving-bot');
    const secret = (await h.row('moving-bot'))!.webhook_secret;
    h.evolution.clearRequests();

    await h.api('PUT', '/api/v1/instances/moving-bot', { body: { agent_timeout: 30 } });
    expect(h.evolution.requestsTo('setWebhook')).toHaveLength(0);

    const updated = await h.api('PUT', '/api/v1/instances/moving-bot', { body: { webhook_base64: false } });
    expect(updated.status).toBe(200);
    expect(h.lastWebhookSet('moving-bot').body.webhook).toMatchObject({ base64: false, headers: { [SECRET_HEADER]: secret } });
    expect((await h.row('moving-bot'))!.webhook_secret).toBe(secret);

    h.evolution.failNext('setWebhook', [{ status: 500 }, { status: 500 }]);
    const down = await h.api<Problem>('PUT', '/api/v1/instances/moving-bot', { body: { webhook_base64: true } });
    expect(down.status).toBe(502);
    expect(down.body.detail).toContain('the new settings are saved');
  });

  it('deletes the instance on Evolution with it, and still deletes it when Evolution is gone', async () => {
    await h.createInstance('leaving-bot');
    const deleted = await h.api('DELETE', '/api/v1/instances/leaving-bot');
    expect(deleted.status).toBe(200);
    expect(h.evolution.requestsTo('deleteInstance').map((r) => r.instance)).toEqual(['leaving-bot']);
    expect(h.evolution.instance('leaving-bot')).toBeUndefined();

    await h.createInstance('orphan-bot');
    h.evolution.failNext('deleteInstance', [{ status: 503 }, { status: 503 }]);
    expect((await h.api('DELETE', '/api/v1/instances/orphan-bot')).status).toBe(200);
    expect(await h.row('orphan-bot')).toBeUndefined();
  });

  it("shows Evolution's live state, mapped as the original does, with include_status", async () => {
    await h.createInstance('status-bot');
    const connecting = await h.api<{ evolution_status: { state: string } }>('GET', '/api/v1/instances/status-bot?include_status=true');
    expect(connecting.body.evolution_status).toMatchObject({ state: 'connecting' });
    h.evolution.setState('status-bot', 'open');
    const open = await h.api<{ evolution_status: { state: string } }>('GET', '/api/v1/instances/status-bot?include_status=true');
    expect(open.body.evolution_status).toMatchObject({ state: 'connected' });
  });
});
