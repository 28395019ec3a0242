// Writes instances, traces, payloads and people straight into the database, with known values,
// for the read-side tests (analytics, retention, access, users) to check what the API computes
// from them. Instances are written directly so that no channel (Evolution) is needed.
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { InstanceConfig } from '../../src/instances/instance.entity';
import { MessageTrace } from '../../src/trace/message-trace.entity';
import { encodePayloadColumns } from '../../src/trace/payload-codec';
import { TracePayload } from '../../src/trace/trace-payload.entity';
import { TraceRollupService } from '../../src/trace/trace-rollup.service';
import { UserExternalId } from '../../src/users/user-external-id.entity';
import { User } from '../../src/users/user.entity';
import { DEFAULT_TENANT_ID } from '../../src/tenants/tenant.entity';
import type { TestApp } from './test-app';

/** Rows per INSERT: SQLite takes at most 32,766 parameters, a trace has about 45 columns. */
const CHUNK = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

export const daysAgo = (days: number, from = Date.now()) => new Date(from - days * DAY_MS);
export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 60 * 60 * 1000);

export async function seedInstance(omni: TestApp, instance: Partial<InstanceConfig> & { name: string }): Promise<InstanceConfig> {
  const row = Object.assign(new InstanceConfig(), { id: randomUUID(), tenantId: DEFAULT_TENANT_ID, ...instance });
  await insertInChunks(omni.dataSource.getRepository(InstanceConfig), [row]);
  return row;
}

export async function seedTraces(omni: TestApp, traces: Partial<MessageTrace>[]): Promise<MessageTrace[]> {
  const rows = traces.map((t) =>
    Object.assign(new MessageTrace(), {
      traceId: randomUUID(),
      tenantId: DEFAULT_TENANT_ID,
      channelType: 'whatsapp',
      messageType: 'text',
      status: 'completed',
      receivedAt: new Date(),
      ...t,
    }),
  );
  await insertInChunks(omni.dataSource.getRepository(MessageTrace), rows);
  // Omni only ever records traces as they arrive; traces written into the past are a change behind the roll-ups.
  const oldest = Math.min(...rows.map((row) => row.receivedAt.getTime()));
  if (rows.length) await omni.app.get(TraceRollupService).invalidateFrom(new Date(oldest));
  return rows;
}

export interface SeedPayload {
  stage: string;
  payloadType?: string;
  payload: unknown;
  timestamp?: Date;
}

export async function seedPayloads(omni: TestApp, traceId: string, payloads: SeedPayload[]): Promise<TracePayload[]> {
  const rows = await Promise.all(
    payloads.map(async (p) => {
      const timestamp = p.timestamp ?? new Date();
      const columns = await encodePayloadColumns(p.payload);
      return Object.assign(new TracePayload(), {
        id: randomUUID(),
        traceId,
        stage: p.stage,
        payloadType: p.payloadType ?? 'webhook',
        ...columns,
        timestamp,
      });
    }),
  );
  await insertInChunks(omni.dataSource.getRepository(TracePayload), rows);
  return rows;
}

export async function seedUser(
  omni: TestApp,
  user: Partial<User>,
  externalIds: Pick<UserExternalId, 'provider' | 'externalId'>[] = [],
): Promise<User> {
  const row = Object.assign(new User(), { id: randomUUID(), tenantId: DEFAULT_TENANT_ID, messageCount: 0, ...user });
  await omni.dataSource.getRepository(User).insert(row);
  for (const ref of externalIds) {
    await omni.dataSource.getRepository(UserExternalId).insert({
      id: randomUUID(),
      userId: row.id,
      tenantId: row.tenantId,
      instanceName: row.instanceName,
      ...ref,
    });
  }
  return row;
}

/**
 * Without `updateEntity(false)`, TypeORM re-reads a multi-row insert on SQLite and merges the
 * rows back by position, in the database's order — which swaps the given ids between rows.
 */
async function insertInChunks<T extends object>(repository: Repository<T>, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await repository.createQueryBuilder().insert().values(rows.slice(i, i + CHUNK)).updateEntity(false).execute();
  }
}
