// AgentService wired by its real module and pointed at a FakeAgentServer, for the agent specs.
import { Test, TestingModule } from '@nestjs/testing';
import { AgentModule } from '../../../src/agent/agent.module';
import { AgentService } from '../../../src/agent/agent.service';
import type { AgentRequest, AgentTarget } from '../../../src/agent/agent.types';
import { FakeAgentServer, FakeAgentServerOptions } from '../fake-agent.server';

export const FAKE_AGENT_KEY = 'hive-key-7Qm3x8ZfP1rT0yV2';

export interface AgentHarness {
  fake: FakeAgentServer;
  service: AgentService;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startAgentHarness(
  options: FakeAgentServerOptions = { apiKey: FAKE_AGENT_KEY },
): Promise<AgentHarness> {
  const fake = new FakeAgentServer(options);
  const baseUrl = await fake.start();
  const moduleRef: TestingModule = await Test.createTestingModule({ imports: [AgentModule] }).compile();
  return {
    fake,
    baseUrl,
    service: moduleRef.get(AgentService),
    close: async () => {
      await moduleRef.close();
      await fake.stop();
    },
  };
}

export function hiveTarget(baseUrl: string, overrides: Partial<AgentTarget> = {}): AgentTarget {
  return {
    instanceType: 'hive',
    apiUrl: baseUrl,
    apiKey: FAKE_AGENT_KEY,
    agentId: 'atendimento',
    agentType: 'agent',
    timeoutMs: 3000,
    stream: false,
    ...overrides,
  };
}

export function automagikTarget(baseUrl: string, overrides: Partial<AgentTarget> = {}): AgentTarget {
  return hiveTarget(baseUrl, { instanceType: 'automagik', ...overrides });
}

/** Ana, the recurring user of the fixtures, asking whether the shop opens on Saturdays. */
export function anaRequest(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return {
    text: 'Oi! Vocês abrem no sábado?',
    sessionId: 'omni-test_5511988880001',
    userId: '5511988880001',
    userName: 'Ana',
    phoneNumber: '5511988880001',
    messageType: 'text',
    ...overrides,
  };
}
