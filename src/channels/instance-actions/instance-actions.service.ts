import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth';
import { SendBudgetService } from '../../conversations/send-budget.service';
import type { InstanceConfig } from '../../instances/instance.entity';
import { InstancesService } from '../../instances/instances.service';
import type { ConnectionStatusResponseDto, InstanceActionResponseDto, QrCodeResponseDto } from './dto/instance-actions.dto';
import { ActionOutcome, InstanceConnector, InstanceConnectorRegistry } from './instance-connector';

type SessionAction = 'connect' | 'disconnect' | 'restart' | 'logout';

/** Whether the instance should be running after each action (the original's `is_active`). */
const ACTIVE_AFTER: Record<SessionAction, boolean> = { connect: true, disconnect: false, restart: true, logout: false };

/** Pairing, status and session actions on an instance, whatever its channel. */
@Injectable()
export class InstanceActionsService {
  constructor(
    private readonly instances: InstancesService,
    private readonly connectors: InstanceConnectorRegistry,
    private readonly sendBudget: SendBudgetService,
  ) {}

  async qrCode(principal: Principal, name: string, tenantId?: string): Promise<QrCodeResponseDto> {
    const { instance, connector } = await this.resolve(principal, name, tenantId);
    const pairing = await connector.pairing(instance);
    return {
      instance_name: instance.name,
      channel_type: instance.channelType,
      qr_code: pairing.qrCode ?? null,
      auth_url: null,
      invite_url: pairing.inviteUrl ?? null,
      status: pairing.qrCode || pairing.inviteUrl ? 'success' : 'unavailable',
      message: pairing.message,
    };
  }

  async status(principal: Principal, name: string, tenantId?: string): Promise<ConnectionStatusResponseDto> {
    const { instance, connector } = await this.resolve(principal, name, tenantId);
    const report = await connector.connectionStatus(instance);
    await this.remember(instance, report.learnt);
    const circuit = await this.sendBudget.circuitOf(instance.id);
    return {
      instance_name: instance.name,
      channel_type: instance.channelType,
      status: report.state,
      channel_data: report.channelData,
      circuit: { state: circuit.state, open_until: circuit.openUntil, consecutive_failures: circuit.consecutiveFailures },
    };
  }

  async perform(
    principal: Principal,
    name: string,
    action: SessionAction,
    tenantId?: string,
  ): Promise<InstanceActionResponseDto> {
    const { instance, connector } = await this.resolve(principal, name, tenantId);
    const outcome: ActionOutcome = await connector[action](instance);
    await this.remember(instance, { ...outcome.learnt, isActive: ACTIVE_AFTER[action] });
    return outcome.result ? { message: outcome.message, result: outcome.result } : { message: outcome.message };
  }

  private async resolve(principal: Principal, name: string, tenantId?: string) {
    const instance = await this.instances.getByName(principal, name, tenantId);
    const connector: InstanceConnector = this.connectors.require(instance.channelType, 'Connection actions');
    return { instance, connector };
  }

  private async remember(instance: InstanceConfig, learnt: Partial<InstanceConfig>): Promise<void> {
    if (Object.keys(learnt).length > 0) await this.instances.recordChannelState(instance.id, learnt);
  }
}
