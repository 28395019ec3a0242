import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgentInstanceType, AgentType } from '../agent/agent.types';
import type { ChannelType } from '../channels/channel';
import { CreatedAtColumn, JsonColumn, UpdatedAtColumn } from '../database/portable-columns';
import type { AccessMode, GroupOverride, GroupPolicy, TriggerOperator, TriggerType } from './instance-settings';

const text = (name: string, length = 500) => Column({ name, type: 'varchar', length, nullable: true });
const flag = (name: string, defaultValue: boolean) => Column({ name, type: 'boolean', default: defaultValue });
const int = (name: string, defaultValue: number) => Column({ name, type: 'integer', default: defaultValue });

/** A channel instance (a WhatsApp number on an Evolution server, or a Discord bot) and its agent settings. */
@Entity('instance_configs')
export class InstanceConfig {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ name: 'channel_type', type: 'varchar', length: 20, default: 'whatsapp' })
  channelType!: ChannelType;

  // WhatsApp (Evolution API)
  @text('evolution_url') evolutionUrl!: string | null;
  @text('evolution_key') evolutionKey!: string | null;
  @text('whatsapp_instance', 100) whatsappInstance!: string | null;
  @text('session_id_prefix', 100) sessionIdPrefix!: string | null;
  @flag('webhook_base64', true) webhookBase64!: boolean;
  /** Secret Evolution sends back in a header with every webhook, when Omni configured the webhook. */
  @text('webhook_secret', 100) webhookSecret!: string | null;

  // Discord
  @text('discord_bot_token', 255) discordBotToken!: string | null;
  @text('discord_client_id', 255) discordClientId!: string | null;
  @text('discord_guild_id', 255) discordGuildId!: string | null;
  @text('discord_default_channel_id', 255) discordDefaultChannelId!: string | null;
  @flag('discord_voice_enabled', false) discordVoiceEnabled!: boolean;
  @flag('discord_slash_commands_enabled', true) discordSlashCommandsEnabled!: boolean;
  @text('discord_webhook_url') discordWebhookUrl!: string | null;
  @Column({ name: 'discord_permissions', type: 'integer', nullable: true }) discordPermissions!: number | null;

  // Agent
  @Column({ name: 'agent_instance_type', type: 'varchar', length: 20, default: 'automagik' })
  agentInstanceType!: AgentInstanceType;
  @text('agent_api_url') agentApiUrl!: string | null;
  @text('agent_api_key') agentApiKey!: string | null;
  @text('agent_id', 200) agentId!: string | null;
  @Column({ name: 'agent_type', type: 'varchar', length: 20, default: 'agent' }) agentType!: AgentType;
  /** Seconds. */
  @int('agent_timeout', 60) agentTimeout!: number;
  @flag('agent_stream_mode', false) agentStreamMode!: boolean;
  @text('default_agent', 200) defaultAgent!: string | null;
  @text('automagik_instance_id', 200) automagikInstanceId!: string | null;
  @text('automagik_instance_name', 200) automagikInstanceName!: string | null;

  // Profile and state, learnt from the channel
  @text('profile_name', 200) profileName!: string | null;
  @text('profile_pic_url', 1000) profilePicUrl!: string | null;
  @text('owner_jid', 100) ownerJid!: string | null;
  @text('owner_lid', 100) ownerLid!: string | null;
  @text('connection_state', 20) connectionState!: string | null;
  @flag('is_default', false) isDefault!: boolean;
  @flag('is_active', false) isActive!: boolean;

  // Conversation
  @flag('enable_auto_split', true) enableAutoSplit!: boolean;
  @int('debounce_ms', 0) debounceMs!: number;
  @text('apology_message', 1000) apologyMessage!: string | null;
  @Column({ name: 'access_mode', type: 'varchar', length: 20, default: 'open' }) accessMode!: AccessMode;
  @text('blocked_reply', 1000) blockedReply!: string | null;
  @Column({ name: 'trace_retention_days', type: 'integer', nullable: true }) traceRetentionDays!: number | null;
  @Column({ name: 'group_policy', type: 'varchar', length: 20, default: 'open' }) groupPolicy!: GroupPolicy;
  @JsonColumn({ name: 'group_allowlist', nullable: true }) groupAllowlist!: string[] | null;
  @flag('group_require_mention', true) groupRequireMention!: boolean;
  @JsonColumn({ name: 'group_overrides', nullable: true }) groupOverrides!: GroupOverride[] | null;
  @JsonColumn({ name: 'mention_patterns', nullable: true }) mentionPatterns!: string[] | null;
  @Column({ name: 'trigger_type', type: 'varchar', length: 20, default: 'all' }) triggerType!: TriggerType;
  @Column({ name: 'trigger_operator', type: 'varchar', length: 20, default: 'contains' })
  triggerOperator!: TriggerOperator;
  @text('trigger_value') triggerValue!: string | null;
  @JsonColumn({ name: 'ignore_jids', nullable: true }) ignoreJids!: string[] | null;
  @text('finish_keyword', 100) finishKeyword!: string | null;
  @int('session_expire_minutes', 0) sessionExpireMinutes!: number;
  @int('human_takeover_minutes', 0) humanTakeoverMinutes!: number;
  @int('ack_after_ms', 0) ackAfterMs!: number;
  @text('ack_text') ackText!: string | null;
  @text('ack_reaction', 20) ackReaction!: string | null;
  @int('send_rate_per_minute', 20) sendRatePerMinute!: number;
  @int('send_min_gap_ms', 1000) sendMinGapMs!: number;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
