import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AgentHarness,
  anaRequest,
  automagikTarget,
  FAKE_AGENT_KEY,
  hiveTarget,
  startAgentHarness,
} from '../../test/fakes/fake-agent/agent-harness';
import type { AgentTarget } from './agent.types';

const ECHO = 'echo: Oi! Vocês abrem no sábado?';

describe('AgentService against a fake agent server', () => {
  let harness: AgentHarness;
  const target = (overrides: Partial<AgentTarget> = {}) => hiveTarget(harness.baseUrl, overrides);

  beforeAll(async () => {
    harness = await startAgentHarness();
  });
  afterEach(() => harness.fake.reset());
  afterAll(() => harness.close());

  describe('Hive, without streaming', () => {
    it('posts the run as a form with both auth headers and maps the RunOutput', async () => {
      const reply = await harness.service.run(target(), anaRequest());

      expect(reply).toMatchObject({
        text: ECHO,
        sessionId: 'omni-test_5511988880001',
        runId: expect.any(String),
        inputTokens: expect.any(Number),
        outputTokens: 6,
        toolsUsed: [],
        paused: false,
      });
      const [call] = harness.fake.requests;
      expect(call.path).toBe('/agents/atendimento/runs');
      expect(call.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(call.headers.authorization).toBe(`Bearer ${FAKE_AGENT_KEY}`);
      expect(call.headers['x-api-key']).toBe(FAKE_AGENT_KEY);
      expect(call.fields).toEqual({
        message: 'Oi! Vocês abrem no sábado?',
        stream: 'false',
        session_id: 'omni-test_5511988880001',
        user_id: '5511988880001',
      });
    });

    it('reports a redirect with its address instead of following it with the agent key', async () => {
      const proxy = createServer((req, res) => void res.writeHead(307, { location: `${harness.baseUrl}${req.url}` }).end());
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = proxy.address() as AddressInfo;
        const failure = await harness.service.run(hiveTarget(`http://127.0.0.1:${port}`), anaRequest()).catch((error: unknown) => error);

        expect(failure).toMatchObject({ kind: 'http', status: 307, message: expect.stringContaining(`redirected to ${harness.baseUrl}/agents/atendimento/runs`) });
        expect(harness.fake.requests).toHaveLength(0);
      } finally {
        proxy.closeAllConnections();
        await new Promise((resolve) => proxy.close(resolve));
      }
    });

    it.each([
      ['team', 'suporte', '/teams/suporte/runs'],
      ['workflow', 'onboarding', '/workflows/onboarding/runs'],
    ] as const)('runs a %s at its own path', async (agentType, agentId, path) => {
      const reply = await harness.service.run(target({ agentType, agentId }), anaRequest());

      expect(reply.text).toBe(ECHO);
      expect(harness.fake.requests[0]).toMatchObject({ path, fields: { stream: 'false' } });
    });

    it('turns structured content into JSON text and lists the tools that ran', async () => {
      harness.fake.reply = () => ({ content: { opens: true, hours: '9-13' }, tools: ['consultar_horario'] });

      const reply = await harness.service.run(target(), anaRequest());

      expect(JSON.parse(reply.text)).toEqual({ opens: true, hours: '9-13' });
      expect(reply.toolsUsed).toEqual(['consultar_horario']);
    });

    it.each([false, true])('returns the files the run answered with (stream: %s)', async (stream) => {
      const spoken = Buffer.from('RIFF fake wav bytes').toString('base64');
      harness.fake.reply = () => ({
        content: 'Aqui está o mapa.',
        media: {
          images: [{ id: 'img-1', url: 'https://cdn.example.com/mapa.png', mime_type: 'image/png', alt_text: 'mapa' }],
          files: [{ id: 'f-1', content: 'JVBERi0x', filename: 'cardapio.pdf', mime_type: 'application/pdf' }],
          response_audio: { id: 'a-1', content: spoken, format: 'wav', transcript: 'Aqui está o mapa.' },
        },
      });

      const reply = await harness.service.run(target({ stream }), anaRequest());

      expect(reply.text).toBe('Aqui está o mapa.');
      expect(reply.media).toEqual([
        { kind: 'image', url: 'https://cdn.example.com/mapa.png', mimeType: 'image/png' },
        { kind: 'document', base64: 'JVBERi0x', mimeType: 'application/pdf', fileName: 'cardapio.pdf' },
        { kind: 'audio', base64: spoken, mimeType: 'audio/wav' },
      ]);
    });

    it('reports a run paused for a tool confirmation', async () => {
      harness.fake.reply = () => ({ content: 'Preciso de confirmação.', tools: ['cancelar_pedido'], paused: true });

      const reply = await harness.service.run(target(), anaRequest());

      expect(reply).toMatchObject({ paused: true, toolsUsed: ['cancelar_pedido'] });
    });

    it('sends media bytes as multipart `files` parts, a voice note as plain audio/ogg', async () => {
      const voice = Buffer.from('OggS fake opus bytes');
      const photo = Buffer.alloc(300, 7);
      const request = anaRequest({
        text: '',
        messageType: 'audio',
        media: [
          { kind: 'audio', mimeType: 'audio/ogg; codecs=opus', base64: voice.toString('base64'), isVoiceNote: true },
          { kind: 'image', mimeType: 'image/jpeg', fileName: 'foto.jpg', base64: photo.toString('base64') },
          { kind: 'video', mimeType: 'video/mp4', url: 'https://cdn.example/v.mp4' },
        ],
      });

      await harness.service.run(target(), request);

      const [call] = harness.fake.requests;
      expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(call.fields).toMatchObject({ message: '[audio]', stream: 'false', user_id: '5511988880001' });
      expect(call.files).toEqual([
        { field: 'files', name: 'audio.ogg', mimetype: 'audio/ogg', size: voice.length },
        { field: 'files', name: 'foto.jpg', mimetype: 'image/jpeg', size: photo.length },
      ]);
    });
  });

  describe('Hive, streaming', () => {
    it('hands each delta to onText in order and keeps the completed text', async () => {
      harness.fake.reply = () => 'Olá Ana! Sim, abrimos aos sábados das 9h às 13h.';
      const deltas: string[] = [];

      const reply = await harness.service.run(target({ stream: true }), anaRequest(), {
        onText: (delta) => deltas.push(delta),
      });

      expect(reply.text).toBe('Olá Ana! Sim, abrimos aos sábados das 9h às 13h.');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(reply.text);
      expect(reply).toMatchObject({
        sessionId: 'omni-test_5511988880001',
        runId: expect.any(String),
        outputTokens: 10,
      });
      expect(harness.fake.requests[0].fields.stream).toBe('true');
      expect(harness.fake.requests[0].headers.accept).toBe('text/event-stream');
    });

    it('delivers deltas as they arrive, before the run completes', async () => {
      harness.fake.streamChunkDelayMs = 40;
      let firstDeltaAt = 0;

      await harness.service.run(target({ stream: true }), anaRequest(), {
        onText: () => (firstDeltaAt ||= Date.now()),
      });

      expect(Date.now() - firstDeltaAt).toBeGreaterThanOrEqual(80);
    });

    it("keeps a team's member content out of the reply", async () => {
      const deltas: string[] = [];

      const team = target({ stream: true, agentType: 'team', agentId: 'suporte' });

      const reply = await harness.service.run(team, anaRequest(), { onText: (delta) => deltas.push(delta) });

      expect(reply.text).toBe(ECHO);
      expect(deltas.join('')).toBe(ECHO);
      expect(reply.toolsUsed).toEqual(['delegate_task_to_member']);
    });

    it('answers a workflow with its final output only, as one piece', async () => {
      const deltas: string[] = [];

      const reply = await harness.service.run(
        target({ stream: true, agentType: 'workflow', agentId: 'onboarding' }),
        anaRequest(),
        { onText: (delta) => deltas.push(delta) },
      );

      expect(reply.text).toBe(ECHO);
      expect(deltas).toEqual([ECHO]);
    });

    it('reads legacy agno v1 streams of bare JSON objects', async () => {
      harness.fake.legacyStream = true;

      const reply = await harness.service.run(target({ stream: true }), anaRequest());

      expect(reply.text).toBe(ECHO);
    });

    it('reports a streamed pause with the tools awaiting confirmation', async () => {
      harness.fake.reply = () => ({ content: 'Confirma?', tools: ['cancelar_pedido'], paused: true });

      const reply = await harness.service.run(target({ stream: true }), anaRequest());

      expect(reply.paused).toBe(true);
      expect(reply.raw).toMatchObject({ event: 'RunPaused', tools: [{ tool_name: 'cancelar_pedido' }] });
    });
  });

  describe('continueRun', () => {
    const tools = [{ tool_call_id: 'call_1', tool_name: 'cancelar_pedido', tool_args: {}, confirmed: true }];

    it.each([false, true])('posts the confirmed tools to the paused run (stream: %s)', async (stream) => {
      harness.fake.reply = () => 'Pedido cancelado.';

      const reply = await harness.service.continueRun(target({ stream }), 'run-42', tools, 'omni-test_55', '55');

      expect(reply).toMatchObject({ text: 'Pedido cancelado.', runId: 'run-42' });
      const [call] = harness.fake.requests;
      expect(call.path).toBe('/agents/atendimento/runs/run-42/continue');
      expect(call.fields).toEqual({
        tools: JSON.stringify(tools),
        stream: String(stream),
        session_id: 'omni-test_55',
        user_id: '55',
      });
    });

    it('refuses team runs, which AgentOS cannot continue', async () => {
      await expect(
        harness.service.continueRun(target({ agentType: 'team', agentId: 'suporte' }), 'run-42', tools, 's', 'u'),
      ).rejects.toMatchObject({ kind: 'protocol' });
      expect(harness.fake.requests).toHaveLength(0);
    });
  });

  describe('discovery', () => {
    it('lists agents, teams and workflows', async () => {
      const found = await harness.service.listAgents(target());

      expect(found).toEqual([
        { id: 'atendimento', type: 'agent', name: 'Atendimento' },
        { id: 'faturamento', type: 'agent', name: 'Faturamento' },
        { id: 'suporte', type: 'team', name: 'Suporte' },
        { id: 'onboarding', type: 'workflow', name: 'Onboarding', description: 'Onboarding workflow' },
      ]);
    });

    it('checks health', async () => {
      await expect(harness.service.health(target())).resolves.toMatchObject({ status: 'ok' });
    });
  });

  describe('Automagik agents API', () => {
    it('posts JSON with the x-api-key header and maps the answer', async () => {
      harness.fake.reply = () => ({ content: 'Abrimos sim!', tools: ['horario'] });

      const reply = await harness.service.run(automagikTarget(harness.baseUrl), anaRequest());

      expect(reply).toMatchObject({
        text: 'Abrimos sim!',
        sessionId: 'omni-test_5511988880001',
        inputTokens: expect.any(Number),
        outputTokens: 'Abrimos sim!'.length,
        toolsUsed: ['horario'],
      });
      const [call] = harness.fake.requests;
      expect(call.path).toBe('/api/v1/agent/atendimento/run');
      expect(call.headers['x-api-key']).toBe(FAKE_AGENT_KEY);
      expect(call.body).toEqual({
        message_content: 'Oi! Vocês abrem no sábado?',
        message_type: 'text',
        session_name: 'omni-test_5511988880001',
        user: { phone_number: '5511988880001', user_data: { name: 'Ana' } },
      });
    });

    it('sends media as media_contents and a UUID user id as user_id', async () => {
      const userId = '0b8f2c1e-4d5a-4e6f-9a7b-8c9d0e1f2a3b';
      const media = [{ kind: 'image' as const, mimeType: 'image/jpeg', base64: 'AAEC' }];

      const request = anaRequest({ userId, text: 'olha', messageType: 'image', media });

      await harness.service.run(automagikTarget(harness.baseUrl), request);

      expect(harness.fake.requests[0].body).toMatchObject({
        message_type: 'image',
        user_id: userId,
        media_contents: [{ alt_text: 'olha', mime_type: 'image/jpeg', data: 'AAEC' }],
      });
    });

    it('turns success:false into a run_error', async () => {
      harness.fake.failWith = 'stream-error';

      await expect(harness.service.run(automagikTarget(harness.baseUrl), anaRequest())).rejects.toMatchObject({
        kind: 'run_error',
        message: expect.stringContaining('Rate limit reached'),
      });
    });
  });
});
