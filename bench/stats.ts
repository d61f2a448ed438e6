// SPDX-License-Identifier: Apache-2.0

/** Runs `fn` for each input and returns per-call latencies in milliseconds. */
export async function measure<T>(inputs: T[], fn: (input: T) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (const input of inputs) {
    const t = process.hrtime.bigint();
    await fn(input);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export function summarize(ms: number[]): { p50: number; p95: number; mean: number; opsPerSec: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { p50: at(0.5), p95: at(0.95), mean, opsPerSec: 1000 / mean };
}

/** Prints rows of results as an aligned table. */
export function table(rows: { name: string; ms: number[] }[]): void {
  const head = ['workload', 'n', 'p50 ms', 'p95 ms', 'mean ms', 'ops/s'];
  const lines = rows.map((r) => {
    const s = summarize(r.ms);
    return [r.name, String(r.ms.length), s.p50.toFixed(3), s.p95.toFixed(3), s.mean.toFixed(3), s.opsPerSec.toFixed(0)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  process.stdout.write(`${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
}
