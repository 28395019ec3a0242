import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { CreateInstanceDto } from '../../../instances/dto/create-instance.dto';
import { CHANNEL_CONNECTION_STATES, type ChannelConnectionState } from '../../instance-actions/instance-connector';

/**
 * The Evolution server to import from (`evolution_url`, `evolution_key`: its global key) and the
 * settings every imported instance gets (agent, conversation). `tenant_id` as for a creation.
 */
export class DiscoverInstancesDto extends OmitType(CreateInstanceDto, [
  'name',
  'channel_type',
  'whatsapp_instance',
  'session_id_prefix',
  'phone_number',
  'auto_qr',
  'integration',
  'is_default',
  'discord_bot_token',
  'discord_client_id',
  'discord_guild_id',
  'discord_default_channel_id',
  'discord_voice_enabled',
  'discord_slash_commands_enabled',
] as const) {}

export class DiscoveredInstanceDto {
  /** The Omni instance's name (Evolution's name, normalised). */
  name!: string;
  /** The instance's name on the Evolution server. */
  whatsapp_instance!: string;
  channel_type!: 'whatsapp';
  @ApiProperty({ enum: CHANNEL_CONNECTION_STATES })
  status!: ChannelConnectionState;
  /** An Omni instance now stands for it. */
  configured!: boolean;
  /** Created by this call (false: Omni already knew it). */
  imported!: boolean;
  active!: boolean;
  /** What Evolution says of it: `evolution_state`, `owner_jid`, `profile_name`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  channel_data?: Record<string, unknown>;
  /** Why it could not be imported (e.g. the name is taken in Omni). */
  error?: string;
}

export class DiscoverInstancesResponseDto {
  message!: string;
  instances!: DiscoveredInstanceDto[];
  total_discovered!: number;
}
