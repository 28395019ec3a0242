// The paths the fake serves: AgentOS (agno v2) and the Automagik Agents API.
import type { RunKind } from './agentos-payloads';

export type FakeRoute =
  | { api: 'agentos'; action: 'health' }
  | { api: 'agentos'; action: 'list'; kind: RunKind }
  | { api: 'agentos'; action: 'run'; kind: RunKind; id: string }
  | { api: 'agentos'; action: 'continue'; kind: 'agent'; id: string; runId: string }
  | { api: 'automagik'; action: 'run'; id: string };

export type AgentOsRunRoute = Extract<FakeRoute, { api: 'agentos'; action: 'run' | 'continue' }>;

const KINDS: Record<string, RunKind> = { agents: 'agent', teams: 'team', workflows: 'workflow' };

export function matchRoute(method: string, path: string): FakeRoute | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (method === 'GET') return matchGet(segments);
  if (method === 'POST') return matchPost(segments);
  return undefined;
}

function matchGet([first, ...rest]: string[]): FakeRoute | undefined {
  if (first === 'health' && rest.length === 0) return { api: 'agentos', action: 'health' };
  const kind = KINDS[first];
  return kind && rest.length === 0 ? { api: 'agentos', action: 'list', kind } : undefined;
}

function matchPost(segments: string[]): FakeRoute | undefined {
  const [first, id, runs, runId, verb] = segments;
  if (segments.length === 5 && segments.slice(0, 3).join('/') === 'api/v1/agent' && segments[4] === 'run') {
    return { api: 'automagik', action: 'run', id: segments[3] };
  }
  const kind = KINDS[first];
  if (!kind || runs !== 'runs') return undefined;
  if (segments.length === 3) return { api: 'agentos', action: 'run', kind, id };
  if (segments.length === 5 && kind === 'agent' && verb === 'continue') {
    return { api: 'agentos', action: 'continue', kind, id, runId };
  }
  return undefined;
}
