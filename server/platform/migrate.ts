// SPDX-License-Identifier: Apache-2.0
// Plain-SQL, numbered, forward-only migrations from server/migrations, applied at start and by `yunzheng migrate`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
// Any constant: serialises migrations when several server processes start at once.
const MIGRATION_LOCK = 4_242_001;

/** One migration file. */
export type Migration = { version: number; name: string; sql: string; checksum: string };

/** Reads the migration files in order; a file name is `NNNN_name.sql`. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number.parseInt(file.slice(0, 4), 10),
        name: file.slice(5, -4),
        sql,
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Applies every pending migration, each in its own transaction; returns the names applied. */
export async function migrate(db: Database, onApplied?: (m: Migration) => void): Promise<Migration[]> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migration ORDER BY version',
    );
    const applied = new Map(rows.map((r) => [r.version, r]));
    const done: Migration[] = [];
    for (const m of readMigrations()) {
      const previous = applied.get(m.version);
      if (previous) {
        if (previous.checksum !== m.checksum) {
          throw new Error(`migration ${m.version}_${m.name} was changed after it was applied; migrations are forward-only: add a new one`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
      }
      done.push(m);
      onApplied?.(m);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
