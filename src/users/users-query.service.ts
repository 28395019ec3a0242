import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository, SelectQueryBuilder } from 'typeorm';
import { type Principal, scopeOf } from '../common/auth';
import { normaliseSenderId } from '../common/sender-id';
import { TraceQueryService } from '../trace/trace-query.service';
import type { UserQueryDto } from './dto/user-query.dto';
import type { UserDetailResponseDto, UserResponseDto } from './dto/user-response.dto';
import { UserExternalId } from './user-external-id.entity';
import { toUserExternalIdResponse, toUserResponse } from './user-response.mapper';
import { User } from './user.entity';

const RECENT_TRACES = 20;

export interface UserPage {
  users: UserResponseDto[];
  total: number;
}

/** Reads people for the API, always within the caller's tenant. */
@Injectable()
export class UsersQueryService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(UserExternalId) private readonly externalIds: Repository<UserExternalId>,
    private readonly traces: TraceQueryService,
  ) {}

  /** Most recently seen first. */
  async list(principal: Principal, query: UserQueryDto): Promise<UserPage> {
    const users = this.users.createQueryBuilder('u');
    const tenantId = scopeOf(principal) ?? query.tenant_id;
    if (tenantId) users.andWhere('u.tenantId = :tenantId', { tenantId });
    if (query.search?.trim()) matchSearch(users, query.search.trim());
    const [rows, total] = await users
      .orderBy('u.lastSeenAt', 'DESC', 'NULLS LAST')
      .addOrderBy('u.createdAt', 'DESC')
      .addOrderBy('u.id', 'ASC')
      .skip(query.skip)
      .take(query.limit)
      .getManyAndCount();
    return { users: rows.map(toUserResponse), total };
  }

  /** A person with every id they are known by and their latest traces; another tenant's person is not found. */
  async get(principal: Principal, id: string): Promise<UserDetailResponseDto> {
    const scope = scopeOf(principal);
    const user = await this.users.findOneBy(scope ? { id, tenantId: scope } : { id });
    if (!user) throw new NotFoundException(`User '${id}' not found`);
    const [externalIds, recentTraces] = await Promise.all([
      this.externalIds.find({ where: { userId: user.id }, order: { provider: 'ASC', createdAt: 'ASC' } }),
      this.traces.listOfUser(user.id, user.tenantId, RECENT_TRACES),
    ]);
    return {
      ...toUserResponse(user),
      external_ids: externalIds.map(toUserExternalIdResponse),
      recent_traces: recentTraces,
    };
  }
}

/** Name, phone number or any channel id containing the text; a typed number also matches however it was spelt. */
function matchSearch(users: SelectQueryBuilder<User>, search: string): void {
  const pattern = `%${escapeLike(search.toLowerCase())}%`;
  const digits = normaliseSenderId(search);
  users.andWhere(
    new Brackets((any) => {
      any
        .where(`LOWER(u.displayName) LIKE :pattern ESCAPE '\\'`, { pattern })
        .orWhere(`u.phoneNumber LIKE :pattern ESCAPE '\\'`)
        .orWhere(
          `EXISTS (SELECT 1 FROM user_external_ids e WHERE e.user_id = u.id AND LOWER(e.external_id) LIKE :pattern ESCAPE '\\')`,
        );
      if (/^\d+$/.test(digits)) any.orWhere(`u.phoneNumber LIKE :digits`, { digits: `%${digits}%` });
    }),
  );
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
