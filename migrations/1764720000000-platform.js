// @ts-check
// The platform schema: tenants and keys, instances with their agent and conversation settings,
// people, message traces and payloads, access rules and scheduled job runs.
const { columnTypes } = require('./column-types');

/** A TypeORM migration (MigrationInterface). */
class Platform1764720000000 {
  name = 'Platform1764720000000';

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async up(queryRunner) {
    const { timestamp: ts, now, id } = columnTypes(queryRunner);
    const run = (/** @type {string} */ sql) => queryRunner.query(sql);

    await run(`CREATE TABLE tenants (
      id ${id} PRIMARY KEY,
      name varchar(100) NOT NULL,
      created_at ${ts} NOT NULL DEFAULT ${now},
      updated_at ${ts} NOT NULL DEFAULT ${now},
      CONSTRAINT uq_tenants_name UNIQUE (name)
    )`);
    await run(`INSERT INTO tenants (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'default')`);

    await run(`CREATE TABLE api_keys (
      id ${id} PRIMARY KEY,
      tenant_id ${id} REFERENCES tenants(id) ON DELETE CASCADE,
      name varchar(100) NOT NULL,
      key_hash varchar(64) NOT NULL,
      key_prefix varchar(16) NOT NULL,
      is_admin boolean NOT NULL DEFAULT false,
      created_at ${ts} NOT NULL DEFAULT ${now},
      last_used_at ${ts},
      revoked_at ${ts},
      CONSTRAINT uq_api_keys_hash UNIQUE (key_hash)
    )`);
    await run(`CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id)`);

    await run(`CREATE TABLE instance_configs (
      id ${id} PRIMARY KEY,
      tenant_id ${id} NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name varchar(50) NOT NULL,
      channel_type varchar(20) NOT NULL DEFAULT 'whatsapp',
      evolution_url varchar(500),
      evolution_key varchar(500),
      whatsapp_instance varchar(100),
      session_id_prefix varchar(100),
      webhook_base64 boolean NOT NULL DEFAULT true,
      webhook_secret varchar(100),
      discord_bot_token varchar(255),
      discord_client_id varchar(255),
      discord_guild_id varchar(255),
      discord_default_channel_id varchar(255),
      discord_voice_enabled boolean NOT NULL DEFAULT false,
      discord_slash_commands_enabled boolean NOT NULL DEFAULT true,
      discord_webhook_url varchar(500),
      discord_permissions integer,
      agent_instance_type varchar(20) NOT NULL DEFAULT 'automagik',
      agent_api_url varchar(500),
      agent_api_key varchar(500),
      agent_id varchar(200),
      agent_type varchar(20) NOT NULL DEFAULT 'agent',
      agent_timeout integer NOT NULL DEFAULT 60,
      agent_stream_mode boolean NOT NULL DEFAULT false,
      default_agent varchar(200),
      automagik_instance_id varchar(200),
      automagik_instance_name varchar(200),
      profile_name varchar(200),
      profile_pic_url varchar(1000),
      owner_jid varchar(100),
      owner_lid varchar(100),
      connection_state varchar(20),
      is_default boolean NOT NULL DEFAULT false,
      is_active boolean NOT NULL DEFAULT false,
      enable_auto_split boolean NOT NULL DEFAULT true,
      debounce_ms integer NOT NULL DEFAULT 0,
      apology_message varchar(1000),
      access_mode varchar(20) NOT NULL DEFAULT 'open',
      blocked_reply varchar(1000),
      trace_retention_days integer,
      group_policy varchar(20) NOT NULL DEFAULT 'open',
      group_allowlist text,
      group_require_mention boolean NOT NULL DEFAULT true,
      group_overrides text,
      mention_patterns text,
      trigger_type varchar(20) NOT NULL DEFAULT 'all',
      trigger_operator varchar(20) NOT NULL DEFAULT 'contains',
      trigger_value varchar(500),
      ignore_jids text,
      finish_keyword varchar(100),
      session_expire_minutes integer NOT NULL DEFAULT 0,
      human_takeover_minutes integer NOT NULL DEFAULT 0,
      ack_after_ms integer NOT NULL DEFAULT 0,
      ack_text varchar(500),
      ack_reaction varchar(20),
      send_rate_per_minute integer NOT NULL DEFAULT 20,
      send_min_gap_ms integer NOT NULL DEFAULT 1000,
      created_at ${ts} NOT NULL DEFAULT ${now},
      updated_at ${ts} NOT NULL DEFAULT ${now},
      CONSTRAINT uq_instance_configs_tenant_name UNIQUE (tenant_id, name)
    )`);
    await run(`CREATE INDEX ix_instance_configs_name ON instance_configs (name)`);

    await run(`CREATE TABLE users (
      id ${id} PRIMARY KEY,
      tenant_id ${id} NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      instance_id ${id} REFERENCES instance_configs(id) ON DELETE SET NULL,
      instance_name varchar(50),
      phone_number varchar(32),
      whatsapp_jid varchar(100),
      display_name varchar(200),
      last_session_name_interaction varchar(200),
      last_agent_user_id varchar(200),
      last_seen_at ${ts},
      message_count integer NOT NULL DEFAULT 0,
      created_at ${ts} NOT NULL DEFAULT ${now},
      updated_at ${ts} NOT NULL DEFAULT ${now}
    )`);
    await run(`CREATE INDEX ix_users_tenant_phone ON users (tenant_id, phone_number)`);
    await run(`CREATE INDEX ix_users_last_seen ON users (last_seen_at)`);

    await run(`CREATE TABLE user_external_ids (
      id ${id} PRIMARY KEY,
      user_id ${id} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      tenant_id ${id} NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      provider varchar(20) NOT NULL,
      external_id varchar(200) NOT NULL,
      instance_id ${id} REFERENCES instance_configs(id) ON DELETE CASCADE,
      instance_name varchar(50),
      created_at ${ts} NOT NULL DEFAULT ${now},
      updated_at ${ts} NOT NULL DEFAULT ${now},
      CONSTRAINT uq_user_external_ids UNIQUE (tenant_id, provider, external_id)
    )`);
    await run(`CREATE INDEX ix_user_external_ids_user ON user_external_ids (user_id)`);

    await run(`CREATE TABLE message_traces (
      trace_id ${id} PRIMARY KEY,
      tenant_id ${id} REFERENCES tenants(id) ON DELETE CASCADE,
      instance_id ${id} REFERENCES instance_configs(id) ON DELETE SET NULL,
      instance_name varchar(50),
      channel_type varchar(20) NOT NULL DEFAULT 'whatsapp',
      whatsapp_message_id varchar(200),
      chat_id varchar(200),
      is_group boolean NOT NULL DEFAULT false,
      sender_phone varchar(200),
      sender_name varchar(200),
      sender_jid varchar(200),
      user_id ${id},
      message_type varchar(20) NOT NULL DEFAULT 'unknown',
      has_media boolean NOT NULL DEFAULT false,
      has_quoted_message boolean NOT NULL DEFAULT false,
      message_length integer NOT NULL DEFAULT 0,
      session_name varchar(200),
      agent_session_id varchar(200),
      status varchar(20) NOT NULL DEFAULT 'received',
      error_message text,
      error_stage varchar(50),
      received_at ${ts} NOT NULL DEFAULT ${now},
      processing_started_at ${ts},
      agent_request_at ${ts},
      agent_response_at ${ts},
      evolution_send_at ${ts},
      completed_at ${ts},
      agent_processing_time_ms integer,
      total_processing_time_ms integer,
      agent_request_tokens integer,
      agent_response_tokens integer,
      agent_response_success boolean,
      agent_response_length integer,
      agent_tools_used integer NOT NULL DEFAULT 0,
      evolution_response_code integer,
      evolution_success boolean,
      access_rule_id ${id},
      blocking_reason varchar(200),
      inbound_message text,
      processing_attempts integer NOT NULL DEFAULT 0,
      claimed_until ${ts},
      updated_at ${ts} NOT NULL DEFAULT ${now}
    )`);
    await run(`CREATE UNIQUE INDEX uq_message_traces_instance_message ON message_traces (instance_id, whatsapp_message_id)`);
    await run(`CREATE INDEX ix_message_traces_received ON message_traces (received_at)`);
    await run(`CREATE INDEX ix_message_traces_tenant_received ON message_traces (tenant_id, received_at)`);
    await run(`CREATE INDEX ix_message_traces_instance_received ON message_traces (instance_name, received_at)`);
    await run(`CREATE INDEX ix_message_traces_sender_received ON message_traces (sender_phone, received_at)`);
    await run(`CREATE INDEX ix_message_traces_status ON message_traces (status)`);

    await run(`CREATE TABLE trace_payloads (
      id ${id} PRIMARY KEY,
      trace_id ${id} NOT NULL REFERENCES message_traces(trace_id) ON DELETE CASCADE,
      stage varchar(50) NOT NULL,
      payload_type varchar(20) NOT NULL,
      payload_compressed text,
      payload_size_original integer NOT NULL DEFAULT 0,
      payload_size_compressed integer NOT NULL DEFAULT 0,
      timestamp ${ts} NOT NULL DEFAULT ${now},
      status_code integer,
      error_details text,
      attempt integer,
      contains_media boolean NOT NULL DEFAULT false,
      contains_base64 boolean NOT NULL DEFAULT false
    )`);
    await run(`CREATE INDEX ix_trace_payloads_trace ON trace_payloads (trace_id, timestamp)`);

    await run(`CREATE TABLE access_rules (
      id ${id} PRIMARY KEY,
      tenant_id ${id} REFERENCES tenants(id) ON DELETE CASCADE,
      instance_id ${id} REFERENCES instance_configs(id) ON DELETE CASCADE,
      phone_number varchar(64) NOT NULL,
      rule_type varchar(10) NOT NULL CHECK (rule_type IN ('allow', 'block')),
      created_at ${ts} NOT NULL DEFAULT ${now},
      updated_at ${ts} NOT NULL DEFAULT ${now}
    )`);
    await run(`CREATE INDEX ix_access_rules_scope ON access_rules (tenant_id, instance_id)`);

    await run(`CREATE TABLE job_runs (
      name varchar(100) PRIMARY KEY,
      last_started_at ${ts},
      last_finished_at ${ts},
      last_status varchar(20),
      last_result text,
      run_count integer NOT NULL DEFAULT 0
    )`);
  }

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async down(queryRunner) {
    for (const table of ['job_runs', 'access_rules', 'trace_payloads', 'message_traces', 'user_external_ids', 'users',
      'instance_configs', 'api_keys', 'tenants']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}

module.exports = { Platform1764720000000 };
