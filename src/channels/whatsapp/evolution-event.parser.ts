// Turns one Evolution API v2 webhook body into one typed event. Pure: no I/O, never throws.
// Shapes and pitfalls: shared/notes/protocols.md §1 (2.3.6, with the 2.2.x and ≤2.1 variants).
import type { InboundMedia, InboundMessage, InboundQuote, InboundSender, MessageType } from '../channel';

export type EvolutionEvent =
  /** A message typed by a person. `fromMe` ones were typed on the owner's phone (a human operator). */
  | { kind: 'message'; message: InboundMessage; fromMe: boolean }
  /** Echo of a message Omni sent through the API (`send.message`). */
  | { kind: 'sent'; externalMessageId: string; chatId: string }
  | {
      kind: 'connection';
      state: string;
      statusReason?: number;
      ownerJid?: string;
      profileName?: string;
      profilePictureUrl?: string;
    }
  /** `qrBase64` is the `data:image/png;base64,…` URL as Evolution sends it; `error` is set when the QR limit was reached. */
  | { kind: 'qrcode'; qrBase64?: string; pairingCode?: string; code?: string; error?: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

type JsonObject = Record<string, unknown>;

interface EventContext {
  body: JsonObject;
  data: JsonObject;
  instanceName: string;
}

const STATUS_BROADCAST = 'status@broadcast';
const PHONE_SUFFIX = '@s.whatsapp.net';
const LID_SUFFIX = '@lid';

const KNOWN_EVENTS = [
  'application.startup', 'call', 'chats.delete', 'chats.set', 'chats.update', 'chats.upsert',
  'connection.update', 'contacts.set', 'contacts.update', 'contacts.upsert', 'group-participants.update',
  'groups.update', 'groups.upsert', 'instance.create', 'instance.delete', 'labels.association', 'labels.edit',
  'logout.instance', 'messages.delete', 'messages.edited', 'messages.set', 'messages.update', 'messages.upsert',
  'presence.update', 'qrcode.updated', 'remove.instance', 'send.message', 'send.message.update',
  'status.instance', 'typebot.change-status', 'typebot.start',
];

/** Maps the `webhookByEvents` URL suffix back to the event name: `messages-upsert` → `messages.upsert`. */
export function eventNameFromSuffix(suffix: string): string {
  const kebab = suffix.toLowerCase();
  return KNOWN_EVENTS.find((name) => name.replace(/[._]/g, '-') === kebab) ?? kebab.replace(/-/g, '.');
}

/**
 * Parses a webhook body. `instanceName` comes from the webhook URL, which Omni controls; the body's
 * own `instance` field is not trusted for routing.
 */
export function parseEvolutionEvent(body: unknown, instanceName: string): EvolutionEvent {
  if (!isObject(body)) return invalid('body is not a JSON object');
  const event = typeof body.event === 'string' ? normalizeEventName(body.event) : '';
  if (!event) return invalid('no event name');
  if (body.data === undefined || body.data === null) return invalid(`${event} without data`);
  const parse = EVENT_PARSERS[event];
  if (!parse) return ignored(`event ${event} is not handled`);
  if (!isObject(body.data)) return invalid(`${event} data is not an object`);
  return parse({ body, data: body.data, instanceName });
}

const EVENT_PARSERS: Record<string, (ctx: EventContext) => EvolutionEvent> = {
  'messages.upsert': parseUpsert,
  'send.message': parseSent,
  'connection.update': parseConnection,
  'qrcode.updated': parseQrCode,
};

// Configuration uses MESSAGES_UPSERT; payloads use messages.upsert. Accept both.
function normalizeEventName(name: string): string {
  return /^[A-Z_]+$/.test(name) ? name.toLowerCase().replace(/_/g, '.') : name.toLowerCase();
}

function parseSent({ data }: EventContext): EvolutionEvent {
  const key = objectOrUndefined(data.key);
  const id = text(key?.id);
  const remoteJid = text(key?.remoteJid);
  if (!id || !remoteJid) return invalid('send.message without key.id/key.remoteJid');
  return { kind: 'sent', externalMessageId: id, chatId: remoteJid };
}

function parseConnection({ data }: EventContext): EvolutionEvent {
  const state = text(data.state);
  if (!state) return invalid('connection.update without state');
  return {
    kind: 'connection',
    state,
    statusReason: toNumber(data.statusReason),
    ownerJid: text(data.wuid),
    profileName: text(data.profileName),
    profilePictureUrl: text(data.profilePictureUrl),
  };
}

function parseQrCode({ data }: EventContext): EvolutionEvent {
  const qrcode = objectOrUndefined(data.qrcode);
  if (qrcode) {
    return { kind: 'qrcode', qrBase64: text(qrcode.base64), pairingCode: text(qrcode.pairingCode), code: text(qrcode.code) };
  }
  const limitMessage = text(data.message);
  return limitMessage ? { kind: 'qrcode', error: limitMessage } : invalid('qrcode.updated without qrcode');
}

// ---- messages.upsert -------------------------------------------------------------------------

// Never content of their own: Baileys' getContentType skips them too.
const NON_CONTENT_KEYS = new Set(['messageContextInfo', 'base64', 'mediaUrl', 'speechToText', 'senderKeyDistributionMessage']);
const IGNORED_TYPES = new Set(['protocolMessage', 'senderKeyDistributionMessage', 'unknown']);
const WRAPPER_TYPES = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension', 'documentWithCaptionMessage'];

const MESSAGE_TYPES: Record<string, MessageType> = {
  conversation: 'text',
  extendedTextMessage: 'text',
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'location',
  contactMessage: 'contact',
  contactsArrayMessage: 'contact',
  reactionMessage: 'reaction',
};

const MEDIA_KINDS: Record<string, InboundMedia['kind']> = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
};

