import type { InboundMessage } from '../channels/channel';

/** The queued copy of a message, as stored on its trace, back into an InboundMessage (dates revived). */
export function inboundOf(stored: string): InboundMessage {
  const message = JSON.parse(stored) as InboundMessage & { timestamp: string };
  return { ...message, timestamp: new Date(message.timestamp), raw: undefined };
}
