// Builds Evolution webhook envelopes from the shared fixtures and posts them the way Evolution
// does, so tests can replay a body (an Evolution retry), fire messages concurrently, or use suffix URLs.
import { sharedFixturesDir } from './shared-fixtures';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** `../shared/fixtures/evolution`, beside the project root. */
export const EVOLUTION_FIXTURES_DIR = sharedFixturesDir('evolution');

export type EvolutionEventFixture =
  | 'messages.upsert.audio'
  | 'messages.upsert.document'
  | 'messages.upsert.extendedText.legacy'
  | 'messages.upsert.fromMe'
  | 'messages.upsert.group'
  | 'messages.upsert.group.lid'
  | 'messages.upsert.image'
  | 'messages.upsert.quoted'
  | 'messages.upsert.reaction'
  | 'messages.upsert.status-broadcast'
  | 'messages.upsert.text'
  | 'messages.upsert.text.lid'
  | 'messages.upsert.video'
  | 'messages.update'
  | 'send.message'
  | 'connection.update'
  | 'connection.update.close'
  | 'qrcode.updated';

type JsonObject = Record<string, unknown>;

export interface EvolutionEnvelope extends JsonObject {
  event: string;
  instance: string;
  data: JsonObject;
  apikey?: string | null;
}

export interface EnvelopeOverrides {
  instance?: string;
  /** The message's `key.id`: a fresh unique id by default; `null` keeps the fixture's. */
  keyId?: string | null;
  remoteJid?: string;
  participant?: string;
  text?: string;
  fromMe?: boolean;
  pushName?: string;
  /** Unix seconds: now by default; `null` keeps the fixture's. */
  messageTimestamp?: number | null;
  apikey?: string | null;
  /** Merged last: objects merge key by key, other values replace, `undefined` deletes the key. */
  deep?: JsonObject;
}

/** A fresh copy of `<name>.json` from the fixtures folder. */
export function loadEvolutionFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(EVOLUTION_FIXTURES_DIR, `${name}.json`), 'utf8')) as T;
}

/** A unique id in the Android shape (32 upper-case hex characters). */
export function freshMessageId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** The URL segment Evolution appends with `webhookByEvents`: `messages.upsert` → `messages-upsert`. */
export function eventSuffix(event: string): string {
  return event.replace(/[._]/g, '-').toLowerCase();
}

export function evolutionEnvelope(fixture: EvolutionEventFixture, overrides: EnvelopeOverrides = {}): EvolutionEnvelope {
  const envelope = loadEvolutionFixture<EvolutionEnvelope>(fixture);
  applyInstance(envelope, overrides.instance);
  applyMessageOverrides(envelope.data, overrides);
  if (overrides.apikey !== undefined) envelope.apikey = overrides.apikey;
  return overrides.deep ? (mergeDeep(envelope, overrides.deep) as EvolutionEnvelope) : envelope;
}

export interface PostWebhookOptions {
  /** `true` derives the `webhookByEvents` suffix from the envelope's event; a string is used as is. */
  suffix?: string | true;
  headers?: Record<string, string>;
}

/** POSTs an envelope to Omni's `/webhook/evolution/{instance}[/{suffix}]` with Evolution's axios headers. */
export function postWebhook(baseUrl: string, instanceName: string, envelope: unknown, options: PostWebhookOptions = {}): Promise<Response> {
  const suffix = options.suffix === true ? eventSuffix(eventOf(envelope)) : options.suffix;
  const url = `${baseUrl.replace(/\/+$/, '')}/webhook/evolution/${encodeURIComponent(instanceName)}${suffix ? `/${suffix}` : ''}`;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/plain, */*',
      'user-agent': 'axios/1.12.2',
      ...options.headers,
    },
    body: JSON.stringify(envelope),
  });
}

function eventOf(envelope: unknown): string {
  return isObject(envelope) && typeof envelope.event === 'string' ? envelope.event : '';
}

function applyInstance(envelope: EvolutionEnvelope, instance: string | undefined): void {
  if (instance === undefined) return;
  envelope.instance = instance;
  if (typeof envelope.destination === 'string') {
    envelope.destination = envelope.destination.replace(/[^/]+$/, encodeURIComponent(instance));
  }
  if (typeof envelope.data.instance === 'string') envelope.data.instance = instance;
  if (isObject(envelope.data.qrcode)) envelope.data.qrcode.instance = instance;
}

function applyMessageOverrides(data: JsonObject, overrides: EnvelopeOverrides): void {
  const key = isObject(data.key) ? data.key : undefined;
  if (key) applyKeyOverrides(key, overrides);
  if (overrides.pushName !== undefined) data.pushName = overrides.pushName;
  if (overrides.text !== undefined && isObject(data.message)) setText(data.message, overrides.text);
  if ('messageTimestamp' in data && overrides.messageTimestamp !== null) {
    data.messageTimestamp = overrides.messageTimestamp ?? Math.floor(Date.now() / 1000);
  }
}

function applyKeyOverrides(key: JsonObject, overrides: EnvelopeOverrides): void {
  if (overrides.keyId !== null) key.id = overrides.keyId ?? freshMessageId();
  if (overrides.remoteJid !== undefined) key.remoteJid = overrides.remoteJid;
  if (overrides.participant !== undefined) key.participant = overrides.participant;
  if (overrides.fromMe !== undefined) key.fromMe = overrides.fromMe;
}

// Puts the text where this message carries it: body, extended text, or media caption.
function setText(message: JsonObject, text: string): void {
  if (isObject(message.extendedTextMessage)) {
    message.extendedTextMessage.text = text;
    return;
  }
  const media = ['imageMessage', 'videoMessage', 'documentMessage'].map((type) => message[type]).find(isObject);
  if (media) media.caption = text;
  else message.conversation = text;
}

function mergeDeep(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) delete target[name];
    else if (isObject(value) && isObject(target[name])) mergeDeep(target[name], value);
    else target[name] = value;
  }
  return target;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
