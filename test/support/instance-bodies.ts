// Valid instance creation bodies for tests; override what the test is about.
export function whatsappInstance(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'support-bot',
    channel_type: 'whatsapp',
    evolution_url: 'http://127.0.0.1:9',
    evolution_key: 'evolution-secret-key-abc',
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
