import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ChannelType } from '../../channel';
import { CHANNEL_CONNECTION_STATES, type ChannelConnectionState } from '../instance-connector';

export const QR_CODE_STATUSES = ['success', 'unavailable'] as const;

/** The original's QRCodeResponse: what to scan (WhatsApp) or open (Discord invite) to pair the instance. */
export class QrCodeResponseDto {
  instance_name!: string;
  channel_type!: ChannelType;
  /** QR code image as a data URL (`data:image/png;base64,…`). */
  qr_code!: string | null;
  /** For OAuth flows (no channel uses it yet). */
  auth_url!: string | null;
  /** For invite flows (Discord). */
  invite_url!: string | null;
  /** `success` when there is something to scan or open, `unavailable` otherwise (see `message`). */
  @ApiProperty({ enum: QR_CODE_STATUSES })
  status!: (typeof QR_CODE_STATUSES)[number];
  message!: string;
}

/** The original's ConnectionStatus. */
export class ConnectionStatusResponseDto {
  instance_name!: string;
  channel_type!: ChannelType;
  @ApiProperty({ enum: CHANNEL_CONNECTION_STATES })
  status!: ChannelConnectionState;
  /** The channel's own view (WhatsApp: `evolution_state` and Evolution's answer as `evolution_data`). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  channel_data!: Record<string, unknown>;
  /** Omni's circuit breaker for this instance's sends: `open` while a failing server cools down. */
  circuit!: CircuitStatusDto;
}

export class CircuitStatusDto {
  @ApiProperty({ enum: ['closed', 'open'] })
  state!: 'closed' | 'open';
  open_until!: Date | null;
  consecutive_failures!: number;
}

export class InstanceActionResponseDto {
  message!: string;
  /** The channel server's answer, when it said more than yes. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  result?: Record<string, unknown>;
}
