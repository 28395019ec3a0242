// Boots the real AppModule through configureApp, on a real database and a real loopback port,
// exactly as main.ts does. Tests talk to it over HTTP.
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { configureApp, createFastifyAdapter } from '../../src/configure-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { freePort } from './free-port';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  url: string;
  database: TestDatabase;
  dataSource: DataSource;
  /** Raw SQL with `$1`-style parameters on both drivers. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops the app; the database is kept when `keepDatabase` (to start again on it). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  /** Start on an existing database (e.g. to test a restart). */
  database?: TestDatabase;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  try {
    return await startOn(database, options);
  } catch (err) {
    // A start that fails (e.g. a test of bad settings) leaves no database behind.
    if (!options.database) await database.drop();
    throw err;
  }
}

async function startOn(database: TestDatabase, options: TestAppOptions): Promise<TestApp> {
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTOMAGIK_OMNI_API_KEY: ADMIN_KEY,
    AUTOMAGIK_OMNI_API_HOST: '127.0.0.1',
    AUTOMAGIK_OMNI_API_PORT: String(port),
    AUTOMAGIK_OMNI_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...database.env,
    ...options.env,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter(), {
    logger: false,
    bufferLogs: true,
    // Throw start-up errors (e.g. a missing provider) to the test instead of exiting the process.
    abortOnError: false,
  });
  configureApp(app, config);
  await app.listen(port, '127.0.0.1');
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    database,
    dataSource: app.get(DataSource),
    query: (sql, params) => portableQuery(app.get(DataSource), sql, params),
    close: async ({ keepDatabase = false } = {}) => {
      await app.close();
      if (!keepDatabase) await database.drop();
    },
  };
}


function portableQuery<T>(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  if (dataSource.options.type === 'postgres') return dataSource.query(sql, params);
  // SQLite binds no dates: use the UTC text TypeORM stores for datetime columns.
  const values = params.map((p) => (p instanceof Date ? p.toISOString().replace('T', ' ').replace('Z', '') : p));
  return dataSource.query(sql.replace(/\$\d+/g, '?'), values);
}
