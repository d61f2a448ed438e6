// SPDX-License-Identifier: Apache-2.0
// The `yunzheng` command, run as a separate process the way operators run it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyServerDatabase } from '../helpers/template.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'yunzheng.js');
let dataDir: string;
let server: Awaited<ReturnType<typeof emptyServerDatabase>>;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, YZ_DATA_DIR: dataDir, YZ_LOG_LEVEL: 'warn', ...(server ? { DATABASE_URL: server.url } : {}), ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yz-cli-'));
  server = await emptyServerDatabase();
});
afterAll(async () => {
  await server?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('yunzheng CLI', { timeout: 300_000 }, () => {
  it('prints usage and exits non-zero on bad arguments', () => {
    for (const args of [[], ['frobnicate'], ['seed'], ['seed', 'demo', '--villages', 'many'], ['import', 'regions'], ['users', 'create', '--roles', 'emperor'], ['migrate', 'extra'], ['seed', 'demo', '--bogus']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/Usage: yunzheng/);
    }
    expect(cli(['--help']).code).toBe(0);
  });

  it('rejects invalid configuration with a clear message', () => {
    const r = cli(['migrate'], { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PORT/);
  });

  it('migrates, seeds the demo province, imports regions, creates a user and verifies the audit chain', () => {
    const m = cli(['migrate']);
    expect(m.code, m.err).toBe(0);
    expect(cli(['migrate']).out).toMatch(/up to date/);
    const seed = cli(['seed', 'demo', '--villages', '30']);
    expect(seed.code, seed.err).toBe(0);
    expect(seed.err).toMatch(/regions/);
    const accounts = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as { username: string; password: string; roles: string[]; scope: string | null }[];
    expect(accounts.map((a) => a.roles[0])).toEqual(expect.arrayContaining(['system-admin', 'security-admin', 'audit-admin', 'region-admin', 'operator', 'dispatcher', 'task-handler', 'social-member', 'viewer']));
    expect(cli(['seed', 'demo']).code).toBe(1); // already there

    const csv = path.join(dataDir, 'regions.csv');
    fs.writeFileSync(csv, 'code,name,level,parent\n980000000000,测试省,province,\n980100000000,测试市,city,980000000000\n');
    const imp = cli(['import', 'regions', csv]);
    expect(imp.code, imp.err).toBe(0);
    expect(imp.err).toMatch(/2 added/);
    fs.writeFileSync(csv, 'code,name,level,parent\n970000000000,坏省,province,\n970100000000,坏市,city,960000000000\n');
    const bad = cli(['import', 'regions', csv]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/line 3/);
    expect(cli(['import', 'regions', path.join(dataDir, 'missing.csv')]).code).toBe(2);

    const gj = path.join(dataDir, 'b.geojson');
    fs.writeFileSync(gj, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '980000000000' }, geometry: { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [2, 2], [1, 1]]] } }] }));
    expect(cli(['import', 'boundaries', gj]).code).toBe(0);
    fs.writeFileSync(gj, '{ not json');
    expect(cli(['import', 'boundaries', gj]).code).toBe(2);

    const orgFile = path.join(dataDir, 'orgs.json');
    void orgFile;
    const verify = cli(['audit', 'verify']);
    expect(verify.code, verify.err).toBe(0);
    expect(verify.err).toMatch(/chain intact/);
  });

  it('creates users, refusing two separated administrator roles', async () => {
    const orgId = await firstOrganizationId();
    const ok = cli(['users', 'create', '--username', 'cli-user', '--name', '命令行用户', '--org', orgId, '--roles', 'viewer', '--scope', '990000000000']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/password: \S{16}/);
    const both = cli(['users', 'create', '--username', 'cli-admin', '--org', orgId, '--roles', 'system-admin,audit-admin']);
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/three-role separation/);
  });

  it('finds a tampered audit record and exits non-zero', async () => {
    await withDb(async (c) => {
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
      await c.query("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2");
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change');
    });
    const r = cli(['audit', 'verify']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/BROKEN at record 2/);
  });

  it.runIf(!process.env.DATABASE_URL)('refuses a second process on the same embedded data folder', async () => {
    if (server) return; // the lock guards the embedded engine only
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'yz-lock-'));
    const first = spawn(process.execPath, [BIN, 'start'], { env: { ...process.env, YZ_DATA_DIR: other, PORT: '0', YZ_SEED_DEMO: 'false', YZ_BUILD_CONSOLE: 'false', YZ_LOG_LEVEL: 'warn' }, stdio: 'pipe' });
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('first process did not start')), 60_000);
        first.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('serving')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const second = spawnSync(process.execPath, [BIN, 'migrate'], { encoding: 'utf8', env: { ...process.env, YZ_DATA_DIR: other, YZ_LOG_LEVEL: 'warn' } });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/in use by process \d+/);
    } finally {
      first.kill('SIGTERM');
      await new Promise((r) => first.once('exit', r));
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

async function withDb<T>(fn: (c: pg.ClientBase) => Promise<T>): Promise<T> {
  if (server) {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }
  const { openEmbeddedDatabase } = await import('../../server/platform/db.ts');
  const db = await openEmbeddedDatabase(dataDir);
  try {
    const c = await db.pool.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  } finally {
    await db.close();
  }
}

async function firstOrganizationId(): Promise<string> {
  return withDb(async (c) => ((await c.query<{ id: string }>("SELECT id FROM organization WHERE kind = 'government' ORDER BY name LIMIT 1")).rows[0] as { id: string }).id);
}
