import { Logger } from '@nestjs/common';
import { FakeEvolutionServer } from '../../../test/fakes/fake-evolution.server';
import { InstanceConfig } from '../../instances/instance.entity';
import { ChannelAttempt, ChannelRegistry, ChannelSendError } from '../channel-adapter';
import { EvolutionClient } from './evolution.client';
import { WhatsAppAdapter } from './whatsapp.adapter';

const ANA_JID = '5511988880001@s.whatsapp.net';
const ANA_LID = '187654321098765@lid';
const SENT_ID = /^3EB0[0-9A-F]{18}$/;

async function sendFailure(promise: Promise<unknown>): Promise<ChannelSendError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ChannelSendError)) throw new Error(`expected a ChannelSendError, got ${String(error)}`);
  return error;
}

describe('WhatsAppAdapter against the fake Evolution server', () => {
  let fake: FakeEvolutionServer;
  let adapter: WhatsAppAdapter;
  let registry: ChannelRegistry;
  let instance: InstanceConfig;

  // The adapter logs the typing failures it swallows; the test asserts them instead.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    fake = new FakeEvolutionServer({ presenceRealDelay: false });
    const baseUrl = await fake.start();
    const { token } = fake.addInstance('evo-name');
    instance = Object.assign(new InstanceConfig(), { name: 'omni-name', whatsappInstance: 'evo-name', evolutionUrl: baseUrl, evolutionKey: token });
    const client = new EvolutionClient({ retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
    registry = new ChannelRegistry();
    adapter = new WhatsAppAdapter(client, registry);
    adapter.onModuleInit();
  });

  afterEach(() => fake.stop());

  it('registers itself as the whatsapp adapter', () => {
    expect(registry.adapterFor('whatsapp')).toBe(adapter);
  });

  it("sends a text to the chat id as given, quoting by id, and returns Evolution's key.id", async () => {
    const sent = await adapter.sendText(instance, { chatId: ANA_LID, text: 'Oi', quotedMessageId: 'Q1' });
    expect(sent).toMatchObject({ externalMessageId: expect.stringMatching(SENT_ID), statusCode: 201 });
    expect((sent.raw as { key: { id: string } }).key.id).toBe(sent.externalMessageId);
    const [request] = fake.requestsTo('sendText');
    expect(request.path).toBe('/message/sendText/evo-name');
    expect(request.body).toEqual({ number: ANA_LID, text: 'Oi', quoted: { key: { id: 'Q1' } } });
  });

  it('retries a 429 and reports every attempt to the caller', async () => {
    fake.failNext('sendText', [{ status: 429 }]);
    const attempts: ChannelAttempt[] = [];
    const sent = await adapter.sendText(instance, { chatId: ANA_JID, text: 'Oi' }, { onAttempt: (a) => attempts.push(a) });
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 429],
      [2, 201],
    ]);
    expect(sent.statusCode).toBe(201);
  });

  it('gives up after maxAttempts with a retryable error for server failures and no answer', async () => {
    fake.failNext('sendText', [{ status: 503 }]);
    const serverError = await sendFailure(adapter.sendText(instance, { chatId: ANA_JID, text: 'Oi' }, { maxAttempts: 1 }));
    expect(serverError).toMatchObject({ retryable: true, status: 503 });
    fake.failNext('sendText', [{ status: 0, dropConnection: true }]);
    const dropped = await sendFailure(adapter.sendText(instance, { chatId: ANA_JID, text: 'Oi' }, { maxAttempts: 1 }));
    expect(dropped).toMatchObject({ retryable: true, status: undefined });
    expect(fake.requestsTo('sendText')).toHaveLength(2);
  });

  it("fails for good, without retrying, when Evolution refuses: not on WhatsApp, session closed", async () => {
    fake.notOnWhatsApp('5511988880001');
    const missing = await sendFailure(adapter.sendText(instance, { chatId: ANA_JID, text: 'Oi' }));
    expect(missing).toMatchObject({ retryable: false, status: 400, message: 'number 5511988880001 is not on WhatsApp' });
    fake.disconnect('evo-name');
    const closed = await sendFailure(adapter.sendReaction(instance, '5511988880002@s.whatsapp.net', 'M1', '👍'));
    expect(closed).toMatchObject({ retryable: false, message: 'Error: Connection Closed' });
    expect(fake.requestsTo('sendText')).toHaveLength(1);
  });

  it("reacts to the person's message by its id", async () => {
    const sent = await adapter.sendReaction(instance, ANA_JID, 'M1', '❤️');
    expect(sent.externalMessageId).toMatch(SENT_ID);
    expect(fake.requestsTo('sendReaction')[0].body).toEqual({ key: { remoteJid: ANA_JID, fromMe: false, id: 'M1' }, reaction: '❤️' });
  });

  it('shows typing for the duration asked, and never throws or retries when that fails', async () => {
    await adapter.sendTyping(instance, ANA_JID, 1200);
    expect(fake.requestsTo('sendPresence')[0].body).toEqual({ number: ANA_JID, presence: 'composing', delay: 1200 });
    fake.failNext('sendPresence', [{ status: 500 }]);
    await expect(adapter.sendTyping(instance, ANA_JID, 1200)).resolves.toBeUndefined();
    expect(fake.requestsTo('sendPresence')).toHaveLength(2);
    await adapter.sendTyping(instance, ANA_JID, 0);
    expect(fake.requestsTo('sendPresence')).toHaveLength(2);
  });
});
