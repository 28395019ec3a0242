import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Not, Repository } from 'typeorm';
import { type Principal, scopeOf } from '../common/auth';
import { isUniqueViolation } from '../database/unique-violation';
import { InstancesService } from '../instances/instances.service';
import { TenantsService } from '../tenants/tenants.service';
import { AccessControlService } from './access-control.service';
import { toAccessRuleResponse } from './access-rule-response.mapper';
import { AccessRule } from './access-rule.entity';
import type { AccessRuleResponseDto } from './dto/access-rule-response.dto';
import type { AccessRuleQueryDto, CreateAccessRuleDto, UpdateAccessRuleDto } from './dto/access-rule.dto';
import { formatRulePattern, parseRulePattern } from './rule-pattern';

/** Where a rule applies: a tenant (null: every tenant) and an instance (null: all of them). */
interface Placement {
  tenantId: string | null;
  instanceId: string | null;
}

@Injectable()
export class AccessRulesService {
  constructor(
    @InjectRepository(AccessRule) private readonly rules: Repository<AccessRule>,
    private readonly instances: InstancesService,
    private readonly tenants: TenantsService,
    private readonly access: AccessControlService,
  ) {}

  /** A tenant key sees its own rules and the admin's every-tenant rules, which apply to it too. */
  async list(principal: Principal, query: AccessRuleQueryDto): Promise<AccessRuleResponseDto[]> {
    const rules = this.rules.createQueryBuilder('r');
    const scope = scopeOf(principal);
    if (scope) rules.andWhere('(r.tenantId = :scope OR r.tenantId IS NULL)', { scope });
    else if (query.tenant_id) rules.andWhere('r.tenantId = :tenantId', { tenantId: query.tenant_id });
    if (query.instance_name) {
      const instance = await this.instances.getByName(principal, query.instance_name, query.tenant_id);
      rules.andWhere('r.instanceId = :instanceId', { instanceId: instance.id });
    }
    if (query.global_only) rules.andWhere('r.instanceId IS NULL');
    if (query.rule_type) rules.andWhere('r.ruleType = :ruleType', { ruleType: query.rule_type });
    const rows = await rules
      .orderBy('r.createdAt', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .skip(query.skip)
      .take(query.limit)
      .getMany();
    return this.toResponses(rows);
  }

  async create(principal: Principal, dto: CreateAccessRuleDto): Promise<AccessRuleResponseDto> {
    const placement = await this.placementFor(principal, dto.instance_name ?? null, dto.tenant_id);
    const rule = this.rules.create({
      id: randomUUID(),
      // Set here, not by the column default: SQLite's default has whole seconds, too coarse to list newest first.
      createdAt: new Date(),
      ...placement,
      phoneNumber: formatRulePattern(parseRulePattern(dto.phone_number)!),
      ruleType: dto.rule_type,
    });
    return this.save(rule);
  }

  async update(principal: Principal, id: string, dto: UpdateAccessRuleDto): Promise<AccessRuleResponseDto> {
    const rule = await this.findWritable(principal, id);
    const previousTenant = rule.tenantId;
    if (dto.instance_name !== undefined) Object.assign(rule, await this.movedPlacement(principal, rule, dto.instance_name));
    if (dto.phone_number !== undefined) rule.phoneNumber = formatRulePattern(parseRulePattern(dto.phone_number)!);
    if (dto.rule_type !== undefined) rule.ruleType = dto.rule_type;
    const saved = await this.save(rule);
    this.access.invalidate(previousTenant);
    return saved;
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const rule = await this.findWritable(principal, id);
    await this.rules.delete({ id: rule.id });
    this.access.invalidate(rule.tenantId);
  }

  private async save(rule: AccessRule): Promise<AccessRuleResponseDto> {
    await this.assertUnique(rule);
    try {
      await this.rules.save(rule);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(rule);
      throw err;
    }
    this.access.invalidate(rule.tenantId);
    const [response] = await this.toResponses([rule]);
    return response;
  }

  private async placementFor(principal: Principal, instanceName: string | null, tenantId?: string): Promise<Placement> {
    const scope = scopeOf(principal);
    if (scope && tenantId && tenantId !== scope) {
      throw new ForbiddenException('A tenant key creates rules in its own tenant only');
    }
    if (instanceName) {
      const instance = await this.instances.getByName(principal, instanceName, tenantId);
      return { tenantId: instance.tenantId, instanceId: instance.id };
    }
    if (scope) return { tenantId: scope, instanceId: null };
    if (tenantId) await this.tenants.require(tenantId);
    return { tenantId: tenantId ?? null, instanceId: null };
  }

  /** Moving a rule keeps it in its tenant, except that an every-tenant rule moved to an instance joins that instance's tenant. */
  private async movedPlacement(principal: Principal, rule: AccessRule, instanceName: string | null): Promise<Placement> {
    if (!instanceName) return { tenantId: rule.tenantId, instanceId: null };
    const instance = await this.instances.getByName(principal, instanceName, rule.tenantId ?? undefined);
    return { tenantId: instance.tenantId, instanceId: instance.id };
  }

  /** A rule the caller may change; an every-tenant rule is the admin's alone. */
  private async findWritable(principal: Principal, id: string): Promise<AccessRule> {
    const rule = await this.rules.findOneBy({ id });
    const scope = scopeOf(principal);
    if (!rule || (scope && rule.tenantId !== null && rule.tenantId !== scope)) {
      throw new NotFoundException(`Access rule '${id}' not found`);
    }
    if (scope && rule.tenantId === null) {
      throw new ForbiddenException('This rule applies to every tenant: only the admin key may change it');
    }
    return rule;
  }

  private async assertUnique(rule: AccessRule): Promise<void> {
    const twin = await this.rules.exists({
      where: {
        id: Not(rule.id),
        tenantId: rule.tenantId ?? IsNull(),
        instanceId: rule.instanceId ?? IsNull(),
        phoneNumber: rule.phoneNumber,
        ruleType: rule.ruleType,
      },
    });
    if (twin) throw duplicate(rule);
  }

  private async toResponses(rules: AccessRule[]): Promise<AccessRuleResponseDto[]> {
    const instanceIds = [...new Set(rules.flatMap((r) => (r.instanceId ? [r.instanceId] : [])))];
    const found = await Promise.all(instanceIds.map((id) => this.instances.findById(id)));
    const names = new Map(found.flatMap((i) => (i ? [[i.id, i.name] as const] : [])));
    return rules.map((r) => toAccessRuleResponse(r, r.instanceId ? (names.get(r.instanceId) ?? null) : null));
  }
}

const duplicate = (rule: AccessRule) =>
  new ConflictException(`A ${rule.ruleType} rule for '${rule.phoneNumber}' already exists in that scope`);
