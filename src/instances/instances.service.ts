import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull, Not, Repository } from 'typeorm';
import { type ChannelType } from '../channels/channel';
import { type Principal, scopeOf, type TenantScope } from '../common/auth';
import { DEFAULT_TENANT_ID } from '../tenants/tenant.entity';
import { TenantsService } from '../tenants/tenants.service';
import { CreateInstanceDto, InstanceSettingsDto } from './dto/create-instance.dto';
import type { InstanceResponseDto } from './dto/instance-response.dto';
import type { UpdateInstanceDto } from './dto/update-instance.dto';
import { InstanceLifecycleRegistry } from './instance-lifecycle';
import { normaliseInstanceName } from './instance-name';
import { toInstanceResponse } from './instance-response.mapper';
import { InstanceConfig } from './instance.entity';
import { ShortLivedCache } from '../common/short-lived-cache';

/**
 * How long lookups on every message's path (a webhook's by name, processing's by id) are served
 * from memory: messages arrive in bursts and settings rarely change. Changes made through this
 * replica are seen at once; another replica's within this time.
 */
const LOOKUP_CACHE_TTL_MS = 2000;

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const CREATION_ONLY = new Set(['name', 'channel_type', 'tenant_id', 'phone_number', 'auto_qr', 'integration']);

@Injectable()
export class InstancesService {
  private readonly logger = new Logger(InstancesService.name);
  private readonly byName = new ShortLivedCache<InstanceConfig[]>(LOOKUP_CACHE_TTL_MS);
  // An unknown id is not remembered: the instance may be created in a moment.
  private readonly byId = new ShortLivedCache<InstanceConfig | null>(LOOKUP_CACHE_TTL_MS, (found) => found !== null);

  constructor(
    @InjectRepository(InstanceConfig) private readonly instances: Repository<InstanceConfig>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly lifecycle: InstanceLifecycleRegistry,
  ) {}

  supportedChannels(): ChannelType[] {
    return this.lifecycle.registered();
  }

  async create(principal: Principal, dto: CreateInstanceDto): Promise<InstanceResponseDto> {
    const tenantId = await this.tenantForCreation(principal, dto.tenant_id);
    const name = normaliseInstanceName(dto.name);
    if (await this.instances.exists({ where: { tenantId, name } })) {
      throw new ConflictException(`Instance '${name}' already exists`);
    }
    const instance = this.instances.create({ id: randomUUID(), tenantId, name, channelType: dto.channel_type ?? 'whatsapp' });
    this.applySettings(instance, dto);
    instance.whatsappInstance ??= name;
    instance.sessionIdPrefix ??= `${name}-`;
    await this.saveAsDefaultIfAsked(instance);
    return toInstanceResponse(await this.provision(instance, dto));
  }

  async list(principal: Principal, skip: number, limit: number, tenantId?: string): Promise<InstanceConfig[]> {
    const scope = this.narrowScope(principal, tenantId);
    return this.instances.find({
      where: scope ? { tenantId: scope } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      skip,
      take: limit,
    });
  }

  /** The instance a caller may see under that name; 404 when it belongs to another tenant. */
  async getByName(principal: Principal, name: string, tenantId?: string): Promise<InstanceConfig> {
    const scope = this.narrowScope(principal, tenantId);
    const found = await this.instances.find({ where: scope ? { name, tenantId: scope } : { name }, take: 2 });
    if (found.length === 0) throw new NotFoundException(`Instance '${name}' not found`);
    if (found.length > 1) {
      throw new ConflictException(`Several tenants have an instance named '${name}': pass tenant_id`);
    }
    return found[0];
  }

  async update(principal: Principal, name: string, dto: UpdateInstanceDto, tenantId?: string) {
    const instance = await this.getByName(principal, name, tenantId);
    const previous = { ...instance };
    this.applySettings(instance, dto);
    this.assertChannelRequirements(instance);
    await this.saveAsDefaultIfAsked(instance);
    const changes = await this.lifecycle.for(instance.channelType)?.updated?.(instance, previous);
    if (changes) await this.instances.save(Object.assign(instance, changes)).finally(() => this.forgetCached());
    return toInstanceResponse(instance);
  }

  async remove(principal: Principal, name: string, tenantId?: string): Promise<{ message: string }> {
    const instance = await this.getByName(principal, name, tenantId);
    try {
      await this.lifecycle.for(instance.channelType)?.deprovision?.(instance);
    } catch (err) {
      // The channel side may already be gone; the operator still wants the instance removed here.
      this.logger.warn({ err, instance: instance.name }, 'Channel clean-up failed; deleting the instance anyway');
    }
    await this.instances.delete({ id: instance.id });
    this.forgetCached();
    return { message: `Instance '${instance.name}' deleted successfully` };
  }

