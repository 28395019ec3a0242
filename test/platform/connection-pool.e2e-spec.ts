// A message after a quiet spell must not wait for new PostgreSQL connections: the pool keeps
// the connections it opened (node-postgres closes idle ones after 10 s unless told otherwise).
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, TestDatabase, usesPostgres } from '../support/test-database';

/** node-postgres's default `idleTimeoutMillis`. */
const PG_IDLE_TIMEOUT_MS = 10_000;
const POOL_SIZE = 3;

(usesPostgres() ? describe : describe.skip)('PostgreSQL connection pool', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = database.env.AUTOMAGIK_OMNI_DATABASE_URL;
    dataSource = await new DataSource({ ...buildDataSourceOptions({ type: 'postgres', url, poolSize: POOL_SIZE, runMigrations: false }), entities: [] }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** The server processes behind the pool, found by keeping every connection busy at once. */
  async function backendsInUse(): Promise<Set<number>> {
    const rows = await Promise.all(
      Array.from({ length: POOL_SIZE }, () => dataSource.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)') as Promise<{ pid: number }[]>),
    );
    return new Set(rows.map(([row]) => row.pid));
  }

  it('still uses the same server connections after a quiet spell longer than the idle timeout', async () => {
    const before = await backendsInUse();
    expect(before.size).toBe(POOL_SIZE);
    await sleep(PG_IDLE_TIMEOUT_MS + 1500);
    expect(await backendsInUse()).toEqual(before);
  }, 30_000);
});
