// The hand-written statements of the message path must read and write exactly what TypeORM's
// repository methods do, on SQLite and on PostgreSQL.
import { DataSource, Repository } from 'typeorm';
import type { AppConfig } from '../../src/config/app-config';
import { ChatState } from '../../src/conversations/chat-state.entity';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { findOneWhere, insertUnlessPresent, updateWhere } from '../../src/database/direct-statements';
import { postgresInsertOf } from '../../src/database/postgres-insert';
import { runMigrations } from '../../src/database/migration-runner';
import { applyPortableColumnTypes } from '../../src/database/portable-columns';
import { DEFAULT_TENANT_ID } from '../../src/tenants/tenant.entity';
import { createTestDatabase, TestDatabase, usesPostgres } from '../support/test-database';

const INSTANCE_ID = '7c0f4c9e-3a55-4d53-9a59-5f4f0d3b1a01';

describe('direct statements', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let chats: Repository<ChatState>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config: AppConfig['database'] =
      database.kind === 'postgres'
        ? { type: 'postgres', url: database.env.AUTOMAGIK_OMNI_DATABASE_URL, poolSize: 4, runMigrations: true }
        : { type: 'sqlite', path: database.env.AUTOMAGIK_OMNI_SQLITE_DATABASE_PATH, runMigrations: true };
    applyPortableColumnTypes(config.type);
    dataSource = await new DataSource({ ...buildDataSourceOptions(config), entities: [ChatState] }).initialize();
    await runMigrations(dataSource);
    chats = dataSource.getRepository(ChatState);
    await dataSource.query(`INSERT INTO instance_configs (id, tenant_id, name, channel_type) VALUES ('${INSTANCE_ID}', '${DEFAULT_TENANT_ID}', 'direct', 'whatsapp')`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await chats.clear();
    await chats.insert([
      { instanceId: INSTANCE_ID, chatId: 'paused', sessionEpoch: 3, pausedUntil: new Date('2031-05-06T07:08:09.123Z'), pauseReason: 'operator' },
      { instanceId: INSTANCE_ID, chatId: 'quiet', sessionEpoch: 0, lastMessageAt: null },
    ]);
  });

  it('finds the row the repository finds, with its dates, numbers and nulls', async () => {
    for (const chatId of ['paused', 'quiet']) {
      const direct = await findOneWhere(chats, { instanceId: INSTANCE_ID, chatId });
      expect(direct).toBeInstanceOf(ChatState);
      expect(direct).toEqual(await chats.findOneBy({ instanceId: INSTANCE_ID, chatId }));
    }
    expect((await findOneWhere(chats, { instanceId: INSTANCE_ID, chatId: 'paused' }))!.pausedUntil).toEqual(new Date('2031-05-06T07:08:09.123Z'));
  });

  it('matches null as IS NULL and finds nothing when nothing matches', async () => {
    expect((await findOneWhere(chats, { instanceId: INSTANCE_ID, pausedUntil: null }))!.chatId).toBe('quiet');
    expect(await findOneWhere(chats, { instanceId: INSTANCE_ID, chatId: 'nobody' })).toBeNull();
  });

  it('updates only the matching rows, says how many, and stamps the update date', async () => {
    const before = (await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: 'quiet' })).updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // SQLite's CURRENT_TIMESTAMP has whole seconds
    const at = new Date('2030-01-02T03:04:05.678Z');

    expect(await updateWhere(chats, { instanceId: INSTANCE_ID, chatId: 'quiet' }, { lastMessageAt: at, sessionEpoch: () => 'session_epoch + 2' })).toBe(1);
    expect(await updateWhere(chats, { instanceId: INSTANCE_ID, chatId: 'nobody' }, { sessionEpoch: 9 })).toBe(0);

    const quiet = await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: 'quiet' });
    expect(quiet).toMatchObject({ lastMessageAt: at, sessionEpoch: 2 });
    expect(quiet.updatedAt.getTime()).toBeGreaterThan(before.getTime());
    expect(await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: 'paused' })).toMatchObject({ sessionEpoch: 3, lastMessageAt: null });
  });

  it('writes null, and leaves out what is undefined', async () => {
    await updateWhere(chats, { instanceId: INSTANCE_ID, chatId: 'paused' }, { pausedUntil: null, pauseReason: undefined });
    expect(await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: 'paused' })).toMatchObject({ pausedUntil: null, pauseReason: 'operator' });
  });

  it('inserts a row unless its key is taken, and says which', async () => {
    const at = new Date('2029-09-09T09:09:09.999Z');
    expect(await insertUnlessPresent(chats, { instanceId: INSTANCE_ID, chatId: 'new', sessionEpoch: 4, lastMessageAt: at })).toBe(true);
    expect(await insertUnlessPresent(chats, { instanceId: INSTANCE_ID, chatId: 'new', sessionEpoch: 5 })).toBe(false);
    expect(await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: 'new' })).toMatchObject({ sessionEpoch: 4, lastMessageAt: at, pausedUntil: null });
  });

  it('runs inside the transaction of the repository it is given', async () => {
    await dataSource
      .transaction(async (tx) => {
        expect(await updateWhere(tx.getRepository(ChatState), { instanceId: INSTANCE_ID, chatId: 'quiet' }, { sessionEpoch: 7 })).toBe(1);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect((await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: 'quiet' })).sessionEpoch).toBe(0);
  });

  // A few rows go as VALUES, more as one array per column (unnest): both must write the same.
  (usesPostgres() ? it.each : it.skip.each)([2, 9])('bulk-inserts %i rows with text that needs quoting, nulls, dates and defaults (PostgreSQL)', async (count) => {
    const rows: Partial<ChatState>[] = [
      { instanceId: INSTANCE_ID, chatId: 'a "quoted", {braced} \\\\ chat', sessionEpoch: 1, pausedUntil: new Date('2032-01-02T03:04:05.006Z'), pauseReason: 'NULL' },
      { instanceId: INSTANCE_ID, chatId: '', sessionEpoch: 0, pausedUntil: null, pauseReason: null },
      ...Array.from({ length: count - 2 }, (_, i) => ({ instanceId: INSTANCE_ID, chatId: `more-${i}`, sessionEpoch: i, pausedUntil: null, pauseReason: 'operator' })),
    ];
    const { sql, params } = postgresInsertOf(chats, rows);
    await dataSource.query(sql, params);

    const quoted = await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: rows[0].chatId });
    expect(quoted).toMatchObject({ sessionEpoch: 1, pausedUntil: rows[0].pausedUntil, pauseReason: 'NULL', lastMessageAt: null });
    expect(quoted.updatedAt).toBeInstanceOf(Date); // set by no row: the column's default
    expect(await chats.findOneByOrFail({ instanceId: INSTANCE_ID, chatId: '' })).toMatchObject({ sessionEpoch: 0, pausedUntil: null, pauseReason: null });
    expect(await chats.countBy({ instanceId: INSTANCE_ID, pauseReason: 'operator' })).toBe(1 + count - 2); // 'paused' from beforeEach, and the rest
  });

  it('refuses a bulk insert whose rows set different properties', () => {
    const rows: Partial<ChatState>[] = [
      { instanceId: INSTANCE_ID, chatId: 'one', sessionEpoch: 1 },
      { instanceId: INSTANCE_ID, chatId: 'two' },
    ];
    expect(() => postgresInsertOf(chats, rows)).toThrow('chat_states.sessionEpoch is set on some rows of the insert only');
  });
});
