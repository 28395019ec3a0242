import {
  ANA_JID,
  ANA_LID,
  ConversationHarness,
  GROUP_JID,
  OWNER_JID,
  OWNER_LID,
  startConversationHarness,
  traceIdOf,
} from '../support/conversation-harness';

const texts = (requests: { body: unknown }[]) => requests.map((r) => (r.body as { text: string }).text);
const LID_ONLY = { deep: { data: { key: { remoteJidAlt: undefined } } } };

describe('Conversation control', () => {
  let h: ConversationHarness;

  beforeAll(async () => {
    h = await startConversationHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.agent.reset();
    h.evolution.clearRequests();
  });

  const answer = async (instance: string, fixture: Parameters<ConversationHarness['post']>[1], overrides = {}) =>
    h.settled(await traceIdOf(await h.post(instance, fixture, overrides)));

  describe('one identity per person (@lid)', () => {
    beforeAll(() => h.createInstance('identity'));

    it('keeps one users row and one session across the phone JID and the LID', async () => {
      const byPhone = await answer('identity', 'messages.upsert.text', { text: 'by phone' });
      const byLid = await answer('identity', 'messages.upsert.text.lid', { text: 'by lid', ...LID_ONLY });
      expect(byPhone.status).toBe('completed');
      expect(byLid.status).toBe('completed');
      expect(byLid.user_id).toBe(byPhone.user_id);
      expect(byLid.session_name).toBe(byPhone.session_name);
      expect(byLid.sender_phone).toBe('5511988880001');
      const users = await h.omni.query('SELECT id FROM users WHERE phone_number = $1', ['+5511988880001']);
      expect(users).toHaveLength(1);
      expect(h.agent.requests.map((r) => r.fields.user_id)).toEqual(['5511988880001', '5511988880001']);
      const [reply] = h.evolution.requestsTo('sendText').slice(-1);
      expect((reply.body as { number: string }).number).toBe(ANA_LID);
    });

    it('blocks a LID-only sender with a rule on their phone number', async () => {
      const rule = await h.api('POST', '/api/v1/access/rules', {
        body: { phone_number: '+5511988880001', rule_type: 'block', instance_name: 'identity' },
      });
      expect(rule.status).toBe(201);
      const blocked = await answer('identity', 'messages.upsert.text.lid', { text: 'still me', ...LID_ONLY });
      expect(blocked.status).toBe('blocked');
      expect(h.agent.requests).toHaveLength(0);
      await h.api('DELETE', `/api/v1/access/rules/${(rule.body as { id: string }).id}`);
    });
  });

  describe('groups', () => {
    beforeAll(() => h.createInstance('groups', { mention_patterns: ['\\bomni\\b'] }));
    const group = (text: string, contextInfo?: Record<string, unknown>) =>
      answer('groups', 'messages.upsert.group', { text, deep: { data: { contextInfo } } });

    it('answers a mention by LID once the bot LID is known, a reply to the bot, and a name pattern', async () => {
      await h.post('groups', 'messages.upsert.fromMe', {
        text: 'operator in group',
        deep: { data: { key: { remoteJid: GROUP_JID, remoteJidAlt: undefined, participant: OWNER_LID, participantAlt: OWNER_JID } } },
      });
      expect((await group('@210987654321098 oi', { mentionedJid: [OWNER_LID] })).status).toBe('completed');
      expect((await group('respondendo', { stanzaId: '3EB0A1B2C3D4E5F6071829', participant: OWNER_JID, quotedMessage: { conversation: 'x' } })).status).toBe('completed');
      expect((await group('ei Omni, ajuda?')).status).toBe('completed');
      expect((await group('conversa entre amigos')).status).toBe('ignored');
      expect(h.agent.requests).toHaveLength(3);
    });

    it('honours allowlist and disabled group policies, and per-group overrides', async () => {
      await h.api('PUT', '/api/v1/instances/groups', { body: { group_policy: 'allowlist', group_allowlist: ['999@g.us'] } });
      expect((await group('ei omni')).blocking_reason).toBe('group is not in group_allowlist');
      await h.api('PUT', '/api/v1/instances/groups', { body: { group_allowlist: [GROUP_JID], group_require_mention: false } });
      expect((await group('qualquer coisa')).status).toBe('completed');
      await h.api('PUT', '/api/v1/instances/groups', { body: { group_policy: 'disabled' } });
      expect((await group('ei omni')).blocking_reason).toBe('groups are disabled for this instance');
      await h.api('PUT', '/api/v1/instances/groups', { body: { group_overrides: [{ chat_id: GROUP_JID, group_policy: 'open' }] } });
      expect((await group('agora sim')).status).toBe('completed');
    });
  });

  describe('triggers and sessions', () => {
    it('answers only keyword-triggered messages and never ignored chats', async () => {
      await h.createInstance('keyword', { trigger_type: 'keyword', trigger_operator: 'starts_with', trigger_value: '!bot', ignore_jids: ['@g.us'] });
      expect((await answer('keyword', 'messages.upsert.text', { text: 'hello' })).status).toBe('ignored');
      expect((await answer('keyword', 'messages.upsert.text', { text: '!bot hello' })).status).toBe('completed');
      expect((await answer('keyword', 'messages.upsert.group', { text: '!bot hi' })).blocking_reason).toBe('chat is in ignore_jids');
      expect(h.agent.requests.map((r) => r.fields.message)).toEqual(['!bot hello']);
    });

    it('starts a new agent session after the finish keyword and after inactivity', async () => {
      await h.createInstance('sessions', { finish_keyword: '#fim', session_expire_minutes: 30 });
      const first = await answer('sessions', 'messages.upsert.text', { text: 'one' });
      expect((await answer('sessions', 'messages.upsert.text', { text: '#FIM' })).blocking_reason).toMatch(/finish_keyword/);
      const afterFinish = await answer('sessions', 'messages.upsert.text', { text: 'two' });
      expect(afterFinish.session_name).toBe(`${first.session_name}-1`);
      // Forty minutes of silence.
      await h.omni.query('UPDATE chat_states SET last_message_at = $1 WHERE chat_id = $2', [new Date(Date.now() - 40 * 60_000), ANA_JID]);
      const afterSilence = await answer('sessions', 'messages.upsert.text', { text: 'three' });
      expect(afterSilence.session_name).toBe(`${first.session_name}-2`);
      expect(h.agent.requests.map((r) => r.fields.session_id)).toEqual([first.session_name, `${first.session_name}-1`, `${first.session_name}-2`]);
    });
  });

  describe('human takeover', () => {
    beforeAll(() => h.createInstance('takeover', { human_takeover_minutes: 15 }));

    it('goes silent in a chat where a human answered from the phone, and comes back after the window', async () => {
      const operator = await h.post('takeover', 'messages.upsert.fromMe', { text: 'deixa comigo' });
      const operatorBody = (await operator.json()) as { reason: string; trace_id: string };
      expect(operatorBody.reason).toMatch(/human operator answered/);
      expect((await h.settled(operatorBody.trace_id)).status).toBe('ignored');
      const during = await answer('takeover', 'messages.upsert.text', { text: 'e aí?' });
      expect(during.status).toBe('ignored');
      expect(during.blocking_reason).toMatch(/paused.*human_takeover/);
      const chat = await h.api<{ paused: boolean; pause_reason: string }>('POST', `/api/v1/instances/takeover/chats/${ANA_JID}/pause`, {
        body: { duration_minutes: 15 },
      });
      expect(chat.body.paused).toBe(true);
      // The window passes.
      await h.omni.query('UPDATE chat_states SET paused_until = $1 WHERE chat_id = $2', [new Date(Date.now() - 1000), ANA_JID]);
      expect((await answer('takeover', 'messages.upsert.text', { text: 'voltou?' })).status).toBe('completed');
      expect(h.agent.requests.map((r) => r.fields.message)).toEqual(['voltou?']);
    });

    it("does not mistake Omni's own sends for a human", async () => {
      const answered = await answer('takeover', 'messages.upsert.text', { text: 'hi' });
      const [sent] = await h.omni.query<{ external_message_id: string }>(
        'SELECT external_message_id FROM sent_messages WHERE trace_id = $1',
        [answered.trace_id],
      );
      const echoId = sent.external_message_id;
      expect(echoId).toMatch(/^3EB0/);
      const echo = await h.post('takeover', 'messages.upsert.fromMe', { keyId: echoId, text: 'echo: hi' });
      expect(await echo.json()).toMatchObject({ reason: 'sent by the instance owner' });
      expect((await answer('takeover', 'messages.upsert.text', { text: 'still there?' })).status).toBe('completed');
    });

    it('lets an operator pause and resume a chat through the API', async () => {
      const paused = await h.api<{ paused: boolean; paused_until: string }>('POST', `/api/v1/instances/takeover/chats/${ANA_JID}/pause`, {
        body: { duration_minutes: 5 },
      });
      expect(paused.status).toBe(200);
      expect(paused.body.paused).toBe(true);
      const chat = await h.api<{ agent_paused: boolean; agent_paused_until: string; agent_pause_reason: string }>(
        'GET',
        `/api/v1/instances/takeover/chats/${ANA_JID}`,
      );
      expect(chat.body).toMatchObject({ agent_paused: true, agent_paused_until: paused.body.paused_until, agent_pause_reason: 'operator' });
      expect((await answer('takeover', 'messages.upsert.text', { text: 'paused?' })).status).toBe('ignored');
      const resumed = await h.api<{ paused: boolean }>('POST', `/api/v1/instances/takeover/chats/${ANA_JID}/resume`);
      expect(resumed.body.paused).toBe(false);
      const after = await h.api<{ agent_paused: boolean }>('GET', `/api/v1/instances/takeover/chats/${ANA_JID}`);
      expect(after.body.agent_paused).toBe(false);
      expect((await answer('takeover', 'messages.upsert.text', { text: 'resumed?' })).status).toBe('completed');
      expect((await h.api('POST', '/api/v1/instances/nope/chats/x/pause', { body: {} })).status).toBe(404);
      expect((await h.api('POST', `/api/v1/instances/takeover/chats/${ANA_JID}/pause`, { body: { duration_minutes: 0 } })).status).toBe(400);
    });
  });

  describe('never silent', () => {
    it('acknowledges a slow answer, then answers', async () => {
      await h.createInstance('acks', { ack_after_ms: 150, ack_text: 'Um momento, por favor…' });
      h.evolution.clearRequests();
      h.agent.delayMs = 600;
      const trace = await answer('acks', 'messages.upsert.text', { text: 'pergunta difícil' });
      h.agent.delayMs = 0;
      expect(trace.status).toBe('completed');
      expect(texts(h.evolution.requestsTo('sendText'))).toEqual(['Um momento, por favor…', 'echo: pergunta difícil']);
    });

    it('puts a failed agent call in dead letters, and a retry once the agent is back answers once', async () => {
      await h.createInstance('letters');
      h.evolution.clearRequests();
      h.agent.failWith = { status: 500, body: { detail: 'model overloaded' } };
      const failed = await answer('letters', 'messages.upsert.text', { text: 'are you there?' });
      h.agent.failWith = undefined;
      expect(failed).toMatchObject({ status: 'failed', error_stage: 'agent' });
      const listed = await h.api<{ items: { id: string; stage: string; trace_id: string }[]; total: number }>(
        'GET',
        '/api/v1/dead-letters?instance_name=letters',
      );
      expect(listed.body.items).toEqual([expect.objectContaining({ stage: 'agent', trace_id: failed.trace_id })]);
      const letterId = listed.body.items[0].id;

      const retried = await h.api<{ status: string; attempts: number }>('POST', `/api/v1/dead-letters/${letterId}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('retried');
      const done = await h.settled(failed.trace_id);
      expect(done.status).toBe('completed');
      expect(texts(h.evolution.requestsTo('sendText')).filter((t) => t === 'echo: are you there?')).toHaveLength(1);
      expect((await h.api('POST', `/api/v1/dead-letters/${letterId}/retry`)).status).toBe(409);
      expect((await h.api('DELETE', `/api/v1/dead-letters/${letterId}`)).status).toBe(204);
      expect((await h.api('GET', `/api/v1/dead-letters/${letterId}`)).status).toBe(404);
    });

    it("keeps an agent's file that Evolution refused in a dead letter, and a retry sends only that file", async () => {
      await h.createInstance('files');
      h.evolution.clearRequests();
      const image = { id: 'img-1', url: 'https://cdn.example.com/menu.png', mime_type: 'image/png' };
      h.agent.reply = () => ({ content: 'Our menu:', media: { images: [image] } });
      h.evolution.failNext('sendMedia', [{ status: 400, body: { status: 400, error: 'Bad Request', response: { message: ['media not reachable'] } } }]);
      const failed = await answer('files', 'messages.upsert.text', { text: 'menu?' });
      expect(failed).toMatchObject({ status: 'failed', error_stage: 'evolution_send' });
      const listed = await h.api<{ items: { id: string; stage: string; payload: { parts: string[]; files: unknown[] } }[] }>(
        'GET',
        '/api/v1/dead-letters?instance_name=files',
      );
      const [letter] = listed.body.items;
      expect(letter).toMatchObject({ stage: 'send', payload: { parts: [], files: [{ kind: 'image', url: image.url, mimeType: 'image/png' }] } });

      expect((await h.api('POST', `/api/v1/dead-letters/${letter.id}/retry`)).status).toBe(200);
      expect(texts(h.evolution.requestsTo('sendText'))).toEqual(['Our menu:']);
      expect(h.evolution.requestsTo('sendMedia').map((r) => (r.body as { media: string }).media)).toEqual([image.url, image.url]);
      expect((await h.settled(failed.trace_id)).status).toBe('completed');
    });

    it('replays a traced message as a dry run without sending', async () => {
      await h.createInstance('replays');
      const original = await answer('replays', 'messages.upsert.text', { text: 'replay me' });
      h.evolution.clearRequests();
      h.agent.reply = () => 'a better answer';
      const dry = await h.api<{ agent_response: string; sent_parts: string[] }>('POST', `/api/v1/traces/${original.trace_id}/replay?dry_run=true`);
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ agent_response: 'a better answer', sent_parts: [] });
      expect(h.evolution.requestsTo('sendText')).toHaveLength(0);
      const live = await h.api<{ sent_parts: string[] }>('POST', `/api/v1/traces/${original.trace_id}/replay`);
      expect(live.body.sent_parts).toEqual(['a better answer']);
      expect(texts(h.evolution.requestsTo('sendText'))).toEqual(['a better answer']);
    });
  });

  describe('outbound send budget', () => {
    it('paces 50 replies to one chat within the budget, in order, and traces the waits', async () => {
      await h.createInstance('budget', { send_rate_per_minute: 1000, send_min_gap_ms: 0 });
      h.evolution.clearRequests();
      const parts = Array.from({ length: 50 }, (_, i) => `part ${i + 1}`);
      h.agent.reply = () => parts.join('\n\n');
      const trace = await answer('budget', 'messages.upsert.text', { text: 'long answer please' });
      expect(trace.status).toBe('completed');
      const sends = h.evolution.requestsTo('sendText');
      expect(texts(sends)).toEqual(parts);
      // 1000 a minute: no second may hold more than 17 sends (one per 60 ms, plus jitter on top).
      const times = sends.map((s) => s.receivedAt);
      const busiestSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      expect(busiestSecond).toBeLessThanOrEqual(17);
      expect(times[49] - times[0]).toBeGreaterThanOrEqual(49 * 60 - 100);
      const [waits] = await h.omni.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM trace_payloads WHERE trace_id = $1 AND stage = 'send_wait'",
        [trace.trace_id],
      );
      expect(Number(waits.n)).toBeGreaterThan(40);
    });

    it('keeps send_min_gap_ms between the parts sent to one chat, and not between chats', async () => {
      await h.createInstance('chat-gap', { send_rate_per_minute: 1000, send_min_gap_ms: 800 });
      h.agent.reply = (request) => (request.fields.message === 'from ana' ? 'one\n\ntwo\n\nthree' : 'only one');
      const postedAt = Date.now();
      const [ana, bia] = await Promise.all([
        h.post('chat-gap', 'messages.upsert.text', { text: 'from ana', remoteJid: '5511977770001@s.whatsapp.net', ...LID_ONLY }),
        h.post('chat-gap', 'messages.upsert.text', { text: 'from bia', remoteJid: '5511977770002@s.whatsapp.net', ...LID_ONLY }),
      ]);
      expect((await h.settled(await traceIdOf(ana))).status).toBe('completed');
      expect((await h.settled(await traceIdOf(bia))).status).toBe('completed');
      const sends = h.evolution.requestsTo('sendText');
      const toAna = sends.filter((s) => (s.body as { number: string }).number.startsWith('5511977770001'));
      const toBia = sends.filter((s) => (s.body as { number: string }).number.startsWith('5511977770002'));
      expect(texts(toAna)).toEqual(['one', 'two', 'three']);
      expect(texts(toBia)).toEqual(['only one']);
      // Ana's slots are 800 ms (plus jitter) apart from her first one, taken after the webhook;
      // Bia's reply waits only for the instance's 60 ms, so it goes out between Ana's parts.
      expect(toAna[1].receivedAt - postedAt).toBeGreaterThanOrEqual(800);
      expect(toAna[2].receivedAt - postedAt).toBeGreaterThanOrEqual(1600);
      expect(toBia[0].receivedAt).toBeLessThan(toAna[1].receivedAt);
    });
  });

  describe('webhook authentication', () => {
    beforeAll(() => h.createInstance('secured'));

    it('answers 401 to a wrong secret and records nothing', async () => {
      const [before] = await h.omni.query<{ n: number }>('SELECT COUNT(*) AS n FROM message_traces');
      const wrong = await h.post('secured', 'messages.upsert.text', { text: 'spoofed' }, { secret: 'not-the-secret' });
      expect(wrong.status).toBe(401);
      const none = await h.post('secured', 'messages.upsert.text', { text: 'spoofed', apikey: null }, { secret: '' });
      expect(none.status).toBe(401);
      const [after] = await h.omni.query<{ n: number }>('SELECT COUNT(*) AS n FROM message_traces');
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('accepts the webhookByEvents form /messages-upsert', async () => {
      const response = await h.post('secured', 'messages.upsert.text', { text: 'by event' }, { suffix: true });
      expect(response.status).toBe(200);
      expect((await h.settled(await traceIdOf(response))).status).toBe('completed');
    });
  });
});
