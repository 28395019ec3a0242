// Request and response shapes of the Evolution API v2 routes Omni calls (Evolution 2.3.6; responses are
// trusted, not validated). Routes and shapes: shared/notes/protocols.md §1.5, §2.

export interface EvolutionConnection {
  baseUrl: string;
  /** The global key or the instance token; sent as the `apikey` header, never logged or thrown. */
  apiKey: string;
}

export type EvolutionWebhookEvent =
  | 'APPLICATION_STARTUP' | 'QRCODE_UPDATED' | 'MESSAGES_SET' | 'MESSAGES_UPSERT' | 'MESSAGES_EDITED'
  | 'MESSAGES_UPDATE' | 'MESSAGES_DELETE' | 'SEND_MESSAGE' | 'SEND_MESSAGE_UPDATE' | 'CONTACTS_SET'
  | 'CONTACTS_UPSERT' | 'CONTACTS_UPDATE' | 'PRESENCE_UPDATE' | 'CHATS_SET' | 'CHATS_UPSERT' | 'CHATS_UPDATE'
  | 'CHATS_DELETE' | 'GROUPS_UPSERT' | 'GROUP_UPDATE' | 'GROUP_PARTICIPANTS_UPDATE' | 'CONNECTION_UPDATE'
  | 'LABELS_EDIT' | 'LABELS_ASSOCIATION' | 'CALL' | 'TYPEBOT_START' | 'TYPEBOT_CHANGE_STATUS'
  | 'REMOVE_INSTANCE' | 'LOGOUT_INSTANCE' | 'INSTANCE_CREATE' | 'INSTANCE_DELETE' | 'STATUS_INSTANCE';

export interface EvolutionWebhookSettings {
  url: string;
  headers?: Record<string, string>;
  byEvents?: boolean;
  base64?: boolean;
  /** Required: Evolution crashes when it is missing. An empty list means every event. */
  events: EvolutionWebhookEvent[];
  enabled?: boolean;
}

export interface CreateInstanceRequest {
  instanceName: string;
  integration?: 'WHATSAPP-BAILEYS' | 'WHATSAPP-BUSINESS' | 'EVOLUTION';
  token?: string;
  qrcode?: boolean;
  number?: string;
  rejectCall?: boolean;
  msgCall?: string;
  groupsIgnore?: boolean;
  alwaysOnline?: boolean;
  readMessages?: boolean;
  readStatus?: boolean;
  syncFullHistory?: boolean;
  webhook?: EvolutionWebhookSettings;
}

export interface EvolutionQrCode {
  pairingCode: string | null;
  code: string;
  base64: string;
  count: number;
}

export type EvolutionConnectionState = 'open' | 'close' | 'connecting';

export interface EvolutionInstanceState {
  instance: { instanceName: string; state: EvolutionConnectionState };
}

export type EvolutionConnectResponse = EvolutionQrCode | EvolutionInstanceState;

export interface CreateInstanceResponse {
  instance: { instanceName: string; instanceId: string; integration?: string; status?: string };
  /** The instance token (older servers: `{apikey}`). */
  hash: string | { apikey: string };
  webhook?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  qrcode?: EvolutionQrCode;
}

export interface EvolutionInstanceInfo {
  id: string;
  name: string;
  connectionStatus: string;
  ownerJid: string | null;
  profileName: string | null;
  profilePicUrl: string | null;
  integration: string;
  number: string | null;
  token: string;
  disconnectionReasonCode?: number | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface EvolutionStatusResponse {
  status: string;
  error: boolean;
  response: { message: string };
}

export interface EvolutionWebhookRecord {
  id: string;
  url: string;
  headers: Record<string, string> | null;
  enabled: boolean;
  events: EvolutionWebhookEvent[];
  webhookByEvents: boolean;
  webhookBase64: boolean;
  instanceId: string;
}

export interface EvolutionMessageKey {
  remoteJid: string;
  fromMe: boolean;
  id: string;
  participant?: string;
}

export interface EvolutionQuoted {
  key: { id: string; remoteJid?: string; fromMe?: boolean; participant?: string };
  message?: Record<string, unknown>;
}

/** What every send answers (201): the sent message, whose `key.id` later receipts and reactions use. */
export interface EvolutionSentMessage {
  key: EvolutionMessageKey;
  pushName?: string;
  status?: string;
  message?: Record<string, unknown>;
  messageType?: string;
  messageTimestamp?: number | string;
  instanceId?: string;
  source?: string;
}

interface SendOptions {
  /** Digits, a full JID, or a group JID. */
  number: string;
  /** Milliseconds Evolution shows "composing"/"recording" before sending; the call blocks meanwhile. */
  delay?: number;
  quoted?: EvolutionQuoted;
  mentioned?: string[];
  mentionsEveryOne?: boolean;
}

export interface SendTextRequest extends SendOptions {
  text: string;
  linkPreview?: boolean;
}

export interface SendMediaRequest extends SendOptions {
  mediatype: 'image' | 'video' | 'document' | 'audio';
  mimetype?: string;
  caption?: string;
  fileName?: string;
  /** A URL or raw base64. */
  media: string;
}

export interface SendAudioRequest extends Omit<SendOptions, 'mentioned' | 'mentionsEveryOne'> {
  audio: string;
  encoding?: boolean;
}

export interface SendStickerRequest extends Omit<SendOptions, 'mentioned' | 'mentionsEveryOne'> {
  sticker: string;
}

export interface EvolutionContactCard {
  fullName: string;
  phoneNumber: string;
  wuid?: string;
  organization?: string;
  email?: string;
  url?: string;
}

export interface SendContactRequest extends Omit<SendOptions, 'mentioned' | 'mentionsEveryOne'> {
  contact: EvolutionContactCard[];
}

export interface SendReactionRequest {
  key: EvolutionMessageKey;
  /** An emoji, or `''` to remove the reaction. */
  reaction: string;
}

export type EvolutionPresence = 'composing' | 'recording' | 'paused' | 'available' | 'unavailable';

export interface EvolutionProfile {
  wuid: string;
  name: string | null;
  numberExists?: boolean;
  picture: string | null;
  status: string | null;
  isBusiness: boolean;
  email?: string;
  description?: string;
  website?: string[];
}

export interface EvolutionContact {
  id: string;
  remoteJid: string;
  pushName: string | null;
  profilePicUrl: string | null;
  isGroup?: boolean;
  isSaved?: boolean;
  type?: 'contact' | 'group' | 'group_member';
  createdAt?: string;
  updatedAt?: string;
}

export interface EvolutionChat {
  id: string;
  remoteJid: string;
  pushName: string | null;
  profilePicUrl: string | null;
  updatedAt: string;
  unreadCount?: number;
  lastMessage?: Record<string, unknown>;
}

export interface EvolutionLookupQuery {
  where?: { remoteJid?: string };
  page?: number;
  offset?: number;
}

export interface EvolutionMediaBase64 {
  mediaType: string;
  fileName?: string;
  caption?: string;
  size?: Record<string, unknown>;
  mimetype: string;
  base64: string;
}
