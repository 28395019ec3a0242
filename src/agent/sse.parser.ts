// Incremental parser for agent server streams. Chunks arrive already decoded (the caller uses a
// streaming UTF-8 decoder) and may be cut anywhere, even between the CR and LF of one line break.
// agno v2 speaks SSE; agno v1 (Hive 0.1) wrote bare concatenated JSON objects, so a stream whose
// first character is `{` is read that way instead.
import { isJsonObject, stringField } from './json-fields';

export interface SseEvent {
  /** The `event:` field, or a legacy object's `event` property; `message` when neither is set. */
  event: string;
  /** The `data:` lines joined with `\n`, or the JSON text of a legacy object. */
  data: string;
}

interface ChunkParser {
  push(chunk: string): SseEvent[];
  end(): SseEvent[];
}

const DEFAULT_EVENT = 'message';
const LEADING_NOISE = /^[\s\uFEFF]*/;

export class SseParser implements ChunkParser {
  private parser?: ChunkParser;
  private undecided = '';

  push(chunk: string): SseEvent[] {
    if (this.parser) return this.parser.push(chunk);
    this.undecided += chunk;
    const start = LEADING_NOISE.exec(this.undecided)?.[0].length ?? 0;
    if (start === this.undecided.length) return [];
    this.parser = this.undecided[start] === '{' ? new ConcatenatedJsonParser() : new SseFrameParser();
    const buffered = this.undecided.slice(start);
    this.undecided = '';
    return this.parser.push(buffered);
  }

  end(): SseEvent[] {
    return this.parser?.end() ?? [];
  }
}

export async function* parseSseStream(chunks: AsyncIterable<string>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}

/** The `event:`/`data:` framing of text/event-stream (id and retry fields are of no use here). */
class SseFrameParser implements ChunkParser {
  private pending = '';
  private eventName = '';
  private dataLines: string[] = [];

  push(chunk: string): SseEvent[] {
    // Only the tail can hold a new line break: the rest was scanned by the previous push.
    const scanFrom = Math.max(0, this.pending.length - 1);
    this.pending += chunk;
    return this.takeLines(scanFrom).flatMap((line) => this.readLine(line));
  }

  end(): SseEvent[] {
    const events = this.pending === '' ? [] : this.readLine(this.pending.replace(/\r$/, ''));
    this.pending = '';
    // A server that closes without the final blank line still meant its last event.
    return [...events, ...this.dispatch()];
  }

  private takeLines(scanFrom: number): string[] {
    const lines: string[] = [];
    const lineBreak = /\r\n|\r|\n/g;
    lineBreak.lastIndex = scanFrom;
    let start = 0;
    for (let match = lineBreak.exec(this.pending); match; match = lineBreak.exec(this.pending)) {
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.pending.length - 1) break;
      lines.push(this.pending.slice(start, match.index));
      start = match.index + match[0].length;
    }
    this.pending = this.pending.slice(start);
    return lines;
  }

  private readLine(line: string): SseEvent[] {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return [];
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.eventName = value;
    if (field === 'data') this.dataLines.push(value);
    return [];
  }

  private dispatch(): SseEvent[] {
    const events = this.dataLines.length
      ? [{ event: this.eventName || DEFAULT_EVENT, data: this.dataLines.join('\n') }]
      : [];
    this.eventName = '';
    this.dataLines = [];
    return events;
  }
}

/** agno v1 streams: pretty-printed JSON objects back to back, with no separators at all. */
class ConcatenatedJsonParser implements ChunkParser {
  private text = '';
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  push(chunk: string): SseEvent[] {
    this.text += chunk;
    const events: SseEvent[] = [];
    let objectStart = 0;
    for (let i = this.scanned; i < this.text.length; i++) {
      const boundary = this.scan(this.text[i]);
      if (boundary === 'open') objectStart = i;
      if (boundary === 'close') events.push(legacyEvent(this.text.slice(objectStart, i + 1)));
    }
    this.keepOpenObject(objectStart);
    return events;
  }

  end(): SseEvent[] {
    return [];
  }

  /** Tracks nesting and strings; says when a character opens or closes a top-level object. */
  private scan(char: string): 'open' | 'close' | undefined {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (char === '\\') this.escaped = true;
      else if (char === '"') this.inString = false;
      return undefined;
    }
    if (char === '"' && this.depth > 0) this.inString = true;
    if (char === '{') return ++this.depth === 1 ? 'open' : undefined;
    if (char === '}' && this.depth > 0) return --this.depth === 0 ? 'close' : undefined;
    return undefined;
  }

  private keepOpenObject(objectStart: number): void {
    // Text between objects is dropped; an object still open is kept from its first brace.
    this.text = this.depth > 0 ? this.text.slice(objectStart) : '';
    this.scanned = this.text.length;
  }
}

function legacyEvent(json: string): SseEvent {
  return { event: eventNameOf(json) ?? DEFAULT_EVENT, data: json };
}

function eventNameOf(json: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return isJsonObject(parsed) ? stringField(parsed, 'event') : undefined;
  } catch {
    return undefined;
  }
}
