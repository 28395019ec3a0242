import { Injectable, OnModuleInit } from '@nestjs/common';
import type { InstanceConfig } from '../../instances/instance.entity';
import {
  ActionOutcome,
  ConnectionReport,
  InstanceConnector,
  InstanceConnectorRegistry,
  PairingInfo,
} from '../instance-actions/instance-connector';
import { EvolutionError } from './evolution-error';
import { evolutionConnectionOf, evolutionNameOf, MANAGEMENT_CALL } from './evolution-connection';
import { instanceCallFailure } from './evolution-failures';
import { channelStateOf } from './evolution-state';
import { EvolutionClient } from './evolution.client';
import type { EvolutionConnection, EvolutionConnectResponse } from './evolution.types';

/** What Evolution calls a session that is logged out. */
const CLOSED = { connectionState: 'close' };

/** Pairing and session actions of a WhatsApp instance, on its Evolution server. */
@Injectable()
export class WhatsAppConnector implements InstanceConnector, OnModuleInit {
  constructor(
    private readonly evolution: EvolutionClient,
    private readonly connectors: InstanceConnectorRegistry,
  ) {}

  onModuleInit(): void {
    this.connectors.register('whatsapp', this);
  }

  async pairing(instance: InstanceConfig): Promise<PairingInfo> {
    const answer = await this.call(instance, 'get a QR code', (conn, name) =>
      this.evolution.connect(conn, name, undefined, MANAGEMENT_CALL),
    );
    if ('base64' in answer && answer.base64) return { qrCode: answer.base64, message: 'QR code ready for scanning' };
    if (isOpen(answer)) return { message: 'Already connected: no QR code needed' };
    return { message: 'No QR code yet: restart the instance and ask again' };
  }

  async connectionStatus(instance: InstanceConfig): Promise<ConnectionReport> {
    const answer = await this.call(instance, 'read the connection state', (conn, name) =>
      this.evolution.connectionState(conn, name, MANAGEMENT_CALL),
    );
    const evolutionState = answer.instance?.state;
    return {
      state: channelStateOf(evolutionState),
      channelData: { evolution_state: evolutionState, evolution_data: answer },
      learnt: evolutionState ? { connectionState: evolutionState } : {},
    };
  }

  /** Starts the session: Evolution answers with a QR code to scan, or says it is already open. */
  async connect(instance: InstanceConfig): Promise<ActionOutcome> {
    const answer = await this.call(instance, 'connect', (conn, name) =>
      this.evolution.connect(conn, name, undefined, MANAGEMENT_CALL),
    );
    if (isOpen(answer)) return { message: `Instance '${instance.name}' is connected`, learnt: { connectionState: 'open' } };
    return {
      message: `Instance '${instance.name}' is connecting: scan the QR code (GET /api/v1/instances/${instance.name}/qr)`,
      result: { ...answer },
      learnt: { connectionState: 'connecting' },
    };
  }

  /** Logs the number out; an instance that is not connected is already where the caller wants it. */
  async disconnect(instance: InstanceConfig): Promise<ActionOutcome> {
    try {
      const result = await this.evolution.logout(evolutionConnectionOf(instance), evolutionNameOf(instance), MANAGEMENT_CALL);
      return { message: `Instance '${instance.name}' disconnected successfully`, result: { ...result }, learnt: CLOSED };
    } catch (error) {
      if (!isNotConnected(error)) throw instanceCallFailure(error, `disconnect '${evolutionNameOf(instance)}'`);
      return { message: `Instance '${instance.name}' was not connected`, learnt: CLOSED };
    }
  }

  async restart(instance: InstanceConfig): Promise<ActionOutcome> {
    const result = await this.call(instance, 'restart', (conn, name) => this.evolution.restart(conn, name, MANAGEMENT_CALL));
    return { message: `Instance '${instance.name}' restart initiated`, result: { ...result } };
  }

  async logout(instance: InstanceConfig): Promise<ActionOutcome> {
    const result = await this.call(instance, 'log out', (conn, name) => this.evolution.logout(conn, name, MANAGEMENT_CALL));
    return { message: `Instance '${instance.name}' logged out successfully`, result: { ...result }, learnt: CLOSED };
  }

  private async call<T>(
    instance: InstanceConfig,
    action: string,
    work: (conn: EvolutionConnection, name: string) => Promise<T>,
  ): Promise<T> {
    const name = evolutionNameOf(instance);
    try {
      return await work(evolutionConnectionOf(instance), name);
    } catch (error) {
      throw instanceCallFailure(error, `${action} '${name}'`);
    }
  }
}

function isOpen(answer: EvolutionConnectResponse): boolean {
  return 'instance' in answer && answer.instance?.state === 'open';
}

/** Evolution answers a logout of an instance that is not connected with a 400. */
function isNotConnected(error: unknown): boolean {
  return error instanceof EvolutionError && error.status === 400 && error.messages.some((m) => /not connected/i.test(m));
}
