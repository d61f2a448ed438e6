// SPDX-License-Identifier: Apache-2.0
// What every benchmark runs on — a fresh database of either engine, removed afterwards, so a bench never
// touches real data — and how it prints its figures beside their baselines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openEmbeddedDatabase, openServerDatabase } from '../server/platform/db.ts';

export type BenchDatabase = { db: Database; cleanup: () => Promise<void> };

/** A fresh database named after the bench on the server at `url` (dropped by cleanup). */
export async function serverDatabase(url: string, bench: string, poolSize = 4): Promise<BenchDatabase> {
  const name = `yunzheng_bench_${bench}_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    db: openServerDatabase(u.toString(), poolSize),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/** The embedded engine in a temporary folder on disk (bench data does not fit in memory well). */
export async function embeddedDatabase(): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunzheng-bench-'));
  return { db: await openEmbeddedDatabase(dir), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Prints rows of string columns as an aligned table under `head`. */
export function printTable<L extends Record<string, string>>(head: L, lines: readonly L[]): void {
  const keys = Object.keys(head) as (keyof L)[];
  const widths = keys.map((k) => Math.max(...[head, ...lines].map((l) => (l[k] as string).length)));
  const fmt = (l: L) => keys.map((k, i) => (l[k] as string).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  process.stdout.write(`${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
}
