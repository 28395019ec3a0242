// The contract between channels and the channel-agnostic router (src/messages).
// A channel adapter turns its native event into one InboundMessage and turns the router's
// replies into native calls. Adding a channel means adding an adapter, nothing else.

export const CHANNEL_TYPES = ['whatsapp', 'discord'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contact',
  'reaction',
  'unknown',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface InboundMedia {
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  mimeType?: string;
  fileName?: string;
  /** Raw base64 (no `data:` prefix), when the channel delivered the bytes. */
  base64?: string;
  /** A URL the agent can fetch, when the channel delivered one instead of bytes. */
  url?: string;
  isVoiceNote?: boolean;
  seconds?: number;
}

/** Who wrote the message, resolved to one identity per person (see the identity rules in channels). */
export interface InboundSender {
  /** Stable identity of the person: phone digits for WhatsApp when any field gives it, else the LID JID; the user id on Discord. */
  id: string;
  /** Phone digits without `+` (WhatsApp), when known. */
  phone?: string;
  /** The phone JID `NNN@s.whatsapp.net`, when known. */
  jid?: string;
  /** The WhatsApp LID `NNN@lid`, when the event carried one. */
  lid?: string;
  displayName?: string;
}

export interface InboundQuote {
  messageId: string;
  /** Author of the quoted message (JID/LID or user id), when the channel says. */
  participant?: string;
  text?: string;
}

export interface InboundMessage {
  channel: ChannelType;
  instanceName: string;
  /** The channel's message id: the idempotency key together with the instance. */
  externalMessageId: string;
  /** Where to answer: the WhatsApp chat JID (person or group) or the Discord channel id. */
  chatId: string;
  isGroup: boolean;
  sender: InboundSender;
  messageType: MessageType;
  /** Text, caption, or a short textual rendering of non-text content (location, contact). */
  text: string;
  media?: InboundMedia;
  quoted?: InboundQuote;
  /** Ids mentioned in the message (JIDs, LIDs or user ids, as the channel gives them). */
  mentions: string[];
  reaction?: { emoji: string; targetMessageId: string };
  timestamp: Date;
  /** The native event, kept for the trace. */
  raw: unknown;
}

/** What the router asks a channel to send. */
export interface OutboundText {
  chatId: string;
  text: string;
  /** Message to quote, when the reply should reference the person's message. */
  quotedMessageId?: string;
}

/** A file to send: by URL, or as raw base64 (no `data:` prefix). */
export interface OutboundFile {
  kind: 'image' | 'video' | 'audio' | 'document';
  url?: string;
  base64?: string;
  mimeType?: string;
  fileName?: string;
  caption?: string;
}

export interface OutboundMedia {
  chatId: string;
  file: OutboundFile;
}

export interface SentMessage {
  /** The channel's id of the sent message (used to recognise our own echoes). */
  externalMessageId?: string;
  statusCode?: number;
  raw?: unknown;
}