  async withStatus(instance: InstanceConfig, includeStatus: boolean): Promise<InstanceResponseDto> {
    const response = toInstanceResponse(instance);
    const status = includeStatus ? this.lifecycle.for(instance.channelType)?.status : undefined;
    if (!status) return response;
    try {
      response.evolution_status = await status(instance);
    } catch (err) {
      response.evolution_status = { state: 'error', last_updated: new Date(), error: (err as Error).message };
    }
    return response;
  }

  /**
   * Every instance with that name, across tenants (webhooks carry only the name; callers
   * disambiguate). Served from a short-lived cache: this is on every webhook's path.
   */
  findAllByName(name: string): Promise<InstanceConfig[]> {
    return this.byName.get(name, () => this.instances.find({ where: { name } }));
  }

  /** An instance by id, served from a short-lived cache: this is on every message's path. */
  findById(id: string): Promise<InstanceConfig | null> {
    return this.byId.get(id, () => this.instances.findOneBy({ id }));
  }

  /** Instances that keep their traces for their own number of days (trace retention). */
  findWithOwnTraceRetention(): Promise<InstanceConfig[]> {
    return this.instances.find({ where: { traceRetentionDays: Not(IsNull()) } });
  }

  private forgetCached(): void {
    this.byName.clear();
    this.byId.clear();
  }

  /** Records what the channel reported about an instance (connection state, owner, profile). */
  async recordChannelState(id: string, fields: Partial<InstanceConfig>): Promise<void> {
    await this.instances.update({ id }, fields);
    this.forgetCached();
  }

  private async provision(instance: InstanceConfig, dto: CreateInstanceDto): Promise<InstanceConfig> {
    const provision = this.lifecycle.for(instance.channelType)?.provision;
    if (!provision) return instance;
    try {
      const fields = await provision(instance, {
        phoneNumber: dto.phone_number,
        autoQr: dto.auto_qr,
        integration: dto.integration,
      });
      return await this.instances.save(Object.assign(instance, fields)).finally(() => this.forgetCached());
    } catch (err) {
      await this.instances.delete({ id: instance.id }).finally(() => this.forgetCached());
      throw err;
    }
  }

  private applySettings(instance: InstanceConfig, dto: Partial<InstanceSettingsDto>): void {
    const columns = this.instances.metadata;
    for (const [key, value] of Object.entries(dto)) {
      if (CREATION_ONLY.has(key) || value === undefined) continue;
      const property = camel(key);
      const column = columns.findColumnWithPropertyName(property);
      if (!column) continue;
      if (value === null && !column.isNullable) throw new BadRequestException(`${key} cannot be null`);
      (instance as unknown as Record<string, unknown>)[property] = value;
    }
    if (dto.default_agent && !dto.agent_id && !instance.agentId) instance.agentId = dto.default_agent;
  }

  private assertChannelRequirements(instance: InstanceConfig): void {
    const missing =
      instance.channelType === 'whatsapp'
        ? (['evolutionUrl', 'evolutionKey'] as const).filter((f) => !instance[f])
        : (['discordBotToken'] as const).filter((f) => !instance[f]);
    if (!instance.agentApiUrl) missing.push('agentApiUrl' as never);
    if (missing.length) {
      const fields = missing.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
      throw new BadRequestException(`A ${instance.channelType} instance needs ${fields.join(', ')}`);
    }
  }

  /** Saves the instance; when it is the tenant's default now, the previous default stops being one. */
  private async saveAsDefaultIfAsked(instance: InstanceConfig): Promise<void> {
    try {
      await this.dataSource.transaction(async (tx: EntityManager) => {
        if (instance.isDefault) {
          await tx.update(InstanceConfig, { tenantId: instance.tenantId, isDefault: true }, { isDefault: false });
        }
        await tx.save(instance);
      });
    } finally {
      this.forgetCached();
    }
  }

  private async tenantForCreation(principal: Principal, requested?: string): Promise<string> {
    if (!principal.isAdmin) {
      if (requested && requested !== principal.tenantId) {
        throw new ForbiddenException('A tenant key creates instances in its own tenant only');
      }
      return principal.tenantId!;
    }
    if (!requested) return DEFAULT_TENANT_ID;
    await this.tenants.require(requested);
    return requested;
  }

  /** A tenant key is always limited to its tenant; the admin key may narrow to one. */
  private narrowScope(principal: Principal, tenantId?: string): TenantScope {
    return scopeOf(principal) ?? tenantId;
  }
}
