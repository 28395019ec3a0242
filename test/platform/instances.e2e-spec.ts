import { FakeEvolutionServer } from '../fakes/fake-evolution.server';
import { Api, apiClient } from '../support/api-client';
import { discordInstance, EVOLUTION_GLOBAL_KEY, whatsappInstance } from '../support/instance-bodies';
import { createTestApp, TestApp } from '../support/test-app';

interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; messages: string[] }[];
}
const fieldsOf = (problem: Problem) => (problem.errors ?? []).map((e) => e.field);

describe('Instances API', () => {
  let omni: TestApp;
  let api: Api;
  // Creating a WhatsApp instance creates it on its Evolution server.
  const evolution = new FakeEvolutionServer({ apiKey: EVOLUTION_GLOBAL_KEY });

  beforeAll(async () => {
    await evolution.start();
    omni = await createTestApp();
    api = apiClient(omni.url);
  });
  afterAll(async () => {
    await omni.close();
    await evolution.stop();
  });

  it('creates, reads, updates and deletes an instance with the original field names', async () => {
    const created = await api<Record<string, unknown>>('POST', '/api/v1/instances', {
      body: whatsappInstance({ name: 'crud-bot', agent_timeout: 30, enable_auto_split: false }, evolution),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'crud-bot',
      channel_type: 'whatsapp',
      whatsapp_instance: 'crud-bot',
      session_id_prefix: 'crud-bot-',
      agent_timeout: 30,
      enable_auto_split: false,
      evolution_key_set: true,
      agent_api_key_set: true,
    });

    const read = await api<Record<string, unknown>>('GET', '/api/v1/instances/crud-bot');
    expect(read.body).toEqual(created.body);

    const updated = await api<Record<string, unknown>>('PUT', '/api/v1/instances/crud-bot', {
      body: { agent_timeout: 90, agent_id: null, group_policy: 'disabled' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ agent_timeout: 90, agent_id: null, group_policy: 'disabled', enable_auto_split: false });

    const deleted = await api('DELETE', '/api/v1/instances/crud-bot');
    expect(deleted.body).toEqual({ message: "Instance 'crud-bot' deleted successfully" });
    expect((await api('GET', '/api/v1/instances/crud-bot')).status).toBe(404);
  });

  it('never returns or stores in a response any secret', async () => {
    const secrets = ['evolution-secret-key-abc', 'agent-secret-key-xyz', 'discord-secret-token-123'];
    const responses = [
      await api('POST', '/api/v1/instances', { body: whatsappInstance({ name: 'secret-wa' }, evolution) }),
      await api('POST', '/api/v1/instances', { body: discordInstance({ name: 'secret-dc' }) }),
      await api('GET', '/api/v1/instances'),
      await api('GET', '/api/v1/instances/secret-dc'),
      await api('PUT', '/api/v1/instances/secret-wa', { body: { agent_api_key: 'agent-secret-key-xyz' } }),
    ];
    for (const response of responses) {
      expect(response.status).toBeLessThan(300);
      for (const secret of secrets) expect(response.text).not.toContain(secret);
    }
    expect(responses[1].body).toMatchObject({ has_discord_bot_token: true, channel_type: 'discord' });
  });

  it('answers 400 naming every invalid field', async () => {
    const empty = await api<Problem>('POST', '/api/v1/instances', { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldsOf(empty.body)).toEqual(expect.arrayContaining(['name', 'agent_api_url', 'evolution_url', 'evolution_key']));

    const wrongTypes = await api<Problem>('POST', '/api/v1/instances', {
      body: whatsappInstance({
        agent_timeout: 'soon',
        evolution_url: 'not a url',
        mention_patterns: ['(unclosed'],
        group_overrides: [{ chat_id: '' }],
      }),
    });
    expect(wrongTypes.status).toBe(400);
    expect(fieldsOf(wrongTypes.body)).toEqual(
      expect.arrayContaining(['agent_timeout', 'evolution_url', 'mention_patterns', 'group_overrides.0.chat_id']),
    );
    const unknownChannel = await api<Problem>('POST', '/api/v1/instances', {
      body: whatsappInstance({ channel_type: 'telegram' }, evolution),
    });
    expect(fieldsOf(unknownChannel.body)).toEqual(['channel_type']);

    const discordWithoutToken = await api<Problem>('POST', '/api/v1/instances', {
      body: discordInstance({ discord_bot_token: undefined }),
    });
    expect(fieldsOf(discordWithoutToken.body)).toEqual(['discord_bot_token']);

    const unknownField = await api<Problem>('POST', '/api/v1/instances', { body: whatsappInstance({ colour: 'blue' }, evolution) });
    expect(unknownField.status).toBe(400);
    expect(fieldsOf(unknownField.body)).toEqual(['colour']);

    const malformed = await api<Problem>('POST', '/api/v1/instances', { rawBody: '{"name": 42' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');

    await api('POST', '/api/v1/instances', { body: whatsappInstance({ name: 'valid-one' }, evolution) });
    const nullRequired = await api<Problem>('PUT', '/api/v1/instances/valid-one', { body: { agent_timeout: null } });
    expect(nullRequired.status).toBe(400);
    expect(nullRequired.body.detail).toContain('agent_timeout');
    const clearKey = await api<Problem>('PUT', '/api/v1/instances/valid-one', { body: { evolution_key: null } });
    expect(clearKey.status).toBe(400);
    expect(clearKey.body.detail).toContain('evolution_key');
  });

  it('normalises names, refuses unusable ones and duplicates', async () => {
    const spaced = await api<{ name: string }>('POST', '/api/v1/instances', {
      body: whatsappInstance({ name: '  Sales Team ' }, evolution),
    });
    expect(spaced.body.name).toBe('sales-team');
    expect((await api('GET', '/api/v1/instances/sales-team')).status).toBe(200);
    const duplicate = await api('POST', '/api/v1/instances', { body: whatsappInstance({ name: 'SALES TEAM' }, evolution) });
    expect(duplicate.status).toBe(409);
    for (const name of ['string', 'hello!', '@@@@@x']) {
      const refused = await api('POST', '/api/v1/instances', { body: whatsappInstance({ name }, evolution) });
      expect(refused.status).toBe(422);
    }
  });

  it('keeps one default instance per tenant', async () => {
    await api('POST', '/api/v1/instances', { body: whatsappInstance({ name: 'default-a', is_default: true }, evolution) });
    await api('POST', '/api/v1/instances', { body: whatsappInstance({ name: 'default-b', is_default: true }, evolution) });
    const a = await api<{ is_default: boolean }>('GET', '/api/v1/instances/default-a');
    const b = await api<{ is_default: boolean }>('GET', '/api/v1/instances/default-b');
    expect([a.body.is_default, b.body.is_default]).toEqual([false, true]);
  });

  it('pages the list with skip and limit', async () => {
    const all = await api<{ name: string }[]>('GET', '/api/v1/instances?limit=1000');
    const page = await api<{ name: string }[]>('GET', '/api/v1/instances?skip=1&limit=2');
    expect(page.body.map((i) => i.name)).toEqual(all.body.slice(1, 3).map((i) => i.name));
    expect((await api('GET', '/api/v1/instances?limit=0')).status).toBe(400);
    expect((await api('GET', '/api/v1/instances?skip=-1')).status).toBe(400);
  });
});
