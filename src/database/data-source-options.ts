import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import type { AppConfig } from '../config/app-config';

/** The one place DataSource options are built: used by the Nest module and the migrate CLI. */
export function buildDataSourceOptions(database: AppConfig['database']): DataSourceOptions {
  const common = {
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTransactionMode: 'each' as const,
    migrationsTableName: 'schema_migrations',
  };
  if (database.type === 'postgres') {
    // A fixed-size pool: pg closes connections idle for 10 s by default, so a message after a
    // quiet spell waited for new ones (a PostgreSQL backend started, its caches cold) on its way.
    const pool = { max: database.poolSize, min: database.poolSize };
    return { ...common, type: 'postgres', url: database.url, extra: pool, parseInt8: true };
  }
  if (database.path !== ':memory:') mkdirSync(path.dirname(path.resolve(database.path)), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.path,
    enableWAL: database.path !== ':memory:',
    // Concurrent writers wait instead of failing with SQLITE_BUSY.
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('busy_timeout = 5000');
      // With WAL, NORMAL survives a crash of Omni (only a power loss can drop the last commits), at a fraction of the fsyncs.
      db.pragma('synchronous = NORMAL');
    },
  };
}
