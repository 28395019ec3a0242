import type { InstanceConfig } from '../../instances/instance.entity';
import type { EvolutionCallOptions } from './evolution.client';
import type { EvolutionConnection } from './evolution.types';

/** Management calls answer an operator who waits: one retry, not the send path's patient back-off. */
export const MANAGEMENT_CALL: EvolutionCallOptions = { retry: { maxAttempts: 2 } };

/** Where and how to reach an instance's Evolution server. */
export function evolutionConnectionOf(instance: InstanceConfig): EvolutionConnection {
  return { baseUrl: instance.evolutionUrl!, apiKey: instance.evolutionKey! };
}

/** The instance's name on the Evolution server (may differ from Omni's name). */
export const evolutionNameOf = (instance: InstanceConfig): string => instance.whatsappInstance ?? instance.name;
