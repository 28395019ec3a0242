// @ts-check
// The analytics summary over months of traces. Hourly roll-ups of finished traces, so that counts
// and sums read a few thousand rows instead of millions (columns that are NULL on a trace are ''
// here: they are part of the primary key, which must not hold NULLs on either driver). On
// PostgreSQL the received_at index also carries the columns percentiles and top senders read, so
// those scan the index alone instead of the whole table; SQLite has no INCLUDE, and no such scale.
const { columnTypes } = require('./column-types');

/** A TypeORM migration (MigrationInterface). */
class TraceAnalytics1764720300000 {
  name = 'TraceAnalytics1764720300000';

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async up(queryRunner) {
    const run = (/** @type {string} */ sql) => queryRunner.query(sql);
    if (columnTypes(queryRunner).postgres) {
      await run(`CREATE INDEX ix_message_traces_received_covering ON message_traces (received_at)
        INCLUDE (tenant_id, instance_name, sender_phone, total_processing_time_ms, agent_processing_time_ms)`);
      await run(`DROP INDEX ix_message_traces_received`);
    }
    await run(`CREATE TABLE trace_hourly_rollups (
      hour bigint NOT NULL,
      tenant_id varchar(36) NOT NULL,
      instance_id varchar(36) NOT NULL,
      instance_name varchar(50) NOT NULL,
      status varchar(20) NOT NULL,
      message_type varchar(20) NOT NULL,
      error_stage varchar(50) NOT NULL,
      trace_count integer NOT NULL,
      processing_count integer NOT NULL,
      processing_sum bigint NOT NULL,
      agent_count integer NOT NULL,
      agent_sum bigint NOT NULL,
      PRIMARY KEY (hour, tenant_id, instance_id, instance_name, status, message_type, error_stage)
    )`);
    await run(`CREATE TABLE trace_rollup_state (
      id integer PRIMARY KEY,
      rolled_until_hour bigint NOT NULL
    )`);
    await run(`INSERT INTO trace_rollup_state (id, rolled_until_hour) VALUES (1, 0)`);
  }

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async down(queryRunner) {
    await queryRunner.query(`DROP TABLE trace_rollup_state`);
    await queryRunner.query(`DROP TABLE trace_hourly_rollups`);
    if (columnTypes(queryRunner).postgres) {
      await queryRunner.query(`CREATE INDEX ix_message_traces_received ON message_traces (received_at)`);
      await queryRunner.query(`DROP INDEX ix_message_traces_received_covering`);
    }
  }
}

module.exports = { TraceAnalytics1764720300000 };
