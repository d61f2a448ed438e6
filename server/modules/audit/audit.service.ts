// SPDX-License-Identifier: Apache-2.0
// The audit log: every change and every security event, written in the same transaction as the change,
// chained by hash so that any edit of a stored record is found by verification.
import type { AuditRecord, AuditVerification } from '../../../contracts/audit.ts';
import type { RequestContext } from '../../platform/context.ts';
import { canonicalJson, digest, type HashAlgorithm } from '../../platform/crypto.ts';
import { type Database, type Executor, executor, withTransaction } from '../../platform/db.ts';
import { type AuditFilter, type AuditRow, insertAuditRow, listAuditRows, lockChainHead, readChainPage } from './audit.store.ts';

/** What a service records. */
export type AuditEntry = {
  action: string;
  resourceType?: string;
  resourceId?: string | null;
  regionCode?: string | null;
  outcome?: 'success' | 'denied' | 'failure';
  reason?: string;
  details?: Record<string, unknown>;
};

/** The hash every chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a record's hash covers, in canonical form. */
function hashInput(row: Omit<AuditRow, 'hash'>): string {
  return canonicalJson({
    seq: row.seq,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    regionCode: row.region_code,
    outcome: row.outcome,
    reason: row.reason,
    requestId: row.request_id,
    ip: row.ip,
    details: row.details,
    algorithm: row.algorithm,
    prevHash: row.prev_hash,
  });
}

function hashOf(row: Omit<AuditRow, 'hash'>): string {
  return digest(row.algorithm, `${row.prev_hash}\n${hashInput(row)}`);
}

/** Appends an audit record in the caller's transaction. */
export async function recordAudit(tx: Executor, ctx: RequestContext, algorithm: HashAlgorithm, entry: AuditEntry): Promise<void> {
  const head = await lockChainHead(tx);
  // Round-trip safe: timestamptz keeps microseconds, a JS Date milliseconds; we store milliseconds.
  const at = new Date(Math.floor(Date.now()));
  const row: Omit<AuditRow, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    at,
    actor_id: ctx.actor.userId,
    actor_name: ctx.actor.username,
    action: entry.action,
    resource_type: entry.resourceType ?? null,
    resource_id: entry.resourceId ?? null,
    region_code: entry.regionCode ?? null,
    outcome: entry.outcome ?? 'success',
    reason: entry.reason ?? null,
    request_id: ctx.requestId,
    ip: ctx.ip,
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
    algorithm,
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  await insertAuditRow(tx, { ...row, hash: hashOf(row) });
}

/** Appends an audit record in a transaction of its own (security events outside a change: denials, failed logins). */
export async function recordAuditNow(db: Database, ctx: RequestContext, algorithm: HashAlgorithm, entry: AuditEntry): Promise<void> {
  await withTransaction(db, (tx) => recordAudit(tx, ctx, algorithm, entry));
}

function present(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    regionCode: row.region_code,
    outcome: row.outcome,
    reason: row.reason,
    requestId: row.request_id,
    ip: row.ip,
    details: row.details,
    algorithm: row.algorithm,
    hash: row.hash,
  };
}

/** A page of audit records, newest first unless `order` says otherwise. */
export async function listAudit(db: Database | Executor, filter: AuditFilter, limit: number, offset: number, order: 'asc' | 'desc' = 'desc') {
  const { rows, total } = await listAuditRows(executor(db), filter, limit, offset, order);
  return { items: rows.map(present), total, limit, offset };
}

/** Walks the whole chain and reports the first broken link. */
export async function verifyAuditChain(db: Database | Executor, onProgress?: (checked: number) => void): Promise<AuditVerification> {
  const ex = executor(db);
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await readChainPage(ex, expectedSeq - 1, 5000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: `record ${expectedSeq} is missing (next is ${row.seq})` } };
      if (row.prev_hash !== prevHash) return { ok: false, checked, firstBroken: { seq: row.seq, reason: 'the previous-hash link does not match the record before it' } };
      const { hash, ...rest } = row;
      if (hashOf(rest) !== hash) return { ok: false, checked, firstBroken: { seq: row.seq, reason: 'the record was changed after it was written (hash mismatch)' } };
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
    onProgress?.(checked);
  }
  return { ok: true, checked, firstBroken: null };
}

/** Number of records in the chain (for progress). */
export async function countAudit(db: Database | Executor): Promise<number> {
  const { rows } = await executor(db).query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
  return rows[0]?.n ?? 0;
}
