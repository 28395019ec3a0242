import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { FakeEvolutionServer } from '../../../test/fakes/fake-evolution.server';
import { evolutionEnvelope, loadEvolutionFixture, postWebhook } from '../../../test/fakes/evolution-events';
import { parseEvolutionEvent } from './evolution-event.parser';
import { EvolutionAttempt, EvolutionClient, EvolutionClientConfig, parseRetryAfter, retryDelayMs } from './evolution.client';
import { EvolutionError, evolutionErrorMessages } from './evolution-error';
import type { EvolutionConnection } from './evolution.types';

const INSTANCE = 'omni-test';
const TOKEN = 'B7E3C1A9-4D2F-4E8A-9C6B-5A1D3F7E2B90';
const SENT_ID = /^3EB0[0-9A-F]{18}$/;

function clientWith(config: Partial<EvolutionClientConfig> = {}): EvolutionClient {
  return new EvolutionClient({ retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, ...config });
}

async function failureOf(promise: Promise<unknown>): Promise<EvolutionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof EvolutionError)) throw new Error(`expected an EvolutionError, got ${String(error)}`);
  return error;
}

describe('EvolutionClient against the fake Evolution server', () => {
  let fake: FakeEvolutionServer;
  let conn: EvolutionConnection;
  let client: EvolutionClient;

  beforeEach(async () => {
    fake = new FakeEvolutionServer({ apiKey: 'global-test-key' });
    conn = { baseUrl: await fake.start(), apiKey: TOKEN };
    fake.addInstance(INSTANCE, { token: TOKEN });
    client = clientWith();
  });

  afterEach(() => fake.stop());

  describe('instance lifecycle', () => {
    const admin = () => ({ ...conn, apiKey: fake.globalApiKey });

    it('creates an instance with the nested webhook and returns its token and first QR', async () => {
      const request = { ...loadEvolutionFixture<{ instanceName: string }>('instance.create.request'), instanceName: 'omni-new' };
      const created = await client.createInstance(admin(), request);
      expect(created.instance).toMatchObject({ instanceName: 'omni-new', status: 'connecting' });
      expect(created.hash).toEqual(fake.instance('omni-new')?.token);
      expect(created.qrcode?.base64).toMatch(/^data:image\/png;base64,/);
      expect(fake.instance('omni-new')?.webhook).toMatchObject({ byEvents: false, base64: true });
    });

    it('refuses an existing name with 403', async () => {
      const error = await failureOf(client.createInstance(admin(), { instanceName: INSTANCE }));
      expect(error).toMatchObject({ failure: 'http', status: 403, messages: ['This name "omni-test" is already in use.'] });
    });

    it('connects: QR (or pairing code) while closed, state once open', async () => {
      fake.setState(INSTANCE, 'close');
      expect(await client.connect(conn, INSTANCE, '5511900000001')).toMatchObject({ pairingCode: 'WZYEH1YY', count: 1 });
      expect(fake.requestsTo('connect')[0].path).toBe('/instance/connect/omni-test');
      fake.setState(INSTANCE, 'open');
      expect(await client.connect(conn, INSTANCE)).toEqual({ instance: { instanceName: INSTANCE, state: 'open' } });
    });

    it('throws on connect answering HTTP 200 {error:true}, without retrying', async () => {
      fake.failNext('connect', [{ status: 200, body: { error: true, message: 'Instance is being restarted' } }]);
      const error = await failureOf(client.connect(conn, INSTANCE));
      expect(error).toMatchObject({ failure: 'refused', status: 200, messages: ['Instance is being restarted'] });
      expect(fake.requestsTo('connect')).toHaveLength(1);
    });

    it('reads the connection state and the instance list', async () => {
      expect(await client.connectionState(conn, INSTANCE)).toEqual({ instance: { instanceName: INSTANCE, state: 'open' } });
      const [listed] = await client.fetchInstances(conn, INSTANCE);
      expect(listed).toMatchObject({ name: INSTANCE, connectionStatus: 'open', ownerJid: '5511900000001@s.whatsapp.net', token: TOKEN });
      expect(fake.requestsTo('fetchInstances')[0].path).toBe('/instance/fetchInstances');
    });

    it('lists only its own instance with an instance token', async () => {
      fake.addInstance('other');
      expect((await client.fetchInstances(conn)).map((instance) => instance.name)).toEqual([INSTANCE]);
      expect(await client.fetchInstances(admin())).toHaveLength(2);
    });

    it('restarts with POST and throws when the instance is closed', async () => {
      await expect(client.restart(conn, INSTANCE)).resolves.toEqual({ instance: { instanceName: INSTANCE, state: 'open' } });
      expect(fake.requestsTo('restart')[0].method).toBe('POST');
      fake.setState(INSTANCE, 'close');
      expect(await failureOf(client.restart(conn, INSTANCE))).toMatchObject({ failure: 'refused' });
    });

    it('logs out and deletes', async () => {
      expect(await client.logout(conn, INSTANCE)).toEqual(loadEvolutionFixture('instance.logout.response'));
      expect(await client.deleteInstance(conn, INSTANCE)).toEqual(loadEvolutionFixture('instance.delete.response'));
      expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'DELETE /instance/logout/omni-test',
        'DELETE /instance/delete/omni-test',
      ]);
      expect(fake.instance(INSTANCE)).toBeUndefined();
    });

    it('sets the webhook with the nested body and always sends events', async () => {
      const settings = { url: 'http://omni.local/webhook/evolution/omni-test', headers: { 'x-omni-webhook-secret': 's' }, byEvents: true, base64: true, events: [] };
      const record = await client.setWebhook(conn, INSTANCE, settings);
      expect(fake.requestsTo('setWebhook')[0].body).toEqual({ webhook: { ...settings, enabled: true } });
      expect(record).toMatchObject({ url: settings.url, webhookByEvents: true, webhookBase64: true, enabled: true });
    });
  });

  describe('sends', () => {
    it('sends text with the apikey header and returns the sent message', async () => {
      const request = loadEvolutionFixture<{ number: string; text: string; delay: number }>('sendText.request');
      const sent = await client.sendText(conn, INSTANCE, { ...request, delay: 20 });
      expect(sent.key).toEqual({ remoteJid: '5511988880001@s.whatsapp.net', fromMe: true, id: expect.stringMatching(SENT_ID) });
      expect(sent.message).toEqual({ conversation: request.text });
      const [recorded] = fake.requestsTo('sendText');
      expect(recorded.headers.apikey).toBe(TOKEN);
      expect(recorded.body).toEqual({ ...request, delay: 20 });
    });

    it('sends a quoted reply with mentions', async () => {
      const quoted = loadEvolutionFixture<{ number: string; text: string; quoted: { key: { id: string } } }>('sendText.quoted.request');
      await client.sendText(conn, INSTANCE, { ...quoted, mentioned: ['5511988880001'] });
      expect(fake.requestsTo('sendText')[0].body).toMatchObject({ quoted: { key: { id: 'C0FFEE11223344556677889900AABBCC' } }, mentioned: ['5511988880001'] });
    });

    it('sends media, voice notes, stickers, contacts and reactions', async () => {
      const media = await client.sendMedia(conn, INSTANCE, loadEvolutionFixture('sendMedia.request'));
      expect(media.messageType).toBe('documentMessage');
      const audio = await client.sendWhatsAppAudio(conn, INSTANCE, { ...loadEvolutionFixture<{ number: string; audio: string }>('sendWhatsAppAudio.request'), delay: 0 });
      expect(audio.message).toMatchObject({ audioMessage: { ptt: true } });
      expect((await client.sendSticker(conn, INSTANCE, { number: '5511988880001', sticker: 'https://x/s.webp' })).messageType).toBe('stickerMessage');
      const contact = await client.sendContact(conn, INSTANCE, { number: '5511988880001', contact: [{ fullName: 'Bruno', phoneNumber: '+5511977770003' }] });
      expect(contact.messageType).toBe('contactMessage');
      const reaction = await client.sendReaction(conn, INSTANCE, loadEvolutionFixture('sendReaction.request'));
      expect(reaction.message).toEqual({ reactionMessage: { key: expect.objectContaining({ id: 'A3F1C2D4E5B6978812345678ABCDEF01' }), text: '✅' } });
      expect(fake.requests.map((request) => request.path)).toEqual([
        '/message/sendMedia/omni-test',
        '/message/sendWhatsAppAudio/omni-test',
        '/message/sendSticker/omni-test',
        '/message/sendContact/omni-test',
        '/message/sendReaction/omni-test',
      ]);
    });

    it('sends presence, waiting for the delay, with a timeout that covers it', async () => {
      const startedAt = Date.now();
      const answer = await client.sendPresence(conn, INSTANCE, '5511988880001', 'composing', 300, { timeoutMs: 100 });
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
      expect(answer).toEqual({ presence: 'composing' });
      expect(fake.requestsTo('sendPresence')[0].body).toEqual({ ...loadEvolutionFixture<object>('sendPresence.request'), delay: 300 });
    });
  });

  describe('chat lookups', () => {
    it('marks messages read, fetches profiles, contacts, chats and media', async () => {
      const { readMessages } = loadEvolutionFixture<{ readMessages: { remoteJid: string; fromMe: boolean; id: string }[] }>('markMessageAsRead.request');
      expect(await client.markMessageAsRead(conn, INSTANCE, readMessages)).toEqual({ message: 'Read messages', read: 'success' });
      expect(await client.fetchProfile(conn, INSTANCE, '5511988880001')).toMatchObject({ wuid: '5511988880001@s.whatsapp.net', name: 'Ana Teste' });
      expect(await client.updateProfilePicture(conn, INSTANCE, 'https://x/p.jpg')).toEqual({ update: 'success' });
      expect(await client.findContacts(conn, INSTANCE, { where: { remoteJid: '120363000000000001@g.us' } })).toEqual([
        expect.objectContaining({ pushName: 'Clientes VIP', isGroup: true }),
      ]);
      expect(await client.findChats(conn, INSTANCE)).toHaveLength(1);
      const media = await client.getBase64FromMediaMessage(conn, INSTANCE, 'E5D4C3B2A1F0E9D8C7B6A5F4E3D2C1B0');
      expect(media).toMatchObject({ mimetype: 'image/jpeg', base64: expect.stringMatching(/^\/9j\//) });
      expect(fake.requestsTo('getBase64FromMediaMessage')[0].body).toEqual({ message: { key: { id: 'E5D4C3B2A1F0E9D8C7B6A5F4E3D2C1B0' } }, convertToMp4: false });
    });
  });

  describe('errors', () => {
    it.each([
      ['error.400.not-on-whatsapp', 400, ['number 5511900009999 is not on WhatsApp']],
      ['error.400.validation', 400, ['instance requires property "text"']],
      ['error.401', 401, ['Unauthorized']],
      ['error.403.name-in-use', 403, ['This name "omni-test" is already in use.']],
      ['error.404.instance', 404, ['The "omni-missing" instance does not exist']],
      ['error.404.route', 404, ['Cannot PUT /instance/restart/omni-test']],
    ])('flattens %s', async (fixture, status, messages) => {
      fake.failNext('sendText', [{ status, body: loadEvolutionFixture(fixture) }]);
      const error = await failureOf(client.sendText(conn, INSTANCE, { number: '5511900009999', text: 'oi' }));
      expect(error).toMatchObject({ failure: 'http', status, messages, request: 'POST /message/sendText/omni-test' });
      expect(fake.requestsTo('sendText')).toHaveLength(1);
    });

    it('reports real guard answers: wrong key, unknown instance, missing field, unknown number, closed connection', async () => {
      const text = { number: '5511988880001', text: 'oi' };
      expect(await failureOf(client.sendText({ ...conn, apiKey: 'wrong' }, INSTANCE, text))).toMatchObject({ status: 401, messages: ['Unauthorized'] });
      expect(await failureOf(client.sendText(conn, 'omni-missing', text))).toMatchObject({ status: 404 });
      expect(await failureOf(client.sendText(conn, INSTANCE, { number: '5511988880001' } as never))).toMatchObject({
        messages: ['instance requires property "text"'],
      });
      fake.notOnWhatsApp('5511900009999');
      expect(await failureOf(client.sendText(conn, INSTANCE, { ...text, number: '5511900009999' }))).toMatchObject({
        messages: ['number 5511900009999 is not on WhatsApp'],
      });
      fake.disconnect(INSTANCE);
      expect(await failureOf(client.sendText(conn, INSTANCE, text))).toMatchObject({ status: 400, messages: ['Error: Connection Closed'] });
    });

    it('never puts the api key in an error, even when the server echoes it', async () => {
      fake.failNext('sendText', [{ status: 400, body: { status: 400, error: 'Bad Request', response: { message: [`bad key ${TOKEN}`] } } }]);
      const error = await failureOf(client.sendText(conn, INSTANCE, { number: '5511988880001', text: 'oi' }));
      expect(error.messages).toEqual(['bad key ***']);
      expect(`${error.message} ${JSON.stringify(error)} ${String(error.stack)}`).not.toContain(TOKEN);
    });
  });

  describe('retries', () => {
    it('retries a 429 and delivers once, reporting both attempts', async () => {
      fake.failNext('sendText', [{ status: 429 }]);
      const attempts: EvolutionAttempt[] = [];
      const sent = await client.sendText(conn, INSTANCE, { number: '5511988880001', text: 'oi' }, { onAttempt: (a) => attempts.push(a) });
      expect(sent.key.id).toMatch(SENT_ID);
      expect(fake.requestsTo('sendText')).toHaveLength(2);
      expect(attempts).toEqual([
        { attempt: 1, status: 429, error: 'Injected 429', durationMs: expect.any(Number) },
        { attempt: 2, status: 201, durationMs: expect.any(Number) },
      ]);
    });

    it('gives up after maxAttempts on repeated 5xx', async () => {
      fake.failNext('sendText', Array.from({ length: 5 }, () => ({ status: 500 })));
      const attempts: EvolutionAttempt[] = [];
      const error = await failureOf(client.sendText(conn, INSTANCE, { number: '5511988880001', text: 'oi' }, { onAttempt: (a) => attempts.push(a) }));
      expect(error).toMatchObject({ failure: 'http', status: 500 });
      expect(fake.requestsTo('sendText')).toHaveLength(4);
      expect(attempts.map((a) => a.status)).toEqual([500, 500, 500, 500]);
    });

    it('does not retry other 4xx', async () => {
      fake.failNext('sendText', [{ status: 400 }]);
      await failureOf(client.sendText(conn, INSTANCE, { number: '5511988880001', text: 'oi' }));
      expect(fake.requestsTo('sendText')).toHaveLength(1);
    });

    it('retries timeouts and dropped connections', async () => {
      fake.failNext('sendText', [{ status: 201, delayMs: 300 }, { status: 0, dropConnection: true }]);
      const attempts: EvolutionAttempt[] = [];
      const sent = await client.sendText(conn, INSTANCE, { number: '5511988880001', text: 'oi' }, { timeoutMs: 100, onAttempt: (a) => attempts.push(a) });
      expect(sent.key.id).toMatch(SENT_ID);
      expect(attempts.map(({ status, error }) => ({ status, error }))).toEqual([
        { status: undefined, error: 'no answer within 100 ms' },
        { status: undefined, error: expect.stringMatching(/other side closed|ECONNRESET/) },
        { status: 201, error: undefined },
      ]);
    });

    it('honours Retry-After and otherwise backs off with jitter', async () => {
      const sleep = jest.fn(() => Promise.resolve());
      const observed = clientWith({ sleep, retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 8000 } });
      fake.failNext('sendText', [{ status: 429, headers: { 'retry-after': '2' } }, { status: 503 }]);
      await observed.sendText(conn, INSTANCE, { number: '5511988880001', text: 'oi' });
      expect(sleep).toHaveBeenCalledTimes(2);
      expect(sleep).toHaveBeenNthCalledWith(1, 2000);
      const secondDelay = (sleep.mock.calls[1] as unknown[])[0] as number;
      expect(secondDelay).toBeGreaterThanOrEqual(0);
      expect(secondDelay).toBeLessThan(200);
    });

    it('fails with a network error when nothing listens, after the configured attempts', async () => {
      const closed = { baseUrl: 'http://127.0.0.1:9', apiKey: TOKEN };
      const error = await failureOf(client.connectionState(closed, INSTANCE, { retry: { maxAttempts: 2 } }));
      expect(error).toMatchObject({ failure: 'network', status: undefined });
      expect(error.messages[0]).toMatch(/ECONNREFUSED/);
    });
  });
});

