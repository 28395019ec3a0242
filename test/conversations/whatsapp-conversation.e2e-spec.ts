import { MessageTrace } from '../../src/trace/message-trace.entity';
import {
  ANA_JID,
  ConversationHarness,
  GROUP_JID,
  OWNER_JID,
  startConversationHarness,
  traceIdOf,
} from '../support/conversation-harness';

const texts = (requests: { body: unknown }[]) => requests.map((r) => (r.body as { text: string }).text);

describe('WhatsApp conversation through the router', () => {
  let h: ConversationHarness;

  beforeAll(async () => {
    h = await startConversationHarness();
    await h.createInstance('omni-test');
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.agent.reset();
    h.evolution.clearRequests();
  });

  it('answers a text: agent called with session, user and text; reply split on blank lines, sent in order with typing', async () => {
    h.agent.reply = () => 'First paragraph.\n\nSecond paragraph.';
    const response = await h.post('omni-test', 'messages.upsert.text', { text: 'Olá, tudo bem?' });
    expect(response.status).toBe(200);
    const traceId = await traceIdOf(response);
    const trace = await h.settled(traceId);

    expect(trace.status).toBe('completed');
    const [call] = h.agent.requests;
    expect(call.path).toBe('/agents/atendimento/runs');
    expect(call.fields).toMatchObject({
      message: 'Olá, tudo bem?',
      session_id: 'omni-test-5511988880001',
      user_id: '5511988880001',
      stream: 'false',
    });
    const sends = h.evolution.requestsTo('sendText');
    expect(texts(sends)).toEqual(['First paragraph.', 'Second paragraph.']);
    expect(sends.every((s) => (s.body as { number: string }).number === ANA_JID)).toBe(true);
    const presence = h.evolution.requestsTo('sendPresence');
    expect(presence.length).toBeGreaterThanOrEqual(1);
    expect(presence[0].receivedAt).toBeLessThanOrEqual(sends[0].receivedAt);
    expect(trace).toMatchObject({ session_name: 'omni-test-5511988880001', sender_phone: '5511988880001' });
  });

  it("sends the agent's files after its text: an image by URL, its spoken answer as a voice note", async () => {
    const spoken = Buffer.from('OggS fake opus answer').toString('base64');
    h.agent.reply = () => ({
      content: 'Segue o mapa.',
      media: {
        images: [{ id: 'img-1', url: 'https://cdn.example.com/mapa.png', mime_type: 'image/png' }],
        response_audio: { id: 'a-1', content: spoken, mime_type: 'audio/ogg' },
      },
    });
    const traceId = await traceIdOf(await h.post('omni-test', 'messages.upsert.text', { text: 'Onde fica a loja?' }));
    const trace = await h.settled(traceId);

    expect(trace.status).toBe('completed');
    const sends = h.evolution.requests.filter((r) => ['sendText', 'sendMedia', 'sendWhatsAppAudio'].includes(r.route));
    expect(sends.map((r) => r.route)).toEqual(['sendText', 'sendMedia', 'sendWhatsAppAudio']);
    expect(sends[1].body).toMatchObject({ number: ANA_JID, mediatype: 'image', mimetype: 'image/png', media: 'https://cdn.example.com/mapa.png' });
    expect(sends[2].body).toMatchObject({ number: ANA_JID, audio: spoken });
    const stages = await h.omni.query<{ stage: string; status_code: number }>(
      "SELECT stage, status_code FROM trace_payloads WHERE trace_id = $1 AND stage = 'evolution_send'",
      [traceId],
    );
    expect(stages).toHaveLength(3);
  });

  it('sends Markdown links to media files as those files, captioned, and keeps other links in the text', async () => {
    h.agent.reply = () =>
      'Aqui está o cardápio:\n\n![Cardápio do dia](https://cdn.example.com/cardapio.jpg)\n\n' +
      'O contrato: [contrato](https://files.example.com/contrato.pdf). Mais em [nosso site](https://example.com/sobre).';
    const traceId = await traceIdOf(await h.post('omni-test', 'messages.upsert.text', { text: 'Cardápio?' }));
    expect((await h.settled(traceId)).status).toBe('completed');

    const sends = h.evolution.requests.filter((r) => ['sendText', 'sendMedia'].includes(r.route));
    expect(sends.map((r) => r.route)).toEqual(['sendText', 'sendText', 'sendMedia', 'sendMedia']);
    expect(texts(sends.slice(0, 2))).toEqual(['Aqui está o cardápio:', 'O contrato:. Mais em [nosso site](https://example.com/sobre).']);
    expect(sends[2].body).toMatchObject({ mediatype: 'image', media: 'https://cdn.example.com/cardapio.jpg', caption: 'Cardápio do dia' });
    expect(sends[3].body).toMatchObject({ mediatype: 'document', mimetype: 'application/pdf', fileName: 'contrato.pdf', caption: 'contrato' });
  });

  it('streams paragraphs without their media links, and sends the linked files once the answer is complete', async () => {
    await h.createInstance('streaming-media', { agent_stream_mode: true });
    h.agent.reset();
    h.evolution.clearRequests();
    h.agent.reply = () => 'Veja a foto: ![loja](https://cdn.example.com/loja.png)\n\nFunciona das 8h às 18h.\n\nAté logo!';
    h.agent.streamChunkDelayMs = 30;
    const traceId = await traceIdOf(await h.post('streaming-media', 'messages.upsert.text', { text: 'Horário?' }));
    expect((await h.settled(traceId)).status).toBe('completed');
    h.agent.streamChunkDelayMs = 0;

    const sends = h.evolution.requests.filter((r) => ['sendText', 'sendMedia'].includes(r.route));
    expect(sends.map((r) => r.route)).toEqual(['sendText', 'sendText', 'sendText', 'sendMedia']);
    expect(texts(sends.slice(0, 3))).toEqual(['Veja a foto:', 'Funciona das 8h às 18h.', 'Até logo!']);
    expect(sends[3].body).toMatchObject({ mediatype: 'image', media: 'https://cdn.example.com/loja.png', caption: 'loja' });
  });

  it('answers the webhook before the agent answers', async () => {
    h.agent.delayMs = 1500;
    const response = await h.post('omni-test', 'messages.upsert.text', { text: 'slow one' });
    expect(response.status).toBe(200);
    const traceId = await traceIdOf(response);
    const [row] = await h.omni.query<{ status: string }>('SELECT status FROM message_traces WHERE trace_id = $1', [traceId]);
    expect(['received', 'processing', 'agent_called']).toContain(row.status);
    expect(h.evolution.requestsTo('sendText')).toHaveLength(0);
    expect((await h.settled(traceId)).status).toBe('completed');
    h.agent.delayMs = 0;
  });

  it.each([
    ['messages.upsert.image', 'image', 'image/jpeg'],
    ['messages.upsert.audio', 'audio', 'audio/ogg'],
    ['messages.upsert.video', 'video', 'video/mp4'],
    ['messages.upsert.document', 'document', 'application/pdf'],
  ] as const)('sends %s media to the agent as a file', async (fixture, type, mimetype) => {
    const traceId = await traceIdOf(await h.post('omni-test', fixture));
    const trace = await h.settled(traceId);
    expect(trace).toMatchObject({ status: 'completed', message_type: type });
    const [call] = h.agent.requests;
    expect(call.files).toEqual([expect.objectContaining({ mimetype: expect.stringContaining(mimetype) })]);
  });

  it('gives the agent the quoted message of a reply', async () => {
    const traceId = await traceIdOf(await h.post('omni-test', 'messages.upsert.quoted'));
    await h.settled(traceId);
    expect(h.agent.requests[0].fields.message).toMatch(/^Replying to: ".+"\n/);
  });

  it('does not send reactions to the agent', async () => {
    const response = await h.post('omni-test', 'messages.upsert.reaction');
    const trace = await h.settled(await traceIdOf(response));
    expect(trace.status).toBe('ignored');
    expect(h.agent.requests).toHaveLength(0);
  });

  it('never answers its own messages or status broadcasts', async () => {
    const own = await h.post('omni-test', 'messages.upsert.fromMe');
    expect(await own.json()).toMatchObject({ status: 'ignored' });
    const status = await h.post('omni-test', 'messages.upsert.status-broadcast');
    expect(await status.json()).toMatchObject({ status: 'ignored' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.agent.requests).toHaveLength(0);
    expect(h.evolution.requestsTo('sendText')).toHaveLength(0);
  });

  it('runs a duplicate delivery once: one agent call, one reply', async () => {
    const overrides = { keyId: 'DUPLICATE0000000000000000000000A', text: 'only once' };
    const first = await h.post('omni-test', 'messages.upsert.text', overrides);
    const again = await Promise.all([1, 2, 3].map(() => h.post('omni-test', 'messages.upsert.text', overrides)));
    const traceId = await traceIdOf(first);
    for (const response of again) expect(await response.json()).toMatchObject({ status: 'duplicate', trace_id: traceId });
    await h.settled(traceId);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.agent.requests).toHaveLength(1);
    expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
  });

  it('records a burst in which one message comes twice: the others are kept, the copy is a duplicate', async () => {
    const copy = { keyId: 'BURSTCOPY00000000000000000000000', text: 'sent twice' };
    const burst = [copy, copy, { keyId: 'BURSTONE00000000000000000000000A', text: 'one' }, { keyId: 'BURSTTWO00000000000000000000000A', text: 'two' }];
    const responses = await Promise.all(burst.map((overrides) => h.post('omni-test', 'messages.upsert.text', overrides)));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { status: string; trace_id: string }[];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(bodies.slice(0, 2).map((b) => b.status).sort()).toEqual(['duplicate', 'success']);
    expect(bodies[0].trace_id).toBe(bodies[1].trace_id);
    expect(bodies.slice(2).map((b) => b.status)).toEqual(['success', 'success']);
    await Promise.all([bodies[0], bodies[2], bodies[3]].map((b) => h.settled(b.trace_id)));
    expect(h.agent.requests.map((r) => r.fields.message).sort()).toEqual(['one', 'sent twice', 'two']);
  });

  it('delivers once when Evolution answers 429 then succeeds, tracing both attempts', async () => {
    h.evolution.failNext('sendText', [{ status: 429, headers: { 'retry-after': '0' } }]);
    const traceId = await traceIdOf(await h.post('omni-test', 'messages.upsert.text', { text: 'retry me' }));
    expect((await h.settled(traceId)).status).toBe('completed');
    expect(h.evolution.requestsTo('sendText')).toHaveLength(2);
    const attempts = await h.omni.query<{ attempt: number; status_code: number | null }>(
      "SELECT attempt, status_code FROM trace_payloads WHERE trace_id = $1 AND stage = 'evolution_send' AND payload_type = 'request' ORDER BY attempt",
      [traceId],
    );
    expect(attempts.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, 429],
      [2, 201],
    ]);
  });

  it('records a failed send when Evolution refuses the number, without retrying', async () => {
    h.evolution.failNext('sendText', [{ status: 400, body: { status: 400, error: 'Bad Request', response: { message: ['Error: Connection Closed'] } } }]);
    const traceId = await traceIdOf(await h.post('omni-test', 'messages.upsert.text', { text: 'refused' }));
    const trace = await h.settled(traceId);
    expect(trace).toMatchObject({ status: 'failed', error_stage: 'evolution_send' });
    expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
  });

  it('answers 400 to malformed events and keeps them in a trace', async () => {
    const broken = await fetch(`${h.omni.url}/webhook/evolution/omni-test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-omni-webhook-secret': h.secret('omni-test') },
      body: '{"event": "messages.upsert", "data": {',
    });
    expect(broken.status).toBe(400);
    const brokenBody = (await broken.json()) as { trace_id: string; detail: string };
    expect(brokenBody.detail).toMatch(/not valid JSON/);
    const noKey = await h.post('omni-test', 'messages.upsert.text', { deep: { data: { key: undefined } } });
    expect(noKey.status).toBe(400);
    const noKeyBody = (await noKey.json()) as { trace_id: string };
    const rows = await h.omni.query<{ status: string; trace_id: string }>(
      'SELECT status, trace_id FROM message_traces WHERE trace_id IN ($1, $2)',
      [brokenBody.trace_id, noKeyBody.trace_id],
    );
    expect(rows.map((r) => r.status)).toEqual(['invalid', 'invalid']);
    const [payload] = await h.omni.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM trace_payloads WHERE trace_id = $1 AND stage = 'webhook_received'",
      [brokenBody.trace_id],
    );
    expect(Number(payload.n)).toBe(1);
    expect(h.agent.requests).toHaveLength(0);
  });

  it('keeps each chat in arrival order, one message at a time, while other chats go on', async () => {
    h.agent.delayMs = 80;
    const words = ['one', 'two', 'three', 'four', 'five'];
    const traceIds: string[] = [];
    // Each webhook is answered at once, so all five arrive while the first is still with the agent.
    for (const word of words) traceIds.push(await traceIdOf(await h.post('omni-test', 'messages.upsert.text', { text: word })));
    const other = await traceIdOf(await h.post('omni-test', 'messages.upsert.text', { text: 'other chat', remoteJid: '5511977770000@s.whatsapp.net' }));
    await Promise.all([...traceIds, other].map((id) => h.settled(id)));
    h.agent.delayMs = 0;
    const annaCalls = h.agent.requests.filter((r) => r.fields.message !== 'other chat');
    expect(annaCalls.map((r) => r.fields.message)).toEqual(words);
    const annaSends = h.evolution.requestsTo('sendText').filter((r) => (r.body as { number: string }).number === ANA_JID);
    expect(texts(annaSends)).toEqual(words.map((w) => `echo: ${w}`));
    for (let i = 1; i < words.length; i++) expect(annaCalls[i].receivedAt).toBeGreaterThanOrEqual(annaSends[i - 1].receivedAt);
    const otherCall = h.agent.requests.find((r) => r.fields.message === 'other chat')!;
    expect(otherCall.receivedAt).toBeLessThan(annaCalls[words.length - 1].receivedAt);
  });

  it('answers in a group only when mentioned, with the unaddressed messages before it as context', async () => {
    const unaddressed = await h.post('omni-test', 'messages.upsert.group', { text: 'bom dia pessoal', deep: { data: { contextInfo: undefined } } });
    expect((await h.settled(await traceIdOf(unaddressed))).status).toBe('ignored');
    expect(h.agent.requests).toHaveLength(0);

    const mentioned = await h.post('omni-test', 'messages.upsert.group', {
      text: '@5511900000001 qual o horário?',
      deep: { data: { contextInfo: { mentionedJid: [OWNER_JID] } } },
    });
    expect((await h.settled(await traceIdOf(mentioned))).status).toBe('completed');
    const [send] = h.evolution.requestsTo('sendText');
    expect((send.body as { number: string }).number).toBe(GROUP_JID);
    expect(h.agent.requests[0].fields.message).toBe(
      'Earlier in this group:\n[Ana Teste]: bom dia pessoal\n\nNow:\n[Ana Teste]: @5511900000001 qual o horário?',
    );
  });

  it('falls back to an apology and a failed trace when the agent times out', async () => {
    await h.createInstance('slow-agent', { agent_timeout: 1, apology_message: 'Desculpe, tente de novo.' });
    h.evolution.clearRequests();
    h.agent.failWith = 'hang';
    const traceId = await traceIdOf(await h.post('slow-agent', 'messages.upsert.text', { text: 'hello?' }));
    const trace = await h.settled(traceId);
    h.agent.failWith = undefined;
    expect(trace).toMatchObject({ status: 'failed', error_stage: 'agent' });
    expect(trace.error_message).toMatch(/timeout/);
    expect(texts(h.evolution.requestsTo('sendText'))).toEqual(['Desculpe, tente de novo.']);
  });

  it('merges a burst into one agent call when debounce is on', async () => {
    await h.createInstance('debounced', { debounce_ms: 300 });
    h.agent.reset();
    h.evolution.clearRequests();
    const first = await traceIdOf(await h.post('debounced', 'messages.upsert.text', { text: 'oi' }));
    const second = await traceIdOf(await h.post('debounced', 'messages.upsert.text', { text: 'preciso de ajuda' }));
    await Promise.all([h.settled(first), h.settled(second)]);
    expect(h.agent.requests.map((r) => r.fields.message)).toEqual(['oi\npreciso de ajuda']);
    expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
  });

  it('streams complete paragraphs to WhatsApp while the agent is still writing', async () => {
    await h.createInstance('streaming', { agent_stream_mode: true });
    h.agent.reset();
    h.evolution.clearRequests();
    h.agent.reply = () => 'Paragraph one is here.\n\nParagraph two follows.\n\nThe end.';
    h.agent.streamChunkDelayMs = 60;
    const traceId = await traceIdOf(await h.post('streaming', 'messages.upsert.text', { text: 'stream please' }));
    const trace = await h.settled(traceId);
    h.agent.streamChunkDelayMs = 0;
    expect(trace.status).toBe('completed');
    expect(h.agent.requests[0].fields.stream).toBe('true');
    const sends = h.evolution.requestsTo('sendText');
    expect(texts(sends)).toEqual(['Paragraph one is here.', 'Paragraph two follows.', 'The end.']);
    const stored = await h.omni.dataSource.getRepository(MessageTrace).findOneByOrFail({ traceId });
    expect(sends[0].receivedAt).toBeLessThan(stored.agentResponseAt!.getTime());
  });

  it('talks to the Automagik agents API when the instance says so', async () => {
    await h.createInstance('automagik', { agent_instance_type: 'automagik', agent_id: 'atendimento' });
    h.agent.reset();
    h.evolution.clearRequests();
    const trace = await h.settled(await traceIdOf(await h.post('automagik', 'messages.upsert.text', { text: 'oi automagik' })));
    expect(trace.status).toBe('completed');
    const [call] = h.agent.requests;
    expect(call.path).toBe('/api/v1/agent/atendimento/run');
    expect(call.body).toMatchObject({ message_content: 'oi automagik', session_name: 'automagik-5511988880001' });
    expect(texts(h.evolution.requestsTo('sendText'))).toEqual(['echo: oi automagik']);
  });

  it('never lets a blocked sender reach the agent, and answers with the configured reply', async () => {
    await h.createInstance('guarded', { access_mode: 'allowlist', blocked_reply: 'Este número não está autorizado.' });
    h.agent.reset();
    h.evolution.clearRequests();
    const trace = await h.settled(await traceIdOf(await h.post('guarded', 'messages.upsert.text', { text: 'me deixa entrar' })));
    expect(trace).toMatchObject({ status: 'blocked' });
    expect(h.agent.requests).toHaveLength(0);
    expect(texts(h.evolution.requestsTo('sendText'))).toEqual(['Este número não está autorizado.']);
    await h.api('POST', '/api/v1/access/rules', { body: { phone_number: '+55 11 98888-0001', rule_type: 'allow', instance_name: 'guarded' } });
    expect((await h.settled(await traceIdOf(await h.post('guarded', 'messages.upsert.text', { text: 'e agora?' })))).status).toBe('completed');
  });
});
