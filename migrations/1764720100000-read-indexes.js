// @ts-check
// Indexes for the read side: a person's traces, per-instance retention, the users list, and one
// access rule per (tenant, instance, pattern, type) — NULL scopes included, which a plain UNIQUE
// constraint would let through on both drivers.

/** A TypeORM migration (MigrationInterface). */
class ReadIndexes1764720100000 {
  name = 'ReadIndexes1764720100000';

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async up(queryRunner) {
    const run = (/** @type {string} */ sql) => queryRunner.query(sql);
    await run(`CREATE INDEX ix_message_traces_user_received ON message_traces (user_id, received_at)`);
    await run(`CREATE INDEX ix_message_traces_instance_id_received ON message_traces (instance_id, received_at)`);
    await run(`CREATE INDEX ix_users_tenant_last_seen ON users (tenant_id, last_seen_at)`);
    await run(`CREATE UNIQUE INDEX uq_access_rules_scope_pattern
      ON access_rules (COALESCE(tenant_id, ''), COALESCE(instance_id, ''), phone_number, rule_type)`);
  }

  /** @param {import('typeorm').QueryRunner} queryRunner */
  async down(queryRunner) {
    for (const index of ['uq_access_rules_scope_pattern', 'ix_users_tenant_last_seen',
      'ix_message_traces_instance_id_received', 'ix_message_traces_user_received']) {
      await queryRunner.query(`DROP INDEX ${index}`);
    }
  }
}

module.exports = { ReadIndexes1764720100000 };
