// Shared pieces of the benchmarks: a fresh PostgreSQL database, the built server as a child
// process, and percentile maths. Benchmarks print figures; they assert nothing.
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../test/support/free-port';

/** The project root (where package.json is), from bench/ or from the benchmark build. */
export const ROOT = projectRoot();

function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `omni_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface RunningServer {
  url: string;
  /** CPU time the server process has used so far, in ms (Linux only; NaN elsewhere). */
  cpuMs(): number;
  /** CPU time of its main thread alone (the event loop: every request goes through it), in ms. */
  mainThreadCpuMs(): number;
  stop(): Promise<void>;
}

/** Starts `root`'s dist/main.js (run `npm run build` there first) on a free port against `databaseUrl`. */
export async function startServer(databaseUrl: string, root = ROOT, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  return startProcess(path.join(root, 'dist/main.js'), root, port, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTOMAGIK_OMNI_API_KEY: ADMIN_KEY,
    AUTOMAGIK_OMNI_API_HOST: '127.0.0.1',
    AUTOMAGIK_OMNI_API_PORT: String(port),
    AUTOMAGIK_OMNI_PUBLIC_URL: `http://127.0.0.1:${port}`,
    AUTOMAGIK_OMNI_DATABASE_URL: databaseUrl,
    ...env,
  });
}

/** Starts the bench's floor server (floor-server.ts) against `databaseUrl` and the fakes. */
export async function startFloorServer(databaseUrl: string, fakes: { agentUrl: string; evolutionUrl: string; evolutionKey: string }): Promise<RunningServer> {
  const port = await freePort();
  return startProcess(path.join(__dirname, 'floor-server.js'), ROOT, port, {
    FLOOR_PORT: String(port),
    FLOOR_DATABASE_URL: databaseUrl,
    FLOOR_AGENT_URL: fakes.agentUrl,
    FLOOR_EVOLUTION_URL: fakes.evolutionUrl,
    FLOOR_EVOLUTION_KEY: fakes.evolutionKey,
  });
}

async function startProcess(script: string, cwd: string, port: number, env: Record<string, string>): Promise<RunningServer> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/omni-prof'] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, script], { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  let healthy = false;
  for (let i = 0; i < 200 && !healthy && child.exitCode === null; i++) {
    healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!healthy) {
    const exited = child.exitCode !== null;
    child.kill('SIGKILL');
    // Its own output (inherited) says why; figures from a server that never came up would be nonsense.
    throw new Error(exited ? `${script} exited with code ${child.exitCode}` : `${script} did not answer /health within 20 s`);
  }
  return {
    url,
    cpuMs: () => cpuMsOf(`/proc/${child.pid}/stat`),
    mainThreadCpuMs: () => cpuMsOf(`/proc/${child.pid}/task/${child.pid}/stat`),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** User and system time of a process or thread from its /proc stat file (clock ticks of 10 ms, Linux's usual USER_HZ). */
function cpuMsOf(statFile: string): number {
  try {
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The machine's CPU time so far (all cores, in clock ticks): in total, and stolen by the hypervisor for other guests. */
export interface MachineCpu {
  total: number;
  stolen: number;
}

export function machineCpu(): MachineCpu {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: ticks.reduce((sum, t) => sum + t, 0), stolen: ticks[7] };
  } catch {
    return { total: NaN, stolen: NaN };
  }
}

/** Share of the machine's CPU that other guests took since `since`: figures from a run with much of it are not comparable. */
export function stolenSince(since: MachineCpu): string {
  const now = machineCpu();
  return `${((100 * (now.stolen - since.stolen)) / (now.total - since.total)).toFixed(0)} %`;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
