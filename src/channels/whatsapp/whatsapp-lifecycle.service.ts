import { Inject, Injectable, OnModuleInit, UnprocessableEntityException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { InstanceChannelStatusDto } from '../../instances/dto/instance-response.dto';
import { InstanceLifecycleHooks, InstanceLifecycleRegistry, ProvisionOptions } from '../../instances/instance-lifecycle';
import type { InstanceConfig } from '../../instances/instance.entity';
import { EvolutionError } from './evolution-error';
import { evolutionConnectionOf, evolutionNameOf, MANAGEMENT_CALL } from './evolution-connection';
import { provisioningFailure } from './evolution-failures';
import { EvolutionImportContext } from './evolution-import.context';
import { channelStateOf } from './evolution-state';
import { EvolutionClient } from './evolution.client';
import type {
  CreateInstanceRequest,
  CreateInstanceResponse,
  EvolutionConnection,
  EvolutionInstanceInfo,
  EvolutionWebhookSettings,
} from './evolution.types';
import { newWebhookSecret, omniWebhookSettings } from './omni-webhook';

/** Changing any of these points the instance at another Evolution instance or changes what it posts. */
const WEBHOOK_FIELDS = ['evolutionUrl', 'evolutionKey', 'whatsappInstance', 'webhookBase64'] as const;

// The original's settings for instances it creates: answer groups, mark messages read, no history sync.
const CREATION_SETTINGS = {
  rejectCall: false,
  groupsIgnore: false,
  alwaysOnline: false,
  readMessages: true,
  readStatus: true,
  syncFullHistory: false,
};

/** What Omni knows of an instance on Evolution after creating or finding it. */
interface RemoteInstance {
  token: string;
  state?: string;
  ownerJid?: string | null;
  profileName?: string | null;
  profilePicUrl?: string | null;
}

/**
 * A WhatsApp instance lives on its Evolution server: creating it in Omni creates it there (or adopts
 * the one with that name) and points its webhook at Omni with a per-instance secret header.
 */
@Injectable()
export class WhatsAppLifecycle implements InstanceLifecycleHooks, OnModuleInit {
  readonly channelType = 'whatsapp' as const;

  constructor(
    private readonly evolution: EvolutionClient,
    private readonly registry: InstanceLifecycleRegistry,
    private readonly imports: EvolutionImportContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Hooks may be called detached from their object, so each is bound here.
    this.registry.register({
      channelType: this.channelType,
      provision: (instance, options) => this.provision(instance, options),
      updated: (instance, previous) => this.updated(instance, previous),
      deprovision: (instance) => this.deprovision(instance),
      status: (instance) => this.status(instance),
    });
  }

  async provision(instance: InstanceConfig, options: ProvisionOptions): Promise<Partial<InstanceConfig>> {
    const imported = this.imports.current();
    if (imported) {
      return { ...fieldsOf(remoteOf(imported)), webhookSecret: null, isActive: imported.connectionStatus === 'open' };
    }
    const secret = newWebhookSecret();
    const webhook = this.webhookOf(instance, secret);
    try {
      const remote = await this.createOrAdopt(evolutionConnectionOf(instance), evolutionNameOf(instance), options, webhook);
      // Set again even after a create: some Evolution versions ignore part of the webhook given at creation.
      await this.setWebhook(instance, remote.token, webhook);
      return { ...fieldsOf(remote), webhookSecret: secret, isActive: true };
    } catch (error) {
      throw provisioningFailure(error, `create instance '${evolutionNameOf(instance)}'`);
    }
  }

  /** Re-points the webhook when the instance moved or changed what it asks for; the secret is kept. */
  async updated(instance: InstanceConfig, previous: InstanceConfig): Promise<Partial<InstanceConfig> | void> {
    if (!WEBHOOK_FIELDS.some((field) => instance[field] !== previous[field])) return;
    const secret = instance.webhookSecret ?? newWebhookSecret();
    try {
      await this.setWebhook(instance, instance.evolutionKey!, this.webhookOf(instance, secret));
    } catch (error) {
      throw provisioningFailure(error, `set the webhook of '${evolutionNameOf(instance)}' (the new settings are saved)`);
    }
    return { webhookSecret: secret };
  }

  async deprovision(instance: InstanceConfig): Promise<void> {
    await this.evolution.deleteInstance(evolutionConnectionOf(instance), evolutionNameOf(instance), MANAGEMENT_CALL);
  }

  async status(instance: InstanceConfig): Promise<InstanceChannelStatusDto> {
    const conn = evolutionConnectionOf(instance);
    const answer = await this.evolution.connectionState(conn, evolutionNameOf(instance), MANAGEMENT_CALL);
    return {
      state: channelStateOf(answer.instance?.state),
      owner_jid: instance.ownerJid,
      profile_name: instance.profileName,
      profile_picture_url: instance.profilePicUrl,
      last_updated: new Date(),
    };
  }

  private async createOrAdopt(
    conn: EvolutionConnection,
    name: string,
    options: ProvisionOptions,
    webhook: EvolutionWebhookSettings,
  ): Promise<RemoteInstance> {
    try {
      const created = await this.evolution.createInstance(
        conn,
        {
          instanceName: name,
          // The creation DTO admits only Evolution's WhatsApp integrations.
          integration: (options.integration as CreateInstanceRequest['integration']) ?? 'WHATSAPP-BAILEYS',
          qrcode: options.autoQr ?? true,
          number: options.phoneNumber?.replace(/\D/g, '') || undefined,
          ...CREATION_SETTINGS,
          webhook,
        },
        MANAGEMENT_CALL,
      );
      return { token: tokenOf(created), state: created.instance?.status };
    } catch (error) {
      if (!isAdoptable(error)) throw error;
      return this.adopt(conn, name);
    }
  }

  private async adopt(conn: EvolutionConnection, name: string): Promise<RemoteInstance> {
    const found = (await this.evolution.fetchInstances(conn, name, MANAGEMENT_CALL)).find((info) => info.name === name);
    if (!found) throw new UnprocessableEntityException(`Evolution says the name '${name}' is taken but does not list it`);
    return remoteOf(found);
  }

  private setWebhook(instance: InstanceConfig, apiKey: string, webhook: EvolutionWebhookSettings) {
    const conn = { ...evolutionConnectionOf(instance), apiKey };
    return this.evolution.setWebhook(conn, evolutionNameOf(instance), webhook, MANAGEMENT_CALL);
  }

  private webhookOf(instance: InstanceConfig, secret: string): EvolutionWebhookSettings {
    return omniWebhookSettings(this.config.http.publicUrl, instance, secret);
  }
}

/**
 * 403: the name is taken on that server, so the instance exists. 401: the key given may be the
 * instance's own token, which may not create instances but may read and configure its own.
 */
function isAdoptable(error: unknown): boolean {
  return error instanceof EvolutionError && error.failure === 'http' && (error.status === 403 || error.status === 401);
}

function tokenOf(created: CreateInstanceResponse): string {
  return typeof created.hash === 'string' ? created.hash : created.hash.apikey;
}

function remoteOf(info: EvolutionInstanceInfo): RemoteInstance {
  return {
    token: info.token,
    state: info.connectionStatus,
    ownerJid: info.ownerJid,
    profileName: info.profileName,
    profilePicUrl: info.profilePicUrl,
  };
}

/** The instance token replaces the key the operator gave, as in the original: it can reach this instance only. */
function fieldsOf(remote: RemoteInstance): Partial<InstanceConfig> {
  const fields: Partial<InstanceConfig> = { evolutionKey: remote.token };
  if (remote.state) fields.connectionState = remote.state;
  if (remote.ownerJid) fields.ownerJid = remote.ownerJid;
  if (remote.profileName) fields.profileName = remote.profileName;
  if (remote.profilePicUrl) fields.profilePicUrl = remote.profilePicUrl;
  return fields;
}