interface ReceivedPost {
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A stand-in for Omni's webhook route that records what it receives. */
async function startReceiver(): Promise<{ url: string; received: ReceivedPost[]; server: Server }> {
  const received: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

describe('fake Evolution extras', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const client = clientWith();

  beforeEach(async () => {
    receiver = await startReceiver();
  });

  afterEach(() => new Promise<void>((resolve) => receiver.server.close(() => resolve())));

  it('echoes successful sends as send.message to the instance webhook, like Evolution', async () => {
    const fake = new FakeEvolutionServer({ echoSendsTo: `${receiver.url}/webhook/evolution/{instance}` });
    const conn = { baseUrl: await fake.start(), apiKey: TOKEN };
    const webhook = { enabled: true, url: '', headers: { 'x-omni-webhook-secret': 's3cret' }, byEvents: true, base64: false, events: [] };
    fake.addInstance(INSTANCE, { token: TOKEN, webhook });
    const sent = await client.sendText(conn, INSTANCE, { number: '5511988880001', text: 'oi' });
    await fake.stop();
    expect(receiver.received).toHaveLength(1);
    const [echo] = receiver.received;
    expect(echo.url).toBe('/webhook/evolution/omni-test/send-message');
    expect(echo.headers['x-omni-webhook-secret']).toBe('s3cret');
    expect(echo.body).toMatchObject({ event: 'send.message', instance: INSTANCE, apikey: TOKEN, sender: '5511900000001@s.whatsapp.net' });
    expect(parseEvolutionEvent(echo.body, INSTANCE)).toEqual({ kind: 'sent', externalMessageId: sent.key.id, chatId: sent.key.remoteJid });
  });

  it('waits for requests to a route, and says what it got on timeout', async () => {
    const fake = new FakeEvolutionServer();
    const conn = { baseUrl: await fake.start(), apiKey: TOKEN };
    fake.addInstance(INSTANCE, { token: TOKEN });
    const waiting = fake.waitFor('sendPresence', 1, 2000);
    void client.sendPresence(conn, INSTANCE, '5511988880001', 'composing', 50);
    const [presence] = await waiting;
    expect(presence).toMatchObject({ method: 'POST', instance: INSTANCE, body: { presence: 'composing', delay: 50 } });
    await expect(fake.waitFor('sendText', 1, 50)).rejects.toThrow('waited 50 ms for 1 sendText request(s), got 0');
    await fake.stop();
  });

  it('posts driver envelopes to the webhook route, with the event suffix on request', async () => {
    const envelope = evolutionEnvelope('messages.upsert.text', { instance: 'loja-2' });
    await postWebhook(receiver.url, 'loja-2', envelope, { suffix: true, headers: { 'x-omni-webhook-secret': 'k' } });
    await postWebhook(`${receiver.url}/`, 'loja-2', envelope);
    expect(receiver.received.map((post) => post.url)).toEqual(['/webhook/evolution/loja-2/messages-upsert', '/webhook/evolution/loja-2']);
    expect(receiver.received[0].headers).toMatchObject({ 'x-omni-webhook-secret': 'k', 'content-type': 'application/json' });
    expect(receiver.received[1].body).toEqual(envelope);
  });
});

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

