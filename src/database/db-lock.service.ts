import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isPostgres } from './portable-sql';

/** Every advisory lock Omni takes, in one place so ids never collide. */
export enum DbLock {
  Migrations = 720_001,
  TraceRetention = 720_002,
  RecoverPendingMessages = 720_003,
  TraceRollup = 720_004,
  /** Reserved for tests of the lock itself. */
  Test = 720_999,
}

/**
 * Runs work that must not run twice at once across replicas. On PostgreSQL it takes a session
 * advisory lock on a connection held for the duration (never a pooled one left holding it);
 * on SQLite, where one process owns the file, an in-process mutex.
 */
@Injectable()
export class DbLockService {
  private readonly localLocks = new Set<DbLock>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` if the lock is free; returns `{ acquired: false }` without waiting otherwise. */
  async tryWithLock<T>(lock: DbLock, work: () => Promise<T>): Promise<{ acquired: true; result: T } | { acquired: false }> {
    if (!isPostgres(this.dataSource)) return this.tryWithLocalLock(lock, work);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lock])) as { locked: boolean }[];
      if (!row.locked) return { acquired: false };
      try {
        return { acquired: true, result: await work() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [lock]);
      }
    } finally {
      await runner.release();
    }
  }

  private async tryWithLocalLock<T>(lock: DbLock, work: () => Promise<T>) {
    if (this.localLocks.has(lock)) return { acquired: false as const };
    this.localLocks.add(lock);
    try {
      return { acquired: true as const, result: await work() };
    } finally {
      this.localLocks.delete(lock);
    }
  }
}
