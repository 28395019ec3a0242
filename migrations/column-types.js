// @ts-check
// Portable SQL type names for migrations that run on both SQLite and PostgreSQL.

/** @param {import('typeorm').QueryRunner} queryRunner */
function columnTypes(queryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  return {
    postgres,
    /** Timestamp with time zone on PostgreSQL; TypeORM's UTC datetime text on SQLite. */
    timestamp: postgres ? 'timestamptz' : 'datetime',
    now: postgres ? 'now()' : "(datetime('now'))",
    id: 'varchar(36)',
  };
}

module.exports = { columnTypes };
