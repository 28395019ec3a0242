// Runs the built server (dist/main.js) as an operator would, for black-box checks.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';

const ROOT = path.resolve(__dirname, '../..');

export interface DistProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startDist(env: Record<string, string>): Promise<DistProcess> {
  const entry = path.join(ROOT, 'dist/main.js');
  if (!existsSync(entry)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, AUTOMAGIK_OMNI_API_HOST: '127.0.0.1', AUTOMAGIK_OMNI_API_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  let healthy = false;
  while (!healthy && Date.now() < deadline && child.exitCode === null) {
    healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.exitCode !== null) throw new Error(`dist/main.js exited early:\n${output}`);
  if (!healthy) {
    child.kill('SIGKILL');
    throw new Error(`dist/main.js did not answer /health within 20 s:\n${output}`);
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
