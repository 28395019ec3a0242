// Two builds of Omni side by side: `npm run bench -- compare <dir A> <dir B>`, each dir a checkout
// with `npm run build` done. On a shared VM the speed drifts by a third between runs, so two
// separate runs cannot tell a 1 ms change; here both builds run at once, each with its own
// database and fakes, and take turns message by message, so both see the same machine.
import { percentile, ms, withDatabase } from './bench-support';
import { AddedLatency, forgetRequests, messageLatency, pauseBetweenMessages, PEOPLE, prepare, Setup, stop, warmUp } from './webhook.bench';
import path from 'node:path';

const MESSAGES = Number(process.env.BENCH_LATENCY_MESSAGES ?? 200);
const WARM_UP_WEBHOOKS = Number(process.env.BENCH_WARM_UP ?? 600);

interface Build {
  label: string;
  setup: Setup;
}

export async function runCompareBenchmark(args: string[]): Promise<void> {
  if (args.length !== 2) throw new Error('usage: npm run bench -- compare <dir A> <dir B> (each built with npm run build)');
  const roots = args.map((dir) => path.resolve(dir));
  await withDatabase((urlA) =>
    withDatabase(async (urlB) => {
      const setups = await Promise.all([prepare(urlA, roots[0]), prepare(urlB, roots[1])]);
      try {
        const builds = setups.map((setup, i) => ({ label: `${'AB'[i]} ${args[i]}`, setup }));
        for (const build of builds) await warmUp(build.setup, WARM_UP_WEBHOOKS);
        for (const [who, chatOf] of Object.entries(PEOPLE)) await compare(builds, who, chatOf);
      } finally {
        for (const setup of setups) await stop(setup);
      }
    }),
  );
}

/** The builds take turns, each going first every other round, so neither always runs on the machine the other just woke. */
async function compare(builds: Build[], who: string, chatOf: (i: number) => number): Promise<void> {
  for (const build of builds) forgetRequests(build.setup);
  const added = new Map<Build, AddedLatency[]>(builds.map((build) => [build, []]));
  const cpuBefore = new Map(builds.map((build) => [build, build.setup.omni.cpuMs()]));
  for (let i = 0; i < MESSAGES; i++) {
    const order = i % 2 ? [...builds].reverse() : builds;
    for (const build of order) {
      added.get(build)!.push(await messageLatency(build.setup, chatOf(i), `latency ${who} ${i}`));
      await pauseBetweenMessages();
    }
  }
  console.log(`\n${who}, ${MESSAGES} messages per build, taking turns:`);
  for (const build of builds) {
    const toAgent = added.get(build)!.map((a) => a.toAgent);
    const toSend = added.get(build)!.map((a) => a.toSend);
    const cpu = ((build.setup.omni.cpuMs() - cpuBefore.get(build)!) * 1000) / MESSAGES;
    console.log(`  ${build.label}`);
    console.log(`    webhook → agent request: p50 ${ms(percentile(toAgent, 50))}, p90 ${ms(percentile(toAgent, 90))}, p99 ${ms(percentile(toAgent, 99))}`);
    console.log(`    agent answer → Evolution send: p50 ${ms(percentile(toSend, 50))}, p90 ${ms(percentile(toSend, 90))}, p99 ${ms(percentile(toSend, 99))}`);
    console.log(`    Omni's CPU per message: ${cpu.toFixed(0)} µs`);
  }
  const [a, b] = builds.map((build) => added.get(build)!);
  const median = (values: number[]) => percentile(values, 50);
  console.log(`  B − A, median of the per-message differences: webhook → agent ${ms(median(a.map((x, i) => b[i].toAgent - x.toAgent)))}, answer → send ${ms(median(a.map((x, i) => b[i].toSend - x.toSend)))}`);
}
