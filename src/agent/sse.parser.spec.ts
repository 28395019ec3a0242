import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SseEvent, SseParser, parseSseStream } from './sse.parser';

const FIXTURES = join(__dirname, '../../../shared/fixtures/hive');
const SSE_FIXTURES = ['run.stream.sse.txt', 'team.run.stream.sse.txt', 'run.stream.error.sse.txt'];

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** Feeds the bytes cut at the given offsets, decoding as a socket reader would. */
function parseInPieces(bytes: Buffer, cuts: number[]): SseEvent[] {
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  const events: SseEvent[] = [];
  const bounds = [0, ...cuts, bytes.length];
  for (let i = 0; i < bounds.length - 1; i++) {
    events.push(...parser.push(decoder.decode(bytes.subarray(bounds[i], bounds[i + 1]), { stream: true })));
  }
  events.push(...parser.push(decoder.decode()), ...parser.end());
  return events;
}

function parseWhole(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}

describe('SseParser', () => {
  it('reads the agent stream fixture event by event', () => {
    const events = parseInPieces(fixture('run.stream.sse.txt'), []);

    expect(events.map((e) => e.event)).toEqual([
      'RunStarted',
      'RunContent',
      'RunContent',
      'RunContent',
      'RunContent',
      'RunContentCompleted',
      'RunCompleted',
    ]);
    expect(JSON.parse(events[2].data)).toMatchObject({ event: 'RunContent', content: 'Sim, abrimos aos sábados ' });
  });

  it.each(SSE_FIXTURES)('gives the same events for %s whatever byte it is cut at', (name) => {
    const bytes = fixture(name);
    const expected = parseInPieces(bytes, []);

    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseInPieces(bytes, [cut])).toEqual(expected);
    }
  });

  it('survives a stream delivered one byte at a time', () => {
    const bytes = fixture('team.run.stream.sse.txt');
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);

    expect(parseInPieces(bytes, everyByte)).toEqual(parseInPieces(bytes, []));
  });

  it('tolerates CRLF line breaks, even when a chunk ends between CR and LF', () => {
    const lf = fixture('run.stream.sse.txt');
    const crlf = Buffer.from(lf.toString('utf8').replace(/\n/g, '\r\n'), 'utf8');
    const expected = parseInPieces(lf, []);

    for (let cut = 1; cut < crlf.length; cut++) {
      expect(parseInPieces(crlf, [cut])).toEqual(expected);
    }
  });

  it('tolerates bare CR line breaks', () => {
    expect(parseWhole('event: A\rdata: 1\r\r')).toEqual([{ event: 'A', data: '1' }]);
  });

  it('joins several data lines with a newline and ignores comments and unknown fields', () => {
    const text = ': keep-alive\nid: 7\nretry: 100\nevent: Note\ndata: first\ndata:second\ndata\n\n';

    expect(parseWhole(text)).toEqual([{ event: 'Note', data: 'first\nsecond\n' }]);
  });

  it('names an event without an event field "message" and skips blocks without data', () => {
    expect(parseWhole('event: Lonely\n\ndata: {"event":"RunContent"}\n\n')).toEqual([
      { event: 'message', data: '{"event":"RunContent"}' },
    ]);
  });

  it('keeps the last event when the server closes without a blank line', () => {
    expect(parseWhole('event: RunCompleted\ndata: {}')).toEqual([{ event: 'RunCompleted', data: '{}' }]);
  });

  describe('legacy agno v1 streams (concatenated JSON)', () => {
    const objects = [
      { event: 'RunStarted', run_id: 'r1' },
      { event: 'RunResponseContent', content: 'braces { } and "quotes" \\ inside' },
      { event: 'RunResponseContent', content: 'Olá, tudo bem? 👋' },
      { event: 'RunCompleted', content: 'done', metrics: { input_tokens: [3] } },
    ];
    const legacy = Buffer.from(objects.map((o) => JSON.stringify(o, null, 2)).join(''), 'utf8');

    it('emits each object with its event name', () => {
      const events = parseInPieces(legacy, []);

      expect(events.map((e) => e.event)).toEqual(objects.map((o) => o.event));
      expect(events.map((e) => JSON.parse(e.data))).toEqual(objects);
    });

    it('gives the same objects whatever byte it is cut at', () => {
      const expected = parseInPieces(legacy, []);

      for (let cut = 1; cut < legacy.length; cut++) {
        expect(parseInPieces(legacy, [cut])).toEqual(expected);
      }
    });

    it('accepts whitespace or newlines between objects and before the first', () => {
      const events = parseWhole('\uFEFF\n  {"event":"A"}\n{"event":"B","x":{"y":1}}  \n');

      expect(events).toEqual([
        { event: 'A', data: '{"event":"A"}' },
        { event: 'B', data: '{"event":"B","x":{"y":1}}' },
      ]);
    });
  });

  it('parses an async stream of chunks', async () => {
    async function* chunks() {
      yield 'event: A\nda';
      yield 'ta: 1\n\nevent: B\ndata: 2\n\n';
    }
    const events: SseEvent[] = [];
    for await (const event of parseSseStream(chunks())) events.push(event);

    expect(events).toEqual([
      { event: 'A', data: '1' },
      { event: 'B', data: '2' },
    ]);
  });
});
