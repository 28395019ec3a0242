// The webhook Omni configures on an instance's Evolution server, and the secret that authenticates it.
import { randomBytes } from 'node:crypto';
import type { InstanceConfig } from '../../instances/instance.entity';
import type { EvolutionWebhookEvent, EvolutionWebhookSettings } from './evolution.types';

/** Header Evolution sends back with every webhook of an instance whose webhook Omni configured. */
export const WEBHOOK_SECRET_HEADER = 'x-omni-webhook-secret';

/** Messages in and out (`send.message` tells Omni's own sends apart), receipts, and the connection's life. */
export const OMNI_WEBHOOK_EVENTS: EvolutionWebhookEvent[] = [
  'MESSAGES_UPSERT',
  'MESSAGES_UPDATE',
  'SEND_MESSAGE',
  'CONNECTION_UPDATE',
  'QRCODE_UPDATED',
];

export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

function omniWebhookUrl(publicUrl: string, instance: InstanceConfig): string {
  return `${publicUrl}/webhook/evolution/${encodeURIComponent(instance.name)}`;
}

export function omniWebhookSettings(publicUrl: string, instance: InstanceConfig, secret: string): EvolutionWebhookSettings {
  return {
    enabled: true,
    url: omniWebhookUrl(publicUrl, instance),
    headers: { [WEBHOOK_SECRET_HEADER]: secret },
    byEvents: false,
    base64: instance.webhookBase64,
    events: OMNI_WEBHOOK_EVENTS,
  };
}
