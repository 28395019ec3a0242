import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AGENT_INSTANCE_TYPES, AGENT_TYPES, type AgentInstanceType, type AgentType } from '../../agent/agent.types';
import { CHANNEL_TYPES, type ChannelType } from '../../channels/channel';
import { IsRegexPattern } from '../../common/is-regex-pattern.validator';
import {
  ACCESS_MODES,
  type AccessMode,
  GROUP_POLICIES,
  type GroupPolicy,
  TRIGGER_OPERATORS,
  TRIGGER_TYPES,
  type TriggerOperator,
  type TriggerType,
} from '../instance-settings';
import { GroupOverrideDto } from './group-override.dto';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };
const isWhatsApp = (dto: { channel_type?: string }) => (dto.channel_type ?? 'whatsapp') === 'whatsapp';
const isDiscord = (dto: { channel_type?: string }) => dto.channel_type === 'discord';

/** Settings of an instance that can be set at creation and changed later. */
export class InstanceSettingsDto {
  // WhatsApp
  /** Evolution API base URL (required for WhatsApp). */
  @ValidateIf(isWhatsApp)
  @IsUrl(URL_OPTIONS)
  @MaxLength(500)
  evolution_url?: string;

  /** Evolution API key: the global key (Omni then uses the instance token Evolution returns) or the instance token. Write-only. */
  @ValidateIf(isWhatsApp)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  evolution_key?: string;

  /** Name of the instance on the Evolution server (defaults to `name`). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  whatsapp_instance?: string;

  /** Prefix of agent session ids (defaults to `{name}-`). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  session_id_prefix?: string;

  /** Ask Evolution to include media bytes (base64) in webhooks. */
  @IsOptional()
  @IsBoolean()
  webhook_base64?: boolean;

  // Discord
  /** Discord bot token (required for Discord). Write-only. */
  @ValidateIf(isDiscord)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  discord_bot_token?: string;

  @IsOptional() @IsString() @MaxLength(255) discord_client_id?: string;
  @IsOptional() @IsString() @MaxLength(255) discord_guild_id?: string;
  @IsOptional() @IsString() @MaxLength(255) discord_default_channel_id?: string;
  @IsOptional() @IsBoolean() discord_voice_enabled?: boolean;
  @IsOptional() @IsBoolean() discord_slash_commands_enabled?: boolean;

  // Agent
  /** Agent server flavour: `automagik` (Automagik agents API) or `hive` (Automagik Hive / agno AgentOS). */
  @IsOptional()
  @IsIn(AGENT_INSTANCE_TYPES)
  agent_instance_type?: AgentInstanceType;

  /** Base URL of the agent server. */
  @IsUrl(URL_OPTIONS)
  @MaxLength(500)
  agent_api_url!: string;

  /** Key for the agent server. Write-only. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  agent_api_key?: string;

  /** Agent, team or workflow id on the agent server. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  agent_id?: string;

  @IsOptional()
  @IsIn(AGENT_TYPES)
  agent_type?: AgentType;

  /** Seconds to wait for the agent before apologising. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(900)
  agent_timeout?: number;

  /** Stream the agent's answer and send complete paragraphs as they arrive (Hive). */
  @IsOptional()
  @IsBoolean()
  agent_stream_mode?: boolean;

  /** Deprecated alias of `agent_id`, kept for old clients. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  default_agent?: string;

  @IsOptional() @IsString() @MaxLength(200) automagik_instance_id?: string;
  @IsOptional() @IsString() @MaxLength(200) automagik_instance_name?: string;

  /** The default instance of its tenant (setting it unsets the others). */
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;

  // Conversation
  /** Split replies on blank lines and send each part as its own message. */
  @IsOptional()
  @IsBoolean()
  enable_auto_split?: boolean;

  /** Milliseconds to wait for more messages from the same chat and send them to the agent as one (0 = off). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  debounce_ms?: number;

  /** What the person gets when the agent fails or times out. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  apology_message?: string;

  /** `open`: senders with no matching rule are allowed; `allowlist`: they are blocked. */
  @IsOptional()
  @IsIn(ACCESS_MODES)
  access_mode?: AccessMode;

  /** Sent to a blocked sender (nothing is sent when empty). */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  blocked_reply?: string;

  /** Days to keep this instance's traces (overrides AUTOMAGIK_OMNI_TRACE_RETENTION_DAYS). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  trace_retention_days?: number;

  /** Groups: `open` (any group), `allowlist` (only `group_allowlist`), `disabled` (never answer in groups). */
  @IsOptional()
  @IsIn(GROUP_POLICIES)
  group_policy?: GroupPolicy;

  /** Group chat ids answered under the `allowlist` policy. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  group_allowlist?: string[];

  /** In groups, answer only when mentioned, replied to, or matched by `mention_patterns`. */
  @IsOptional()
  @IsBoolean()
  group_require_mention?: boolean;

  /** Per-group overrides, by chat id. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => GroupOverrideDto)
  group_overrides?: GroupOverrideDto[];

  /** Regular expressions (case-insensitive) that count as mentioning the bot, e.g. its name. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsRegexPattern({ each: true })
  mention_patterns?: string[];

  /** `all`: every message; `keyword`: only messages matching the trigger; `none`: never (outbound only). */
  @IsOptional()
  @IsIn(TRIGGER_TYPES)
  trigger_type?: TriggerType;

  @IsOptional()
  @IsIn(TRIGGER_OPERATORS)
  trigger_operator?: TriggerOperator;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  trigger_value?: string;

  /** Chats never answered: exact ids, or `@g.us` / `@s.whatsapp.net` to ignore all groups / all people. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  ignore_jids?: string[];

  /** A message equal to this keyword ends the conversation's agent session. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  finish_keyword?: string;

  /** Start a new agent session after this many minutes of silence (0 = never). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(525_600)
  session_expire_minutes?: number;

  /** Pause the agent in a chat for this many minutes when a human answers from the phone (0 = off). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_080)
  human_takeover_minutes?: number;

  /** When the agent has not answered after this many ms, acknowledge the message (0 = off). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  ack_after_ms?: number;

  @IsOptional() @IsString() @MaxLength(500) ack_text?: string;
  @IsOptional() @IsString() @MaxLength(20) ack_reaction?: string;

  /** Most messages sent per minute by this instance. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  send_rate_per_minute?: number;

  /** Least milliseconds between two messages to one chat. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  send_min_gap_ms?: number;
}

export class CreateInstanceDto extends InstanceSettingsDto {
  /** Unique name (per tenant); normalised to lower-case letters, digits, `-` and `_`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @IsOptional()
  @IsIn(CHANNEL_TYPES)
  channel_type?: ChannelType;

  /** Tenant that owns the instance (admin key only; a tenant key always creates in its own tenant). */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;

  /** WhatsApp number to pair by code instead of QR (creation only). */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;

  /** Ask Evolution for the first QR code at creation. */
  @IsOptional()
  @IsBoolean()
  auto_qr?: boolean;

  /** Evolution integration (creation only). */
  @IsOptional()
  @IsIn(['WHATSAPP-BAILEYS', 'WHATSAPP-BUSINESS'])
  integration?: string;
}
