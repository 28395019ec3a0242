// The form AgentOS reads a run from (FastAPI `Form(...)` fields): urlencoded, or multipart when
// media bytes go along as `files` parts.
import type { InboundMedia } from '../channels/channel';
import type { AgentRequest, AgentTarget } from './agent.types';

type FormFields = Record<string, string | undefined>;

const DEFAULT_MIME_TYPES: Record<InboundMedia['kind'], string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg',
  document: 'application/pdf',
  sticker: 'image/webp',
};

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'audio/mpeg': 'mp3', 'text/plain': 'txt' };

export function runForm(target: AgentTarget, request: AgentRequest): URLSearchParams | FormData {
  const fields: FormFields = {
    // FastAPI treats an empty form field as missing (422), and a voice note carries no text.
    message: request.text.trim() ? request.text : `[${request.messageType}]`,
    stream: String(target.stream),
    session_id: request.sessionId,
    user_id: request.userId,
  };
  // Workflow runs take no files: AgentOS would hand them to the workflow as an unknown argument.
  const media = target.agentType === 'workflow' ? [] : (request.media ?? []).filter((item) => item.base64);
  return media.length ? multipartForm(fields, media) : urlencodedForm(fields);
}

export function urlencodedForm(fields: FormFields): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of presentFields(fields)) form.append(name, value);
  return form;
}

function multipartForm(fields: FormFields, media: InboundMedia[]): FormData {
  const form = new FormData();
  for (const [name, value] of presentFields(fields)) form.append(name, value);
  for (const item of media) {
    const mimeType = uploadMimeType(item);
    const bytes = Buffer.from(item.base64 ?? '', 'base64');
    form.append('files', new Blob([bytes], { type: mimeType }), item.fileName ?? defaultFileName(item, mimeType));
  }
  return form;
}

/** AgentOS matches the bare type against an allow-list: `audio/ogg; codecs=opus` must go as `audio/ogg`. */
export function uploadMimeType(item: InboundMedia): string {
  const bare = item.mimeType?.split(';')[0].trim().toLowerCase();
  return bare || DEFAULT_MIME_TYPES[item.kind];
}

function defaultFileName(item: InboundMedia, mimeType: string): string {
  const extension = EXTENSIONS[mimeType] ?? mimeType.split('/')[1]?.split(/[+.]/).pop() ?? 'bin';
  return `${item.kind}.${extension}`;
}

function presentFields(fields: FormFields): [string, string][] {
  return Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
}