interface MessageContent {
  type: string;
  /** The content object after unwrapping ephemeral/view-once/document-with-caption wrappers. */
  content: JsonObject;
  /** The top-level `data.message`, which carries `base64`/`mediaUrl`/`speechToText`. */
  message: JsonObject;
}

function parseUpsert({ body, data, instanceName }: EventContext): EvolutionEvent {
  const key = objectOrUndefined(data.key);
  const id = text(key?.id);
  const remoteJid = text(key?.remoteJid);
  if (!key || !id || !remoteJid) return invalid('messages.upsert without key.id/key.remoteJid');
  if (remoteJid === STATUS_BROADCAST) return ignored('status broadcast');
  const message = objectOrUndefined(data.message);
  if (!message) return ignored('no message content');
  const declaredType = text(data.messageType);
  if (declaredType && IGNORED_TYPES.has(declaredType)) return ignored(`${declaredType} message`);
  const content = unwrap(message);
  const type = contentTypeOf(content, declaredType);
  if (!type || IGNORED_TYPES.has(type)) return ignored(`${type ?? 'empty'} message`);
  const fromMe = key.fromMe === true;
  const parsed: MessageContent = { type, content, message };
  return { kind: 'message', fromMe, message: buildInbound(body, data, key, parsed, instanceName) };
}

function buildInbound(body: JsonObject, data: JsonObject, key: JsonObject, parsed: MessageContent, instanceName: string): InboundMessage {
  const chatId = String(key.remoteJid);
  const isGroup = chatId.endsWith('@g.us');
  const context = contextInfoOf(data, parsed);
  return {
    channel: 'whatsapp',
    instanceName,
    externalMessageId: String(key.id),
    // Kept exactly as Evolution gave it, even when it is a LID (`NNN@lid`) with the phone only in
    // remoteJidAlt: replies must go to the JID the conversation is addressed by.
    chatId,
    isGroup,
    sender: resolveSender(key, isGroup, text(body.sender), text(data.pushName)),
    messageType: MESSAGE_TYPES[parsed.type] ?? 'unknown',
    text: messageText(parsed),
    media: mediaOf(parsed),
    quoted: quoteOf(context),
    mentions: mentionsOf(context),
    reaction: reactionOf(parsed),
    timestamp: timestampOf(data.messageTimestamp),
    raw: body,
  };
}

