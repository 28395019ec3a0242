// @ts-check
// Conversation control: per-chat state (pauses, sessions), ids of messages Omni sent, group
// messages kept as context, dead letters, and per-instance send budget and circuit breaker.
const { columnTypes } = require('./column-types');

/** A TypeORM migration (MigrationInterface). */
class ConversationControl1764720200000 {
  name = 'ConversationControl1764720200000';

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async up(queryRunner) {
    const { timestamp: ts, now, id } = columnTypes(queryRunner);
    const run = (/** @type {string} */ sql) => queryRunner.query(sql);

    await run(`CREATE TABLE chat_states (
      instance_id ${id} NOT NULL REFERENCES instance_configs(id) ON DELETE CASCADE,
      chat_id varchar(200) NOT NULL,
      paused_until ${ts},
      pause_reason varchar(50),
      session_epoch integer NOT NULL DEFAULT 0,
      last_message_at ${ts},
      next_send_at ${ts},
      updated_at ${ts} NOT NULL DEFAULT ${now},
      PRIMARY KEY (instance_id, chat_id)
    )`);

    await run(`CREATE TABLE sent_messages (
      instance_id ${id} NOT NULL REFERENCES instance_configs(id) ON DELETE CASCADE,
      external_message_id varchar(200) NOT NULL,
      chat_id varchar(200),
      trace_id ${id},
      sent_at ${ts} NOT NULL DEFAULT ${now},
      PRIMARY KEY (instance_id, external_message_id)
    )`);
    await run(`CREATE INDEX ix_sent_messages_sent_at ON sent_messages (sent_at)`);

    await run(`CREATE TABLE group_context (
      id ${id} PRIMARY KEY,
      instance_id ${id} NOT NULL REFERENCES instance_configs(id) ON DELETE CASCADE,
      chat_id varchar(200) NOT NULL,
      sender_name varchar(200),
      text text NOT NULL,
      received_at ${ts} NOT NULL DEFAULT ${now}
    )`);
    await run(`CREATE INDEX ix_group_context_chat ON group_context (instance_id, chat_id, received_at)`);

    await run(`CREATE TABLE dead_letters (
      id ${id} PRIMARY KEY,
      tenant_id ${id} REFERENCES tenants(id) ON DELETE CASCADE,
      instance_id ${id} REFERENCES instance_configs(id) ON DELETE CASCADE,
      instance_name varchar(50),
      trace_id ${id},
      chat_id varchar(200),
      stage varchar(20) NOT NULL,
      reason text NOT NULL,
      attempts integer NOT NULL DEFAULT 1,
      payload text,
      status varchar(20) NOT NULL DEFAULT 'pending',
      created_at ${ts} NOT NULL DEFAULT ${now},
      updated_at ${ts} NOT NULL DEFAULT ${now}
    )`);
    await run(`CREATE INDEX ix_dead_letters_tenant_created ON dead_letters (tenant_id, created_at)`);
    await run(`CREATE INDEX ix_dead_letters_status ON dead_letters (status)`);

    await run(`CREATE TABLE instance_send_states (
      instance_id ${id} PRIMARY KEY REFERENCES instance_configs(id) ON DELETE CASCADE,
      next_send_at ${ts},
      consecutive_failures integer NOT NULL DEFAULT 0,
      circuit_open_until ${ts},
      updated_at ${ts} NOT NULL DEFAULT ${now}
    )`);
  }

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async down(queryRunner) {
    for (const table of ['instance_send_states', 'dead_letters', 'group_context', 'sent_messages', 'chat_states']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}

module.exports = { ConversationControl1764720200000 };
