import { Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import type { Principal } from '../common/auth';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiKey } from './api-key.entity';
import { generateApiKey, hashApiKey, sameKey } from './api-key-secret';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto } from './dto/api-key.dto';
import { TenantsService } from './tenants.service';

const GENERATED_ADMIN_KEY_NAME = 'admin (generated at first start)';
/** `last_used_at` is written at most this often per key, so busy clients cost no write per request. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService implements OnModuleInit {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantsService,
  ) {}

  /** Without AUTOMAGIK_OMNI_API_KEY, the first start creates an admin key, stores its hash and prints it once. */
  async onModuleInit(): Promise<void> {
    if (this.config.auth.adminKey) return;
    const existing = await this.keys.exist({ where: { isAdmin: true, revokedAt: IsNull() } });
    if (existing) return;
    const created = await this.insert({ name: GENERATED_ADMIN_KEY_NAME, tenantId: null, isAdmin: true });
    this.logger.warn(
      `No AUTOMAGIK_OMNI_API_KEY set: generated an admin API key. It is shown only now, store it: ${created.key}`,
    );
  }

  async authenticate(presented: string): Promise<Principal | null> {
    const envKey = this.config.auth.adminKey;
    if (envKey && sameKey(presented, envKey)) return { keyId: null, isAdmin: true, tenantId: null };
    const key = await this.keys.findOneBy({ keyHash: hashApiKey(presented) });
    if (!key || key.revokedAt) return null;
    await this.recordUse(key.id);
    return { keyId: key.id, isAdmin: key.isAdmin, tenantId: key.tenantId };
  }

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    const isAdmin = dto.is_admin ?? false;
    const tenantId = isAdmin ? null : dto.tenant_id!;
    if (tenantId) await this.tenants.require(tenantId);
    return this.insert({ name: dto.name, tenantId, isAdmin });
  }

  async list(tenantId?: string): Promise<ApiKeyResponseDto[]> {
    const rows = await this.keys.find({
      where: tenantId ? { tenantId } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toApiKeyResponse);
  }

  async revoke(id: string): Promise<ApiKeyResponseDto> {
    const key = await this.keys.findOneBy({ id });
    if (!key) throw new NotFoundException(`API key '${id}' not found`);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.keys.save(key);
    }
    return toApiKeyResponse(key);
  }

  private async insert(fields: Pick<ApiKey, 'name' | 'tenantId' | 'isAdmin'>): Promise<CreatedApiKeyResponseDto> {
    const secret = generateApiKey();
    const key = await this.keys.save(
      this.keys.create({ ...fields, id: randomUUID(), keyHash: secret.hash, keyPrefix: secret.prefix }),
    );
    return { ...toApiKeyResponse(key), key: secret.key };
  }

  private async recordUse(id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastUsedWrites.get(id) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWrites.set(id, now);
    try {
      await this.keys.update({ id }, { lastUsedAt: new Date(now) });
    } catch (err) {
      this.logger.warn({ err }, 'Could not record API key use');
    }
  }
}

const toApiKeyResponse = (k: ApiKey): ApiKeyResponseDto => ({
  id: k.id,
  name: k.name,
  tenant_id: k.tenantId,
  is_admin: k.isAdmin,
  key_prefix: k.keyPrefix,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  revoked_at: k.revokedAt,
});
