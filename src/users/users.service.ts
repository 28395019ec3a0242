import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type { ChannelType, InboundSender } from '../channels/channel';
import { updateWhere } from '../database/direct-statements';
import { entityFromRow } from '../database/entity-from-row';
import { isPostgres, parameterMarker } from '../database/portable-sql';
import { postgresInsertOf } from '../database/postgres-insert';
import { isUniqueViolation } from '../database/unique-violation';
import type { InstanceConfig } from '../instances/instance.entity';
import { IdentityProvider, UserExternalId } from './user-external-id.entity';
import { User } from './user.entity';

export interface ResolvedPerson {
  user: User;
  /** The id every rule, session and trace uses: phone digits when ever known, else the channel id. */
  personId: string;
  /** The person's phone digits, when known now or from an earlier message. */
  phone?: string;
  /** Every id of the person on the channel (phone digits, LID, user id): what access rules are matched against. */
  ids: string[];
}

interface ExternalRef {
  provider: IdentityProvider;
  externalId: string;
}

/**
 * One identity per person. A WhatsApp sender can arrive as a phone JID, as an `@lid`, or both;
 * every id seen together is linked to one user, so a later message carrying only the LID maps
 * to the same person (and the same phone number, rules and session).
 */
@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async resolve(instance: InstanceConfig, channel: ChannelType, sender: InboundSender): Promise<ResolvedPerson> {
    const refs = externalRefs(channel, sender);
    const { linkCount, users } = await this.linksOf(instance, refs);
    const known = linkCount === refs.length && users.length === 1 ? unchangedPerson(users[0], instance, refs, sender) : null;
    if (known) return known;
    if (linkCount === 0 && isPostgres(this.dataSource)) {
      try {
        return await this.createPerson(instance, refs, sender);
      } catch (err) {
        // Another first message of this person created them meanwhile: the transaction finds their links.
        if (!isUniqueViolation(err)) throw err;
      }
    }
    try {
      return await this.dataSource.transaction((tx) => this.resolveIn(tx, instance, refs, sender));
    } catch (err) {
      // Two first messages of a new person raced to create them: the loser finds the winner's links.
      if (!isUniqueViolation(err)) throw err;
      return this.dataSource.transaction((tx) => this.resolveIn(tx, instance, refs, sender));
    }
  }

  /**
   * Which of the ids are linked already, and to whom: one read. The common case ends here, with
   * no write: every id links to one user and nothing about them changed (message counts and
   * last-seen are written by recordMessage).
   */
  private async linksOf(instance: InstanceConfig, refs: ExternalRef[]): Promise<{ linkCount: number; users: User[] }> {
    // By hand: the query builder's join and hydration cost more CPU than the read itself.
    const marker = parameterMarker(this.dataSource);
    const params: string[] = [instance.tenantId];
    const matches = refs.map((ref) => {
      params.push(ref.provider, ref.externalId);
      return `(link.provider = ${marker(params.length - 1)} AND link.external_id = ${marker(params.length)})`;
    });
    const rows = (await this.dataSource.query(
      `SELECT person.* FROM users person JOIN user_external_ids link ON link.user_id = person.id ` +
        `WHERE link.tenant_id = ${marker(1)} AND (${matches.join(' OR ')})`,
      params,
    )) as Record<string, unknown>[];
    // One row per link found; a person linked by several ids comes back once per link.
    const users = new Map(rows.map((row) => [row.id, row]));
    const repository = this.dataSource.getRepository(User);
    return { linkCount: rows.length, users: [...users.values()].map((row) => entityFromRow(repository, row)) };
  }

  /**
   * A person none of whose ids is known: the user and all their ids in one statement (on
   * PostgreSQL, where the first message's path to the agent is otherwise six round trips).
   */
  private async createPerson(instance: InstanceConfig, refs: ExternalRef[], sender: InboundSender): Promise<ResolvedPerson> {
    const user = Object.assign(new User(), { id: randomUUID(), tenantId: instance.tenantId, messageCount: 0 });
    withProfile(user, instance, sender);
    const person = postgresInsertOf(this.dataSource.getRepository(User), [user]);
    const links = refs.map((ref) => linkRow(user.id, instance, ref));
    const linked = postgresInsertOf(this.dataSource.getRepository(UserExternalId), links, person.params.length + 1);
    await this.dataSource.query(`WITH person AS (${person.sql}) ${linked.sql}`, [...person.params, ...linked.params]);
    return personOf(user, refs, sender);
  }

  /** Counts a message and remembers the session it went to. */
  async recordMessage(userId: string, sessionName: string): Promise<void> {
    await updateWhere(
      this.dataSource.getRepository(User),
      { id: userId },
      { messageCount: () => 'message_count + 1', lastSeenAt: new Date(), lastSessionNameInteraction: sessionName },
    );
  }

  private async resolveIn(
    tx: EntityManager,
    instance: InstanceConfig,
    refs: ExternalRef[],
    sender: InboundSender,
  ): Promise<ResolvedPerson> {
    const links = await tx.find(UserExternalId, {
      where: refs.map((r) => ({ tenantId: instance.tenantId, provider: r.provider, externalId: r.externalId })),
    });
    const user = links.length
      ? await this.mergedUser(tx, instance.tenantId, links)
      : tx.create(User, { id: randomUUID(), tenantId: instance.tenantId, messageCount: 0 });
    withProfile(user, instance, sender);
    // A new person is inserted straight away (save would first look the id up).
    await (links.length ? tx.save(User, user) : tx.insert(User, user));
    const linked = new Set(links.map((l) => `${l.provider}:${l.externalId}`));
    const unlinked = refs.filter((r) => !linked.has(`${r.provider}:${r.externalId}`));
    if (unlinked.length) await tx.insert(UserExternalId, unlinked.map((ref) => linkRow(user.id, instance, ref)));
    return personOf(user, refs, sender);
  }

  /**
   * A LID seen alone and a phone seen alone made two users; the message showing both proves they
   * are one person, so the links move to the user known by phone.
   */
  private async mergedUser(tx: EntityManager, tenantId: string, links: UserExternalId[]): Promise<User> {
    const primaryId = links.find((l) => l.provider === 'whatsapp')?.userId ?? links[0].userId;
    const others = [...new Set(links.map((l) => l.userId))].filter((id) => id !== primaryId);
    if (others.length) await tx.update(UserExternalId, { tenantId, userId: In(others) }, { userId: primaryId });
    return tx.findOneByOrFail(User, { id: primaryId });
  }
}

