// Each e2e suite gets its own database: a temporary SQLite file, or, when DATABASE_URL is set,
// a fresh PostgreSQL database created for the suite and dropped after it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface TestDatabase {
  /** Environment variables that point Omni at this database. */
  env: Record<string, string>;
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export const usesPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return createSqliteDatabase();
  const name = `omni_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { AUTOMAGIK_OMNI_DATABASE_URL: url.toString() },
    drop: () => withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'omni-test-'));
  return {
    kind: 'sqlite',
    // A folder that does not exist yet: Omni must create it, as on a fresh machine.
    env: { AUTOMAGIK_OMNI_SQLITE_DATABASE_PATH: path.join(dir, 'data', 'omni.db') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function withAdminClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
