// SPDX-License-Identifier: Apache-2.0
// A migrated, seeded database built once per test run; every test file gets a fresh copy of it
// (a PGlite data-folder dump, or a PostgreSQL database created from a template database).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, testEnvironment } from '../../server/platform/config.ts';
import { type Database, openMemoryDatabase, openServerDatabase } from '../../server/platform/db.ts';
import { migrate } from '../../server/platform/migrate.ts';
import { buildDeps } from '../../server/main.ts';
import { type DemoAccount, seedDemo } from '../../server/modules/demo/index.ts';

const ROOT_TEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.yz-test');
/** Villages in the test province: small, but two cities' worth of counties. */
export const TEST_VILLAGES = 120;
export const TEST_SEED = 7;

/** Where one test run keeps its template: its own folder, so that concurrent runs never share one. */
export type TemplateInfo = { dir: string; serverTemplate: string | null };

function serverUrlFor(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Builds the template for the engine of this run; returns where it is and how to remove it. */
export async function buildTemplate(): Promise<{ info: TemplateInfo; remove(): Promise<void> }> {
  const env = testEnvironment();
  const id = crypto.randomBytes(4).toString('hex');
  const dir = path.join(ROOT_TEST_DIR, `run-${id}`);
  fs.mkdirSync(dir, { recursive: true });
  const config = loadConfig({ YZ_LOG_LEVEL: 'silent', YZ_DATA_DIR: dir });
  let db: Database;
  let serverTemplate: string | null = null;
  if (env.engine === 'server' && env.serverUrl) {
    serverTemplate = `yz_tpl_${id}`;
    const admin = new pg.Client({ connectionString: env.serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${serverTemplate}`);
    await admin.end();
    db = openServerDatabase(serverUrlFor(env.serverUrl, serverTemplate), 4);
  } else {
    db = await openMemoryDatabase();
  }
  await migrate(db);
  const accounts = await seedDemo(buildDeps(config, db), { villages: TEST_VILLAGES, seed: TEST_SEED, twin: false, resources: false, incidents: false, plans: false, warnings: false, indicators: false });
  fs.writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify(accounts));
  if (db.pglite) {
    const dump = await db.pglite.dumpDataDir('none');
    fs.writeFileSync(path.join(dir, 'embedded.tar'), Buffer.from(await dump.arrayBuffer()));
  }
  await db.close();
  return {
    info: { dir, serverTemplate },
    async remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      if (serverTemplate && env.serverUrl) {
        const admin = new pg.Client({ connectionString: env.serverUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${serverTemplate} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}

function templateInfo(): TemplateInfo {
  return inject('yzTemplate');
}

/** The demo accounts of the template. */
export function templateAccounts(): DemoAccount[] {
  return JSON.parse(fs.readFileSync(path.join(templateInfo().dir, 'accounts.json'), 'utf8')) as DemoAccount[];
}

/** A fresh database holding a copy of the template; closing it drops it. */
export async function openTestDatabase(): Promise<Database> {
  const env = testEnvironment();
  const info = templateInfo();
  if (env.engine === 'server' && env.serverUrl && info.serverTemplate) {
    const name = `yz_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: env.serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${info.serverTemplate}`);
    await admin.end();
    const db = openServerDatabase(serverUrlFor(env.serverUrl, name), 5);
    return {
      ...db,
      async close() {
        await db.close();
        await dropDatabase(env.serverUrl as string, name);
      },
    };
  }
  const tar = fs.readFileSync(path.join(info.dir, 'embedded.tar'));
  return openMemoryDatabase(new Blob([tar]));
}

/**
 * Drops a test database once its connections are gone. A closed pool's connections are still saying goodbye
 * for a moment after close() returns; forcing them out then makes the server send them a FATAL error, which
 * surfaces as an uncaught exception in the test run. FORCE remains for connections a test left behind.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const a = new pg.Client({ connectionString: serverUrl });
  await a.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const { rows } = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if ((rows[0]?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await a.end();
  }
}

/** An empty PostgreSQL server database for CLI tests (undefined on the embedded engine); drop() removes it. */
export async function emptyServerDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const env = testEnvironment();
  if (env.engine !== 'server' || !env.serverUrl) return undefined;
  const base = env.serverUrl;
  const name = `yz_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: serverUrlFor(base, name),
    drop: () => dropDatabase(base, name),
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    yzTemplate: TemplateInfo;
  }
}