function unwrap(message: JsonObject): JsonObject {
  let content = message;
  for (let depth = 0; depth < 3; depth++) {
    const inner = WRAPPER_TYPES.map((type) => objectOrUndefined(objectOrUndefined(content[type])?.message)).find(Boolean);
    if (!inner) break;
    content = inner;
  }
  return content;
}

// Evolution's messageType names the wrapper (or is stale for ≤2.1 payloads); trust it only when
// the content really has that key.
function contentTypeOf(content: JsonObject, declaredType: string | undefined): string | undefined {
  if (declaredType && declaredType in content) return declaredType;
  return Object.keys(content).find((keyName) => !NON_CONTENT_KEYS.has(keyName) && content[keyName] !== null);
}

function contextInfoOf(data: JsonObject, { type, content }: MessageContent): JsonObject | undefined {
  return (
    objectOrUndefined(data.contextInfo) ??
    objectOrUndefined(objectOrUndefined(content.extendedTextMessage)?.contextInfo) ??
    objectOrUndefined(objectOrUndefined(content[type])?.contextInfo)
  );
}

function messageText(parsed: MessageContent): string {
  const fromContent = textOfContent(parsed.content, parsed.type);
  if (fromContent || parsed.type !== 'audioMessage') return fromContent;
  // Present only when Evolution's own speech-to-text is enabled.
  return text(parsed.message.speechToText) ?? '';
}

/** Text, caption or a short rendering of one content object (also used for quoted messages). */
function textOfContent(content: JsonObject, type = contentTypeOf(content, undefined)): string {
  const fields = objectOrUndefined(type ? content[type] : undefined) ?? {};
  return (
    text(content.conversation) ??
    text(objectOrUndefined(content.extendedTextMessage)?.text) ??
    captionOf(content) ??
    renderNonText(type, fields) ??
    ''
  );
}

function captionOf(content: JsonObject): string | undefined {
  return ['imageMessage', 'videoMessage', 'documentMessage']
    .map((type) => text(objectOrUndefined(content[type])?.caption))
    .find(Boolean);
}

function renderNonText(type: string | undefined, fields: JsonObject): string | undefined {
  switch (type) {
    case 'locationMessage':
    case 'liveLocationMessage':
      return renderLocation(fields);
    case 'contactMessage':
      return renderContact(fields);
    case 'contactsArrayMessage':
      return arrayOf(fields.contacts).filter(isObject).map(renderContact).join('\n') || undefined;
    case 'reactionMessage':
      return text(fields.text);
    case 'buttonsResponseMessage':
    case 'templateButtonReplyMessage':
      return text(fields.selectedDisplayText);
    case 'listResponseMessage':
      return text(fields.title);
    default:
      return undefined;
  }
}

function renderLocation(fields: JsonObject): string {
  const where = `📍 ${toNumber(fields.degreesLatitude) ?? '?'},${toNumber(fields.degreesLongitude) ?? '?'}`;
  return [where, text(fields.name), text(fields.address)].filter(Boolean).join(' ');
}

function renderContact(fields: JsonObject): string {
  const vcard = text(fields.vcard) ?? '';
  const name = text(fields.displayName) ?? /^FN:(.*)$/m.exec(vcard)?.[1]?.trim();
  const number = /waid=(\d+)/.exec(vcard)?.[1] ?? /^(?:item\d+\.)?TEL[^:]*:(.+)$/m.exec(vcard)?.[1]?.trim();
  return ['👤', name, number].filter(Boolean).join(' ');
}

function mediaOf({ type, content, message }: MessageContent): InboundMedia | undefined {
  const kind = MEDIA_KINDS[type];
  if (!kind) return undefined;
  const fields = objectOrUndefined(content[type]) ?? {};
  return {
    kind,
    mimeType: text(fields.mimetype),
    fileName: text(fields.fileName),
    base64: stripDataUrlPrefix(text(message.base64)),
    url: text(message.mediaUrl),
    isVoiceNote: kind === 'audio' ? fields.ptt === true : undefined,
    seconds: toNumber(fields.seconds),
  };
}

