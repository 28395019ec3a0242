// Valid instance creation bodies for tests; override what the test is about.

/** The Evolution server a WhatsApp instance is created on (a FakeEvolutionServer in tests). */
export interface EvolutionServerRef {
  baseUrl: string;
  globalApiKey: string;
}

/** Global key of the fake Evolution servers the platform suites start; the API must never echo it. */
export const EVOLUTION_GLOBAL_KEY = 'evolution-secret-key-abc';

/** Without `evolution`, the body points at a closed port: fine for validation tests, a 502 for a creation. */
export function whatsappInstance(
  overrides: Record<string, unknown> = {},
  evolution?: EvolutionServerRef,
): Record<string, unknown> {
  return {
    name: 'support-bot',
    channel_type: 'whatsapp',
    evolution_url: evolution?.baseUrl ?? 'http://127.0.0.1:9',
    evolution_key: evolution?.globalApiKey ?? EVOLUTION_GLOBAL_KEY,
    agent_api_url: 'http://127.0.0.1:9',
    agent_api_key: 'agent-secret-key-xyz',
    agent_id: 'assistant',
    ...overrides,
  };
}

export function discordInstance(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'discord-bot',
    channel_type: 'discord',
    discord_bot_token: 'discord-secret-token-123',
    discord_client_id: '1234567890',
    agent_api_url: 'http://127.0.0.1:9',
    ...overrides,
  };
}
