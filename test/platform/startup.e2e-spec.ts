import { existsSync } from 'node:fs';
import { migrations } from '../../migrations';
import { FakeEvolutionServer } from '../fakes/fake-evolution.server';
import { apiClient } from '../support/api-client';
import { createTestApp } from '../support/test-app';
import { EVOLUTION_GLOBAL_KEY, whatsappInstance } from '../support/instance-bodies';

describe('Starting Omni', () => {
  // Creating a WhatsApp instance creates it on its Evolution server.
  const evolution = new FakeEvolutionServer({ apiKey: EVOLUTION_GLOBAL_KEY });
  beforeAll(() => evolution.start());
  afterAll(() => evolution.stop());

  it('starts on an empty data folder, applies migrations, and restarts on the same database without redoing them', async () => {
    const first = await createTestApp();
    if (first.database.kind === 'sqlite') {
      expect(existsSync(first.database.env.AUTOMAGIK_OMNI_SQLITE_DATABASE_PATH)).toBe(true);
    }
    const applied = await first.dataSource.query('SELECT name FROM schema_migrations');
    expect(applied.map((row: { name: string }) => row.name).sort()).toEqual(migrations.map((m) => m.name).sort());

    const health = await apiClient(first.url)('GET', '/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'healthy', database: { status: 'connected', type: first.database.kind } });

    const created = await apiClient(first.url)('POST', '/api/v1/instances', { body: whatsappInstance({}, evolution) });
    expect(created.status).toBe(201);
    await first.close({ keepDatabase: true });

    const second = await createTestApp({ database: first.database });
    try {
      const again = await second.dataSource.query('SELECT name FROM schema_migrations');
      expect(again).toHaveLength(migrations.length);
      const listed = await apiClient(second.url)('GET', '/api/v1/instances');
      expect(listed.body).toEqual([expect.objectContaining({ name: 'support-bot' })]);
    } finally {
      await second.close();
    }
  });

  it('refuses to start with a message naming a bad setting', async () => {
    await expect(createTestApp({ env: { AUTOMAGIK_OMNI_API_PORT: 'eighty' } })).rejects.toThrow(
      /AUTOMAGIK_OMNI_API_PORT/,
    );
    await expect(createTestApp({ env: { AUTOMAGIK_TIMEZONE: 'Mars/Olympus' } })).rejects.toThrow(/AUTOMAGIK_TIMEZONE/);
    await expect(createTestApp({ env: { AUTOMAGIK_OMNI_DATABASE_URL: 'mysql://x' } })).rejects.toThrow(
      /AUTOMAGIK_OMNI_DATABASE_URL/,
    );
  });
});
