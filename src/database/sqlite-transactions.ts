import type { DataSource, EntityManager } from 'typeorm';
import { isPostgres } from './portable-sql';

/**
 * SQLite has one connection, so two transactions started at the same moment (two first messages
 * of one person, retention while an instance is saved) fail with "cannot start a transaction
 * within a transaction". On SQLite, transactions started through the data source's manager wait
 * for each other instead; PostgreSQL, with its pool, is left as it is.
 */
export function queueSqliteTransactions(dataSource: DataSource): void {
  if (isPostgres(dataSource)) return;
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let previous: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = previous.then(() => transaction(...args));
    previous = run.catch(() => undefined);
    return run;
  }) as EntityManager['transaction'];
}
