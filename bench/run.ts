// `npm run bench`: builds, then runs each benchmark and prints its figures.
import { SERVER_URL } from './bench-support';
import { runTracesBenchmark } from './traces.bench';
import { runWebhookBenchmark } from './webhook.bench';

const BENCHMARKS: Record<string, () => Promise<void>> = { webhook: runWebhookBenchmark, traces: runTracesBenchmark };

/** `npm run bench` runs them all; `npm run bench -- webhook` runs one. Both need a PostgreSQL server. */
async function main(): Promise<void> {
  process.env.DATABASE_URL ??= SERVER_URL;
  const only = process.argv[2];
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