  it('draws up to base × 2^(attempt-1), capped at maxDelayMs', () => {
    expect(retryDelayMs(1, policy, undefined, () => 0.999)).toBe(499);
    expect(retryDelayMs(3, policy, undefined, () => 0.5)).toBe(1000);
    expect(retryDelayMs(10, policy, undefined, () => 0.999)).toBe(7992);
    expect(retryDelayMs(2, policy, undefined, () => 0)).toBe(0);
  });

  it('uses Retry-After instead, capped at a minute', () => {
    expect(retryDelayMs(1, policy, 1500)).toBe(1500);
    expect(retryDelayMs(1, policy, 3_600_000)).toBe(60_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-11-23T09:00:00Z');
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Sun, 23 Nov 2025 09:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('evolutionErrorMessages', () => {
  it('reads strings, arrays, objects and unknown bodies', () => {
    expect(evolutionErrorMessages({ error: true, message: 'Instance closed' })).toEqual(['Instance closed']);
    expect(evolutionErrorMessages({ status: 400, response: { message: ['a', { jid: '1@s.whatsapp.net', exists: false }] } })).toEqual([
      'a',
      'number 1@s.whatsapp.net is not on WhatsApp',
    ]);
    expect(evolutionErrorMessages('<html>Bad Gateway</html>', 502)).toEqual(['<html>Bad Gateway</html>']);
    expect(evolutionErrorMessages(undefined, 502)).toEqual(['HTTP 502']);
  });
});
