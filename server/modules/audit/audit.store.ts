// SPDX-License-Identifier: Apache-2.0
import type { Executor } from '../../platform/db.ts';

/** A row of audit_log. */
export type AuditRow = {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  region_code: string | null;
  outcome: 'success' | 'denied' | 'failure';
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  algorithm: 'sha256' | 'sm3';
  prev_hash: string;
  hash: string;
};

// Serialises writers of the chain; held until the writing transaction ends.
const CHAIN_LOCK = 4_242_002;

/** Locks the chain for this transaction and returns the last record's seq and hash. */
export async function lockChainHead(tx: Executor): Promise<{ seq: number; hash: string } | undefined> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const { rows } = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  return rows[0];
}

export async function insertAuditRow(tx: Executor, row: AuditRow): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, resource_type, resource_id, region_code, outcome, reason,
       request_id, ip, details, algorithm, prev_hash, hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
    [row.seq, row.at, row.actor_id, row.actor_name, row.action, row.resource_type, row.resource_id, row.region_code, row.outcome, row.reason,
      row.request_id, row.ip, JSON.stringify(row.details), row.algorithm, row.prev_hash, row.hash],
  );
}

/** Audit filters for the viewer. */
export type AuditFilter = { action?: string; actorId?: string; outcome?: string; regionPrefix?: string; from?: string; to?: string; q?: string };

function where(f: AuditFilter): { sql: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    values.push(value);
    clauses.push(clause.replace('?', `$${values.length}`));
  };
  if (f.action) add('action LIKE ?', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.actorId) add('actor_id = ?', f.actorId);
  if (f.outcome) add('outcome = ?', f.outcome);
  if (f.regionPrefix) add('region_code LIKE ?', `${f.regionPrefix}%`);
  if (f.from) add('at >= ?', f.from);
  if (f.to) add('at < ?', f.to);
  if (f.q) add("(actor_name ILIKE ? OR resource_id ILIKE $X OR reason ILIKE $X)".replace(/\$X/g, `$${values.length + 1}`), `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values };
}

export async function listAuditRows(db: Executor, f: AuditFilter, limit: number, offset: number, order: 'asc' | 'desc'): Promise<{ rows: AuditRow[]; total: number }> {
  const w = where(f);
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log ${w.sql}`, w.values);
  const { rows } = await db.query<AuditRow>(
    `SELECT * FROM audit_log ${w.sql} ORDER BY seq ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT $${w.values.length + 1} OFFSET $${w.values.length + 2}`,
    [...w.values, limit, offset],
  );
  return { rows, total: total.rows[0]?.n ?? 0 };
}

/** Reads the chain in order, in pages of `size` after `afterSeq`. */
export async function readChainPage(db: Executor, afterSeq: number, size: number): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, size]);
  return rows;
}
