import type { AgentInstanceType, AgentType } from '../../agent/agent.types';
import type { ChannelType } from '../../channels/channel';
import type { AccessMode, GroupPolicy, TriggerOperator, TriggerType } from '../instance-settings';
import { GroupOverrideDto } from './group-override.dto';

/** The channel's live view of an instance (WhatsApp: Evolution's connection state). */
export class InstanceChannelStatusDto {
  state!: string;
  owner_jid?: string | null;
  profile_name?: string | null;
  profile_picture_url?: string | null;
  last_updated!: Date;
  error?: string | null;
}

/** An instance as the API shows it: every setting, never a secret (`*_set` flags say which are set). */
export class InstanceResponseDto {
  id!: string;
  tenant_id!: string;
  name!: string;
  channel_type!: ChannelType;
  evolution_url!: string | null;
  evolution_key_set!: boolean;
  whatsapp_instance!: string | null;
  session_id_prefix!: string | null;
  webhook_base64!: boolean;
  /** Omni authenticates this instance's webhooks with a per-instance secret header. */
  webhook_secret_set!: boolean;
  /** Kept from the original API: whether a Discord bot token is stored. */
  has_discord_bot_token!: boolean;
  discord_client_id!: string | null;
  discord_guild_id!: string | null;
  discord_default_channel_id!: string | null;
  discord_voice_enabled!: boolean;
  discord_slash_commands_enabled!: boolean;
  agent_instance_type!: AgentInstanceType;
  agent_api_url!: string | null;
  agent_api_key_set!: boolean;
  agent_id!: string | null;
  agent_type!: AgentType;
  agent_timeout!: number;
  agent_stream_mode!: boolean;
  default_agent!: string | null;
  automagik_instance_id!: string | null;
  automagik_instance_name!: string | null;
  profile_name!: string | null;
  profile_pic_url!: string | null;
  owner_jid!: string | null;
  connection_state!: string | null;
  is_default!: boolean;
  is_active!: boolean;
  enable_auto_split!: boolean;
  debounce_ms!: number;
  apology_message!: string | null;
  access_mode!: AccessMode;
  blocked_reply!: string | null;
  trace_retention_days!: number | null;
  group_policy!: GroupPolicy;
  group_allowlist!: string[];
  group_require_mention!: boolean;
  group_overrides!: GroupOverrideDto[];
  mention_patterns!: string[];
  trigger_type!: TriggerType;
  trigger_operator!: TriggerOperator;
  trigger_value!: string | null;
  ignore_jids!: string[];
  finish_keyword!: string | null;
  session_expire_minutes!: number;
  human_takeover_minutes!: number;
  ack_after_ms!: number;
  ack_text!: string | null;
  ack_reaction!: string | null;
  send_rate_per_minute!: number;
  send_min_gap_ms!: number;
  created_at!: Date;
  updated_at!: Date;
  /** Live channel status, when asked for with `include_status=true`. */
  evolution_status?: InstanceChannelStatusDto;
}

export class SupportedChannelsResponseDto {
  supported_channels!: ChannelType[];
  total_channels!: number;
}

export class InstanceDeletedResponseDto {
  message!: string;
}
