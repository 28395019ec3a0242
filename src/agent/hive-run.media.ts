// The files of an AgentOS run (RunOutput / RunCompleted): `images`, `videos`, `audio` and `files`
// lists and a `response_audio` object, each item with a `url` or its bytes as base64 `content`.
import type { OutboundFile } from '../channels/channel';
import { arrayField, isJsonObject, JsonObject, objectField, stringField } from './json-fields';

const LISTS: [field: string, kind: OutboundFile['kind']][] = [
  ['images', 'image'],
  ['videos', 'video'],
  ['audio', 'audio'],
  ['files', 'document'],
];

export function mediaOfRun(run: JsonObject): OutboundFile[] {
  const listed = LISTS.flatMap(([field, kind]) => arrayField(run, field).map((item) => fileOf(item, kind)));
  const spoken = fileOf(objectField(run, 'response_audio'), 'audio');
  return [...listed, spoken].filter((file): file is OutboundFile => file !== undefined);
}

function fileOf(item: unknown, kind: OutboundFile['kind']): OutboundFile | undefined {
  if (!isJsonObject(item)) return undefined;
  const url = stringField(item, 'url');
  const base64 = url ? undefined : stringField(item, 'content');
  if (!url && !base64) return undefined;
  const format = stringField(item, 'format');
  const mimeType = stringField(item, 'mime_type') ?? (format ? `${kind === 'document' ? 'application' : kind}/${format}` : undefined);
  const fileName = stringField(item, 'filename') ?? stringField(item, 'name');
  return { kind, ...(url ? { url } : { base64 }), ...(mimeType ? { mimeType } : {}), ...(fileName ? { fileName } : {}) };
}
