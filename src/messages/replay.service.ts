import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { TenantScope } from '../common/auth';
import { AgentService } from '../agent/agent.service';
import { InstancesService } from '../instances/instances.service';
import { TraceService } from '../trace/trace.service';
import { UsersService } from '../users/users.service';
import { agentTargetOf, buildAgentRequest } from './agent-request.builder';
import type { ReplayResponseDto } from './dto/replay.dto';
import { inboundOf } from './inbound-message.codec';
import { ReplySender } from './reply-sender.service';

/** Re-runs a traced message against the agent, to check a fix or an agent change on real input. */
@Injectable()
export class ReplayService {
  constructor(
    private readonly traces: TraceService,
    private readonly instances: InstancesService,
    private readonly users: UsersService,
    private readonly agents: AgentService,
    private readonly replies: ReplySender,
  ) {}

  async replay(scope: TenantScope, traceId: string, dryRun: boolean): Promise<ReplayResponseDto> {
    const trace = await this.traces.findById(traceId);
    if (!trace || (scope && trace.tenantId !== scope)) throw new NotFoundException(`Trace '${traceId}' not found`);
    const instance = trace.instanceId ? await this.instances.findById(trace.instanceId) : null;
    if (!instance) throw new NotFoundException(`The instance of trace '${traceId}' no longer exists`);
    if (!trace.inboundMessage) throw new ConflictException('This trace no longer holds the message, it cannot be replayed');
    const message = inboundOf(trace.inboundMessage);
    const person = await this.users.resolve(instance, message.channel, message.sender);
    const sessionName = trace.sessionName ?? `${instance.sessionIdPrefix ?? `${instance.name}-`}${person.personId}`;
    const request = buildAgentRequest([message], person, sessionName);
    const reply = await this.agents.run({ ...agentTargetOf(instance), stream: false }, request);
    await this.traces.addPayload(traceId, 'replay_agent_response', 'response', { dry_run: dryRun, reply: reply.raw });
    const parts = dryRun ? [] : this.replies.partsOf(instance, reply.text);
    if (parts.length) await this.replies.sendParts(instance, message.chatId, parts, traceId);
    return { trace_id: traceId, dry_run: dryRun, agent_response: reply.text, agent_session_id: reply.sessionId ?? null, sent_parts: parts };
  }
}
