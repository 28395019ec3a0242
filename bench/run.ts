// `npm run bench`: builds, then runs each benchmark and prints its figures.
import { SERVER_URL } from './bench-support';
import { runCompareBenchmark } from './compare.bench';
import { runTracesBenchmark } from './traces.bench';
import { runWebhookBenchmark } from './webhook.bench';

const BENCHMARKS: Record<string, () => Promise<void>> = { webhook: runWebhookBenchmark, traces: runTracesBenchmark };

/**
 * `npm run bench` runs them all; `npm run bench -- webhook` runs one; `npm run bench -- compare
 * <dir> <dir>` times two builds against each other. All need a PostgreSQL server.
 */
async function main(): Promise<void> {
  process.env.DATABASE_URL ??= SERVER_URL;
  const [only, ...args] = process.argv.slice(2);
  if (only === 'compare') return runCompareBenchmark(args);
  for (const [name, run] of Object.entries(BENCHMARKS)) {
    if (only && only !== name) continue;
    console.log(`\n=== ${name} ===`);
    await run();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
