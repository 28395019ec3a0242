import { HttpException, Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth';
import type { CreateInstanceDto } from '../../instances/dto/create-instance.dto';
import type { InstanceConfig } from '../../instances/instance.entity';
import { InstancesService } from '../../instances/instances.service';
import { DEFAULT_TENANT_ID } from '../../tenants/tenant.entity';
import type {
  DiscoveredInstanceDto,
  DiscoverInstancesDto,
  DiscoverInstancesResponseDto,
} from './dto/discover-instances.dto';
import { MANAGEMENT_CALL } from './evolution-connection';
import { provisioningFailure } from './evolution-failures';
import { EvolutionImportContext } from './evolution-import.context';
import { channelStateOf } from './evolution-state';
import { EvolutionClient } from './evolution.client';
import type { EvolutionInstanceInfo } from './evolution.types';

const LIST_PAGE = 500;

/** Refusals that concern one imported instance (its name), reported in the answer instead of failing all. */
const PER_INSTANCE_REFUSALS = new Set([409, 422]);

/**
 * Imports the instances that already run on an Evolution server: each one Omni does not know yet
 * becomes an Omni instance, adopted as it is (its token as key, its webhook untouched).
 */
@Injectable()
export class EvolutionDiscoveryService {
  constructor(
    private readonly evolution: EvolutionClient,
    private readonly instances: InstancesService,
    private readonly imports: EvolutionImportContext,
  ) {}

  async discover(principal: Principal, dto: DiscoverInstancesDto): Promise<DiscoverInstancesResponseDto> {
    const remote = await this.listRemote(dto);
    const known = await this.knownOnServer(principal, dto);
    const instances: DiscoveredInstanceDto[] = [];
    for (const info of remote) {
      const existing = known.get(info.name);
      instances.push(existing ? describeKnown(existing, info) : await this.importOne(principal, dto, info));
    }
    const imported = instances.filter((instance) => instance.imported).length;
    return {
      message: `Found ${remote.length} instance(s) on the Evolution server; imported ${imported}`,
      instances,
      total_discovered: remote.length,
    };
  }

  private async listRemote(dto: DiscoverInstancesDto): Promise<EvolutionInstanceInfo[]> {
    try {
      const conn = { baseUrl: dto.evolution_url!, apiKey: dto.evolution_key! };
      return await this.evolution.fetchInstances(conn, undefined, MANAGEMENT_CALL);
    } catch (error) {
      throw provisioningFailure(error, 'list its instances');
    }
  }

  /** The target tenant's WhatsApp instances on this server, by their name on Evolution. */
  private async knownOnServer(principal: Principal, dto: DiscoverInstancesDto): Promise<Map<string, InstanceConfig>> {
    const tenantId = principal.isAdmin ? (dto.tenant_id ?? DEFAULT_TENANT_ID) : principal.tenantId!;
    const known = new Map<string, InstanceConfig>();
    for (let skip = 0; ; skip += LIST_PAGE) {
      const page = await this.instances.list(principal, skip, LIST_PAGE, tenantId);
      for (const instance of page) {
        const sameServer = instance.channelType === 'whatsapp' && sameUrl(instance.evolutionUrl, dto.evolution_url);
        if (sameServer && instance.tenantId === tenantId) known.set(instance.whatsappInstance ?? instance.name, instance);
      }
      if (page.length < LIST_PAGE) return known;
    }
  }

  private async importOne(
    principal: Principal,
    dto: DiscoverInstancesDto,
    info: EvolutionInstanceInfo,
  ): Promise<DiscoveredInstanceDto> {
    const creation: CreateInstanceDto = { ...dto, name: info.name, channel_type: 'whatsapp', whatsapp_instance: info.name };
    try {
      const created = await this.imports.run(info, () => this.instances.create(principal, creation));
      return { ...describeRemote(info), name: created.name, configured: true, imported: true, active: created.is_active };
    } catch (error) {
      if (!(error instanceof HttpException && PER_INSTANCE_REFUSALS.has(error.getStatus()))) throw error;
      const refusal = { configured: false, imported: false, active: false, error: error.message };
      return { ...describeRemote(info), name: info.name, ...refusal };
    }
  }
}

function describeKnown(instance: InstanceConfig, info: EvolutionInstanceInfo): DiscoveredInstanceDto {
  return { ...describeRemote(info), name: instance.name, configured: true, imported: false, active: instance.isActive };
}

function describeRemote(info: EvolutionInstanceInfo) {
  return {
    whatsapp_instance: info.name,
    channel_type: 'whatsapp' as const,
    status: channelStateOf(info.connectionStatus),
    channel_data: { evolution_state: info.connectionStatus, owner_jid: info.ownerJid, profile_name: info.profileName },
  };
}

function sameUrl(a: string | null, b: string | undefined): boolean {
  const normalise = (url: string | null | undefined) => (url ?? '').trim().replace(/\/+$/, '').toLowerCase();
  return normalise(a) === normalise(b);
}
