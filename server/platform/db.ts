// SPDX-License-Identifier: Apache-2.0
// One SQL dialect, two engines: embedded PGlite (single machine, demo) or PostgreSQL server (production),
// both behind one pg.Pool so that every store runs unchanged on either.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

// int8 and numeric come back as strings by default; counts and ids here fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));
// Dates (not timestamps) stay 'YYYY-MM-DD' strings: no time-zone shift.
pg.types.setTypeParser(1082, (v) => v);

/** Anything that runs SQL: the pool or a client inside a transaction. Stores take it first. */
export type Executor = {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
};

/** An open database: the pool, which engine serves it, and how to close it. */
export type Database = {
  pool: pg.Pool;
  engine: 'embedded' | 'server';
  describe: string;
  pglite?: PGlite;
  close(): Promise<void>;
};

/** Thrown when the embedded data folder is already used by another process. */
export class DataDirLockedError extends Error {}

const extensions = { btree_gist };

/** Opens PostgreSQL server at `url`. */
export function openServerDatabase(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return { pool, engine: 'server', describe: `PostgreSQL server ${safe}`, close: () => pool.end() };
}

/** Opens (creating if needed) the embedded engine in `<dataDir>/pg`, holding a lock on the folder. */
export async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  try {
    const lite = await PGlite.create({ dataDir: path.join(dataDir, 'pg'), extensions });
    return wrapPglite(lite, `embedded PGlite in ${dataDir}`, release);
  } catch (err) {
    release();
    throw err;
  }
}

/** Opens an in-memory embedded engine, optionally from a dumped data folder (used by tests). */
export async function openMemoryDatabase(loadDataDir?: Blob): Promise<Database> {
  const lite = await PGlite.create(loadDataDir ? { loadDataDir, extensions } : { extensions });
  return wrapPglite(lite, 'embedded PGlite in memory', () => undefined);
}

function wrapPglite(lite: PGlite, describe: string, release: () => void): Database {
  // PGlite is a single connection: a pool of one serialises transactions, which is what it can do.
  const pool = new pg.Pool({ ...createPgConfig(lite), max: 1 } as pg.PoolConfig);
  return {
    pool,
    engine: 'embedded',
    describe,
    pglite: lite,
    async close() {
      await pool.end();
      await lite.close();
      release();
    },
  };
}

/**
 * PGlite has no cross-process lock and two processes on one folder corrupt it, so we take one:
 * a lock file created exclusively, holding our pid; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'yunzheng.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `the data folder ${dataDir} is in use by process ${holder}. The embedded database serves one process ` +
            `per data folder: stop that process, choose another YZ_DATA_DIR, or set DATABASE_URL to use PostgreSQL server.`,
        );
      }
      fs.unlinkSync(file); // stale lock
    }
  }
  throw new DataDirLockedError(`could not lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` in one transaction: commit on success, roll back on any error. */
export async function withTransaction<T>(db: Database | Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  if (!('pool' in db)) return fn(db); // already inside a transaction
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The executor for reads outside a transaction. */
export function executor(db: Database | Executor): Executor {
  return 'pool' in db ? db.pool : db;
}
