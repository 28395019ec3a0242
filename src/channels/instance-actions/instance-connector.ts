// What a channel offers to connect, pair and inspect its instances (WhatsApp: Evolution's QR and
// session; Discord later: the bot's invite and gateway). The instance actions API calls only this.
import { Injectable } from '@nestjs/common';
import type { InstanceConfig } from '../../instances/instance.entity';
import { PerChannel } from '../per-channel';

export const CHANNEL_CONNECTION_STATES = ['connected', 'disconnected', 'connecting', 'error'] as const;
export type ChannelConnectionState = (typeof CHANNEL_CONNECTION_STATES)[number];

export interface PairingInfo {
  /** A QR code image (`data:image/png;base64,…`) to scan. */
  qrCode?: string;
  /** A link that completes the pairing (Discord: the bot's invite link). */
  inviteUrl?: string;
  /** Why there is nothing to scan (e.g. already connected). */
  message: string;
}

export interface ConnectionReport {
  state: ChannelConnectionState;
  /** The channel's own view, as it reported it. */
  channelData: Record<string, unknown>;
  /** Fields to remember on the instance (connection state, owner, profile). */
  learnt: Partial<InstanceConfig>;
}

export interface ActionOutcome {
  message: string;
  /** The channel server's answer, for the caller's information. */
  result?: Record<string, unknown>;
  learnt?: Partial<InstanceConfig>;
}

/** Failures are thrown as HTTP exceptions (404 unknown on the channel, 409 wrong state, 502 unreachable). */
export interface InstanceConnector {
  pairing(instance: InstanceConfig): Promise<PairingInfo>;
  connectionStatus(instance: InstanceConfig): Promise<ConnectionReport>;
  connect(instance: InstanceConfig): Promise<ActionOutcome>;
  /** Stops the instance; already stopped is not an error. */
  disconnect(instance: InstanceConfig): Promise<ActionOutcome>;
  restart(instance: InstanceConfig): Promise<ActionOutcome>;
  logout(instance: InstanceConfig): Promise<ActionOutcome>;
}

@Injectable()
export class InstanceConnectorRegistry extends PerChannel<InstanceConnector> {}
