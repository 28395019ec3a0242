import { DataSource } from 'typeorm';
import { DbLock } from './db-lock.service';
import { isPostgres } from './portable-sql';

/**
 * Applies pending migrations. On PostgreSQL replicas that start together queue on an advisory
 * lock, so exactly one runs each migration and the others find nothing left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (!isPostgres(dataSource)) return names(await dataSource.runMigrations({ transaction: 'each' }));
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [DbLock.Migrations]);
    try {
      return names(await dataSource.runMigrations({ transaction: 'each' }));
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [DbLock.Migrations]);
    }
  } finally {
    await runner.release();
  }
}

const names = (ran: { name: string }[]) => ran.map((m) => m.name);
