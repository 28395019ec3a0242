// `npm run bench`: builds, then runs each benchmark and prints its figures.
import { runWebhookBenchmark } from './webhook.bench';

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'webhook') await runWebhookBenchmark();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