function externalRefs(channel: ChannelType, sender: InboundSender): ExternalRef[] {
  if (channel === 'discord') return [{ provider: 'discord', externalId: sender.id }];
  const refs: ExternalRef[] = [];
  if (sender.phone) refs.push({ provider: 'whatsapp', externalId: sender.phone });
  if (sender.lid) refs.push({ provider: 'whatsapp_lid', externalId: sender.lid });
  if (!refs.length) refs.push({ provider: 'whatsapp', externalId: sender.id });
  return refs;
}

/** The person as this message shows them: where they wrote, their name and number. */
function withProfile(user: User, instance: InstanceConfig, sender: InboundSender): void {
  Object.assign(user, {
    instanceId: instance.id,
    instanceName: instance.name,
    displayName: sender.displayName ?? user.displayName ?? null,
    lastSeenAt: new Date(),
  });
  if (sender.phone) {
    user.phoneNumber = `+${sender.phone}`;
    user.whatsappJid = sender.jid ?? `${sender.phone}@s.whatsapp.net`;
  }
}

function linkRow(userId: string, instance: InstanceConfig, ref: ExternalRef): Partial<UserExternalId> {
  return {
    id: randomUUID(),
    userId,
    tenantId: instance.tenantId,
    provider: ref.provider,
    externalId: ref.externalId,
    instanceId: instance.id,
    instanceName: instance.name,
  };
}

function unchangedPerson(user: User, instance: InstanceConfig, refs: ExternalRef[], sender: InboundSender): ResolvedPerson | null {
  const unchanged =
    user.instanceId === instance.id &&
    (!sender.displayName || sender.displayName === user.displayName) &&
    (!sender.phone || user.phoneNumber === `+${sender.phone}`);
  return unchanged ? personOf(user, refs, sender) : null;
}

function personOf(user: User, refs: ExternalRef[], sender: InboundSender): ResolvedPerson {
  const phone = sender.phone ?? user.phoneNumber?.replace(/^\+/, '') ?? undefined;
  const ids = [...new Set([phone, ...refs.map((r) => r.externalId)].filter((id): id is string => Boolean(id)))];
  return { user, personId: phone ?? sender.id, phone, ids };
}
