// SPDX-License-Identifier: Apache-2.0
// `npm run bench <name>`: runs a benchmark with a fixed workload and prints it beside its baseline.
const BENCHES: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  dispatch: () => import('./dispatch.bench.ts'),
  indicators: () => import('./indicators.bench.ts'),
  regions: () => import('./regions.bench.ts'),
  twin: () => import('./twin.bench.ts'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? BENCHES[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench <name> [-- options]\nbenchmarks: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
await (await load()).run(args);
