import { Injectable } from '@nestjs/common';
import type { ChannelType } from '../channels/channel';
import type { InstanceChannelStatusDto } from './dto/instance-response.dto';
import type { InstanceConfig } from './instance.entity';

/** What a creation request asked of the channel beyond the stored settings. */
export interface ProvisionOptions {
  phoneNumber?: string;
  autoQr?: boolean;
  integration?: string;
}

/**
 * What a channel does when its instances are created, changed or removed (WhatsApp creates the
 * instance on Evolution and points its webhook at Omni; Discord starts and stops the bot).
 * Channels register their hooks at start, so the instances module knows no channel.
 */
export interface InstanceLifecycleHooks {
  channelType: ChannelType;
  /** Returns fields to store on the instance (e.g. the token the channel issued). Throw to refuse the creation. */
  provision?(instance: InstanceConfig, options: ProvisionOptions): Promise<Partial<InstanceConfig>>;
  updated?(instance: InstanceConfig, previous: InstanceConfig): Promise<Partial<InstanceConfig> | void>;
  deprovision?(instance: InstanceConfig): Promise<void>;
  status?(instance: InstanceConfig): Promise<InstanceChannelStatusDto>;
}

@Injectable()
export class InstanceLifecycleRegistry {
  private readonly hooks = new Map<ChannelType, InstanceLifecycleHooks>();

  register(hooks: InstanceLifecycleHooks): void {
    this.hooks.set(hooks.channelType, hooks);
  }

  for(channelType: ChannelType): InstanceLifecycleHooks | undefined {
    return this.hooks.get(channelType);
  }

  registered(): ChannelType[] {
    return [...this.hooks.keys()].sort();
  }
}
