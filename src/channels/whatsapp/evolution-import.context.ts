import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EvolutionInstanceInfo } from './evolution.types';

/**
 * Marks an instance creation as the import of an instance that already runs on Evolution: the
 * provisioning hook then adopts it as it is instead of creating it and re-pointing its webhook.
 * The creation itself goes through InstancesService, whose hook signature has no room for this.
 */
@Injectable()
export class EvolutionImportContext {
  private readonly storage = new AsyncLocalStorage<EvolutionInstanceInfo>();

  run<T>(imported: EvolutionInstanceInfo, work: () => Promise<T>): Promise<T> {
    return this.storage.run(imported, work);
  }

  /** The Evolution instance being imported by the current creation, if it is an import. */
  current(): EvolutionInstanceInfo | undefined {
    return this.storage.getStore();
  }
}
