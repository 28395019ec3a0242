import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ShortLivedCache } from '../common/short-lived-cache';
import type { InstanceConfig } from '../instances/instance.entity';
import { AccessDecision, decideAccess, indexRules, MatchableRule, RuleIndex } from './access-rule.matcher';
import { AccessRule } from './access-rule.entity';
import { parseRulePattern } from './rule-pattern';

/**
 * How long a replica trusts its cached rules. A change made through this replica applies at
 * once; one made through another replica applies here within this time.
 */
const RULE_CACHE_TTL_MS = 5_000;

/** Decides whether a sender may reach an instance's agent. Called by the router for every message. */
@Injectable()
export class AccessControlService {
  /** By tenant; a burst of messages shares one load. */
  private readonly cache = new ShortLivedCache<RuleIndex>(RULE_CACHE_TTL_MS);

  constructor(@InjectRepository(AccessRule) private readonly rules: Repository<AccessRule>) {}

  /** `ids` are every id the sender is known by (phone digits, LID, Discord id); the best match over all wins. */
  async evaluate(instance: InstanceConfig, ids: string[]): Promise<AccessDecision> {
    const index = await this.rulesOf(instance.tenantId);
    return decideAccess(index, instance.id, instance.accessMode, ids);
  }

  /** Forgets a tenant's cached rules after a change (null: an every-tenant rule changed, so all of them). */
  invalidate(tenantId: string | null): void {
    if (tenantId === null) this.cache.clear();
    else this.cache.forget(tenantId);
  }

  private rulesOf(tenantId: string): Promise<RuleIndex> {
    return this.cache.get(tenantId, () => this.load(tenantId));
  }

  private async load(tenantId: string): Promise<RuleIndex> {
    const rows = await this.rules.find({
      where: [{ tenantId }, { tenantId: IsNull() }],
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return indexRules(rows.flatMap(toMatchable));
  }
}

function toMatchable(rule: AccessRule): MatchableRule[] {
  const pattern = parseRulePattern(rule.phoneNumber);
  return pattern ? [{ id: rule.id, instanceId: rule.instanceId, pattern, ruleType: rule.ruleType }] : [];
}
