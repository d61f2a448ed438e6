// SPDX-License-Identifier: Apache-2.0
// The `yunzheng` command run as a process against a copy of this run's template database (embedded data
// folder or a PostgreSQL server database), with a way to open that database between two commands.
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pg from 'pg';
import { inject } from 'vitest';
import { testEnvironment } from '../../server/platform/config.ts';
import { type Database, openEmbeddedDatabase, openServerDatabase } from '../../server/platform/db.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'yunzheng.js');

export type CliResult = { code: number | null; out: string; err: string };

export type CliHarness = {
  /** The data folder the command uses (also a place for its input files). */
  dataDir: string;
  /** Runs `yunzheng <args>` and waits for it. */
  cli(args: string[], opts?: { input?: string }): CliResult;
  /** Opens the command's database between two commands. */
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  rows<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
};

/** A data folder (and, on PostgreSQL server, a database) holding a copy of the template. */
export async function cliHarness(prefix: string): Promise<CliHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let server: { url: string; drop(): Promise<void> } | undefined;
  const env = testEnvironment();
  const info = inject('yzTemplate');
  if (env.engine === 'server' && env.serverUrl && info.serverTemplate) {
    const base = env.serverUrl;
    const name = `yz_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${info.serverTemplate}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    server = {
      url: url.toString(),
      async drop() {
        const a = new pg.Client({ connectionString: base });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  } else {
    // the template's embedded data folder, unpacked into the data folder the command opens
    const tar = fs.readFileSync(path.join(info.dir, 'embedded.tar'));
    const lite = await PGlite.create({ dataDir: path.join(dataDir, 'pg'), loadDataDir: new Blob([tar]), extensions: { btree_gist } });
    await lite.close();
  }
  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const db = server ? openServerDatabase(server.url, 2) : await openEmbeddedDatabase(dataDir);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  return {
    dataDir,
    cli(args, opts = {}) {
      const childEnv: NodeJS.ProcessEnv = { ...process.env, YZ_DATA_DIR: dataDir, YZ_LOG_LEVEL: 'warn' };
      delete childEnv.DATABASE_URL;
      if (server) childEnv.DATABASE_URL = server.url;
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: childEnv, timeout: 120_000, ...(opts.input !== undefined ? { input: opts.input } : {}) });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    withDb,
    rows: (sql, values = []) => withDb(async (db) => (await db.pool.query(sql, values)).rows),
    async close() {
      await server?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
