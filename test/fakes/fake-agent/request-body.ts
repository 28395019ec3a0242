// Reads a request body the way FastAPI would: urlencoded or multipart forms, or JSON.
import type { IncomingMessage } from 'node:http';

export interface ReceivedFile {
  /** The form part's name (`files` for AgentOS). */
  field: string;
  name: string;
  mimetype: string;
  size: number;
}

export interface ParsedBody {
  kind: 'form' | 'json' | 'empty' | 'other';
  fields: Record<string, string>;
  files: ReceivedFile[];
  /** The parsed JSON, or the body as text. */
  body: unknown;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const type = (contentType ?? '').toLowerCase();
  const text = raw.toString('utf8');
  if (raw.length === 0) return { kind: 'empty', fields: {}, files: [], body: '' };
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { kind: 'form', fields: Object.fromEntries(new URLSearchParams(text)), files: [], body: text };
  }
  if (type.startsWith('multipart/form-data')) {
    return { kind: 'form', ...parseMultipart(raw, boundaryOf(contentType)), body: text };
  }
  if (type.startsWith('application/json')) return { kind: 'json', fields: {}, files: [], body: parseJsonOrText(text) };
  return { kind: 'other', fields: {}, files: [], body: text };
}

function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match?.[1] ?? match?.[2] ?? '';
}

function parseMultipart(raw: Buffer, boundary: string): Pick<ParsedBody, 'fields' | 'files'> {
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  for (const part of multipartParts(raw, boundary)) {
    const headers = part.subarray(0, part.indexOf('\r\n\r\n')).toString('utf8');
    const content = part.subarray(part.indexOf('\r\n\r\n') + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const fileName = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (fileName === undefined) fields[name] = content.toString('utf8');
    else files.push({ field: name, name: fileName, mimetype: partContentType(headers), size: content.length });
  }
  return { fields, files };
}

/** The bytes between `--boundary` lines, without the CRLFs that frame them. */
function multipartParts(raw: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const contentStart = start + delimiter.length;
    if (raw.subarray(contentStart, contentStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, contentStart);
    if (next === -1) break;
    parts.push(raw.subarray(contentStart + 2, next - 2));
    start = next;
  }
  return parts;
}

function partContentType(headers: string): string {
  return /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1].trim() ?? 'application/octet-stream';
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