function quoteOf(context: JsonObject | undefined): InboundQuote | undefined {
  const messageId = text(context?.stanzaId);
  if (!context || !messageId) return undefined;
  const quotedMessage = objectOrUndefined(context.quotedMessage);
  const quotedText = quotedMessage ? textOfContent(unwrap(quotedMessage)) : '';
  return { messageId, participant: text(context.participant), text: quotedText || undefined };
}

function mentionsOf(context: JsonObject | undefined): string[] {
  return arrayOf(context?.mentionedJid).filter((jid): jid is string => typeof jid === 'string' && jid !== '');
}

function reactionOf({ type, content }: MessageContent): InboundMessage['reaction'] {
  if (type !== 'reactionMessage') return undefined;
  const fields = objectOrUndefined(content.reactionMessage);
  const targetMessageId = text(objectOrUndefined(fields?.key)?.id);
  // An empty emoji means the person removed their reaction.
  return targetMessageId ? { emoji: typeof fields?.text === 'string' ? fields.text : '', targetMessageId } : undefined;
}

// ---- identity --------------------------------------------------------------------------------

/**
 * One identity per person across the LID migration: the phone when any field carries it, else
 * the LID. For `fromMe` messages the author is the instance owner (the envelope's `sender`), not
 * the chat partner that `remoteJid`/`remoteJidAlt` name.
 */
function resolveSender(key: JsonObject, isGroup: boolean, ownerJid: string | undefined, pushName: string | undefined): InboundSender {
  const author = isGroup ? text(key.participant) : text(key.remoteJid);
  const candidates = key.fromMe === true ? ownCandidates(key, isGroup, ownerJid) : foreignCandidates(key, author);
  const phone = userPart(candidates.find((jid) => jid.endsWith(PHONE_SUFFIX)));
  const lidUser = userPart(candidates.find((jid) => jid.endsWith(LID_SUFFIX)));
  const lid = lidUser ? `${lidUser}${LID_SUFFIX}` : undefined;
  return {
    id: phone ?? lid ?? author ?? ownerJid ?? String(key.remoteJid),
    phone,
    jid: phone ? `${phone}${PHONE_SUFFIX}` : undefined,
    lid,
    displayName: pushName,
  };
}

function foreignCandidates(key: JsonObject, author: string | undefined): string[] {
  return [key.participantAlt, key.remoteJidAlt, key.senderPn, key.participantPn, author].filter(isNonEmptyString);
}

function ownCandidates(key: JsonObject, isGroup: boolean, ownerJid: string | undefined): string[] {
  const groupAuthor = isGroup ? [key.participantAlt, key.participant] : [];
  return [...groupAuthor, ownerJid].filter(isNonEmptyString);
}

/** `5511999999999:12@s.whatsapp.net` → `5511999999999` (drops the device suffix). */
function userPart(jid: string | undefined): string | undefined {
  return jid?.split('@')[0].split(':')[0] || undefined;
}

// ---- value helpers ---------------------------------------------------------------------------

function timestampOf(value: unknown): Date {
  const seconds = toNumber(value);
  // Without a timestamp, the receipt time is the best available order.
  return seconds === undefined ? new Date() : new Date(seconds * 1000);
}

/** Reads a protobuf number in any of Evolution's encodings: number, decimal string, or `{low, high}` Long. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  if (isObject(value) && typeof value.low === 'number' && typeof value.high === 'number') {
    // Two's complement halves: the low word is always read unsigned.
    return value.high * 2 ** 32 + (value.low >>> 0);
  }
  return undefined;
}

function stripDataUrlPrefix(base64: string | undefined): string | undefined {
  return base64?.replace(/^data:[^,]*;base64,/, '');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectOrUndefined(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function invalid(reason: string): EvolutionEvent {
  return { kind: 'invalid', reason };
}

function ignored(reason: string): EvolutionEvent {
  return { kind: 'ignored', reason };
}
