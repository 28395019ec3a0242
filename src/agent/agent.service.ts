// The one door to agent servers for the rest of Omni: picks the client for the instance's server.
import { Injectable } from '@nestjs/common';
import {
  AgentError,
  AgentReply,
  AgentRequest,
  AgentRunOptions,
  AgentServerHealth,
  AgentSummary,
  AgentTarget,
} from './agent.types';
import { AutomagikAgentClient } from './automagik.client';
import { HiveClient } from './hive.client';

@Injectable()
export class AgentService {
  constructor(
    private readonly hive: HiveClient,
    private readonly automagik: AutomagikAgentClient,
  ) {}

  run(target: AgentTarget, request: AgentRequest, options: AgentRunOptions = {}): Promise<AgentReply> {
    return target.instanceType === 'hive'
      ? this.hive.run(target, request, options)
      : this.automagik.run(target, request, options);
  }

  /** Resumes a Hive run that paused for a tool confirmation (`reply.paused`). */
  async continueRun(
    target: AgentTarget,
    runId: string,
    tools: unknown[],
    sessionId: string,
    userId: string,
    options: AgentRunOptions = {},
  ): Promise<AgentReply> {
    if (target.instanceType !== 'hive') throw new AgentError('protocol', 'Only Hive runs can be continued');
    return this.hive.continueRun(target, runId, tools, sessionId, userId, options);
  }

  /** The agents, teams and workflows a Hive server offers. */
  async listAgents(target: AgentTarget): Promise<AgentSummary[]> {
    if (target.instanceType !== 'hive') throw new AgentError('protocol', 'Only Hive servers list their agents');
    return this.hive.listAgents(target);
  }

  health(target: AgentTarget): Promise<AgentServerHealth> {
    return target.instanceType === 'hive' ? this.hive.health(target) : this.automagik.health(target);
  }
}
