// SPDX-License-Identifier: Apache-2.0
// SQL for back-flow data sets: definitions, versions, row history and corrections.
import type { Classification } from '../../../contracts/common.ts';
import type { CorrectionStatus, DatasetField, FieldValue } from '../../../contracts/datasets.ts';
import type { Executor } from '../../platform/db.ts';

/** A row of `dataset`, with names looked up and the current rows in a scope counted. */
export type DatasetRecord = {
  id: string;
  code: string;
  name: string;
  description: string | null;
  owner_organization_id: string;
  owner_organization_name: string | null;
  owner_region_code: string;
  owner_region_name: string | null;
  owner_region_prefix: string;
  classification: Classification;
  key_field: string;
  region_field: string;
  fields: DatasetField[];
  current_version: number;
  last_published_at: Date | null;
  row_count: number;
  created_at: Date;
  modified_at: Date;
};

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;
const REGION_NAME = (code: string) => `(SELECT rg.name FROM region rg WHERE rg.code = ${code} AND rg.valid_to IS NULL LIMIT 1)`;

// $1 is the scope prefix the row count is taken in.
const SELECT_DATASET = `SELECT d.id, d.code, d.name, d.description, d.owner_organization_id, d.owner_region_code, d.owner_region_prefix,
    d.classification, d.key_field, d.region_field, d.fields, d.current_version, d.created_at, d.modified_at,
    (SELECT o.name FROM organization o WHERE o.id = d.owner_organization_id) AS owner_organization_name,
    ${REGION_NAME('d.owner_region_code')} AS owner_region_name,
    (SELECT v.published_at FROM dataset_version v WHERE v.dataset_id = d.id AND v.version = d.current_version) AS last_published_at,
    (SELECT count(*)::int FROM dataset_row r WHERE r.dataset_id = d.id AND r.valid_to_version IS NULL AND r.region_code LIKE $1) AS row_count
  FROM dataset d`;

/** A data set by code; `forUpdate` locks it (publishers and deciders serialise on it). */
export async function findDataset(db: Executor, code: string, scopePrefix: string, forUpdate = false): Promise<DatasetRecord | undefined> {
  const { rows } = await db.query<DatasetRecord>(`${SELECT_DATASET} WHERE d.code = $2${forUpdate ? ' FOR UPDATE OF d' : ''}`, [like(scopePrefix), code]);
  return rows[0];
}

export type DatasetFilter = { scopePrefix: string; classifications: readonly Classification[]; q?: string };

/** Data sets that concern a scope: owned inside it, or owned above it (published down to it). */
export async function listDatasets(db: Executor, f: DatasetFilter, limit: number, offset: number): Promise<{ rows: DatasetRecord[]; total: number }> {
  const values: unknown[] = [like(f.scopePrefix), f.scopePrefix, f.classifications];
  const clauses = [`(d.owner_region_prefix LIKE $1 OR $2 LIKE d.owner_region_prefix || '%')`, 'd.classification = ANY ($3)'];
  if (f.q) {
    values.push(`%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
    clauses.push(`(d.code ILIKE $${values.length} OR d.name ILIKE $${values.length})`);
  }
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dataset d ${where}`, values);
  const { rows } = await db.query<DatasetRecord>(`${SELECT_DATASET} ${where} ORDER BY d.code LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type NewDataset = Pick<
  DatasetRecord,
  'id' | 'code' | 'name' | 'description' | 'owner_organization_id' | 'owner_region_code' | 'owner_region_prefix' | 'classification' | 'key_field' | 'region_field' | 'fields'
> & { created_by: string | null };

/** Inserts a data set; false when the code is taken. */
export async function insertDataset(db: Executor, d: NewDataset): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO dataset (id, code, name, description, owner_organization_id, owner_region_code, owner_region_prefix, classification, key_field, region_field, fields, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (code) DO NOTHING`,
    [d.id, d.code, d.name, d.description, d.owner_organization_id, d.owner_region_code, d.owner_region_prefix, d.classification, d.key_field, d.region_field, JSON.stringify(d.fields), d.created_by],
  );
  return rowCount === 1;
}

export async function setCurrentVersion(db: Executor, id: string, version: number): Promise<void> {
  await db.query('UPDATE dataset SET current_version = $2, modified_at = now() WHERE id = $1', [id, version]);
}

/** An organization's region, for checking a data set's owner. */
export async function findOrganizationRegion(db: Executor, id: string): Promise<{ region_code: string; active: boolean } | undefined> {
  const { rows } = await db.query<{ region_code: string; active: boolean }>('SELECT region_code, active FROM organization WHERE id = $1', [id]);
  return rows[0];
}

// --- versions -------------------------------------------------------------------------------

export type VersionRecord = {
  version: number;
  source: string;
  note: string | null;
  published_at: Date;
  published_by: string | null;
  published_by_name: string;
  rows_added: number;
  rows_changed: number;
  rows_removed: number;
  rows_total: number;
  correction_id: number | null;
};

export async function insertVersion(db: Executor, datasetId: string, v: Omit<VersionRecord, 'published_at'>): Promise<VersionRecord> {
  const { rows } = await db.query<VersionRecord>(
    `INSERT INTO dataset_version (dataset_id, version, source, note, published_by, published_by_name, rows_added, rows_changed, rows_removed, rows_total, correction_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
     RETURNING version, source, note, published_at, published_by, published_by_name, rows_added, rows_changed, rows_removed, rows_total, correction_id`,
    [datasetId, v.version, v.source, v.note, v.published_by, v.published_by_name, v.rows_added, v.rows_changed, v.rows_removed, v.rows_total, v.correction_id],
  );
  return rows[0] as VersionRecord;
}

export async function findVersion(db: Executor, datasetId: string, version: number): Promise<VersionRecord | undefined> {
  const { rows } = await db.query<VersionRecord>('SELECT * FROM dataset_version WHERE dataset_id = $1 AND version = $2', [datasetId, version]);
  return rows[0];
}

/** Versions, newest first. */
export async function listVersions(db: Executor, datasetId: string, limit: number, offset: number): Promise<{ rows: VersionRecord[]; total: number }> {
  const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dataset_version WHERE dataset_id = $1', [datasetId]);
  const { rows } = await db.query<VersionRecord>('SELECT * FROM dataset_version WHERE dataset_id = $1 ORDER BY version DESC LIMIT $2 OFFSET $3', [datasetId, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

// --- rows -----------------------------------------------------------------------------------

/** A stored row with its lineage (the version that wrote it). */
export type RowRecord = {
  row_key: string;
  region_code: string;
  region_name: string | null;
  data: Record<string, FieldValue>;
  valid_from_version: number;
  valid_to_version: number | null;
  source: string;
  published_at: Date;
};

const SELECT_ROW = `SELECT r.row_key, r.region_code, ${REGION_NAME('r.region_code')} AS region_name, r.data, r.valid_from_version, r.valid_to_version,
    v.source, v.published_at
  FROM dataset_row r JOIN dataset_version v ON v.dataset_id = r.dataset_id AND v.version = r.valid_from_version`;

/** Every current row (key, region, data): what a new version is compared with. */
export async function currentRows(db: Executor, datasetId: string): Promise<{ row_key: string; region_code: string; data: Record<string, FieldValue> }[]> {
  const { rows } = await db.query<{ row_key: string; region_code: string; data: Record<string, FieldValue> }>(
    'SELECT row_key, region_code, data FROM dataset_row WHERE dataset_id = $1 AND valid_to_version IS NULL',
    [datasetId],
  );
  return rows;
}

/** The current row of a key; `forUpdate` locks it. */
export async function findCurrentRow(db: Executor, datasetId: string, key: string, forUpdate = false): Promise<RowRecord | undefined> {
  const { rows } = await db.query<RowRecord>(`${SELECT_ROW} WHERE r.dataset_id = $1 AND r.row_key = $2 AND r.valid_to_version IS NULL${forUpdate ? ' FOR UPDATE OF r' : ''}`, [datasetId, key]);
  return rows[0];
}

/** Ends the current rows of `keys` at `version` (they are not in it). */
export async function closeRows(db: Executor, datasetId: string, keys: string[], version: number): Promise<void> {
  for (let i = 0; i < keys.length; i += 5000) {
    await db.query('UPDATE dataset_row SET valid_to_version = $3 WHERE dataset_id = $1 AND valid_to_version IS NULL AND row_key = ANY ($2)', [datasetId, keys.slice(i, i + 5000), version]);
  }
}

/** Opens rows from `version` on. */
export async function insertRows(db: Executor, datasetId: string, rows: { key: string; regionCode: string; data: Record<string, FieldValue> }[], version: number): Promise<void> {
  // chunked at 1,000 rows: one bind message holds at most 65,535 parameters
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values: unknown[] = [datasetId, version];
    const tuples = chunk.map((r) => {
      values.push(r.key, r.regionCode, JSON.stringify(r.data));
      const b = values.length;
      return `($1, $${b - 2}, $${b - 1}, $${b}::jsonb, $2)`;
    });
    await db.query(`INSERT INTO dataset_row (dataset_id, row_key, region_code, data, valid_from_version) VALUES ${tuples.join(',')}`, values);
  }
}

export type RowFilter = { datasetId: string; version: number; scopePrefix: string; regionPrefix?: string; q?: string };

/** Rows of one version within a scope, by region and key. */
export async function listRows(db: Executor, f: RowFilter, limit: number, offset: number): Promise<{ rows: RowRecord[]; total: number }> {
  const values: unknown[] = [f.datasetId, f.version, like(f.scopePrefix)];
  const clauses = ['r.dataset_id = $1', 'r.valid_from_version <= $2', '(r.valid_to_version IS NULL OR r.valid_to_version > $2)', 'r.region_code LIKE $3'];
  if (f.regionPrefix) {
    values.push(like(f.regionPrefix));
    clauses.push(`r.region_code LIKE $${values.length}`);
  }
  if (f.q) {
    values.push(`%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
    const p = `$${values.length}`;
    clauses.push(`(r.row_key ILIKE ${p} OR EXISTS (SELECT 1 FROM jsonb_each_text(r.data) e WHERE e.value ILIKE ${p}))`);
  }
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dataset_row r ${where}`, values);
  const { rows } = await db.query<RowRecord>(`${SELECT_ROW} ${where} ORDER BY r.region_code, r.row_key LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

/** Every stored state of one key, oldest first. */
export async function rowHistory(db: Executor, datasetId: string, key: string): Promise<RowRecord[]> {
  const { rows } = await db.query<RowRecord>(`${SELECT_ROW} WHERE r.dataset_id = $1 AND r.row_key = $2 ORDER BY r.valid_from_version`, [datasetId, key]);
  return rows;
}

// --- corrections ----------------------------------------------------------------------------

export type CorrectionRecord = {
  id: number;
  dataset_id: string;
  dataset_code: string;
  row_key: string;
  region_code: string;
  region_name: string | null;
  base_version: number;
  before: Record<string, FieldValue>;
  changes: Record<string, FieldValue>;
  reason: string;
  proposed_by: string | null;
  proposed_by_name: string;
  proposed_at: Date;
  status: CorrectionStatus;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  resulting_version: number | null;
};

const SELECT_CORRECTION = `SELECT c.*, d.code AS dataset_code, ${REGION_NAME('c.region_code')} AS region_name
  FROM dataset_correction c JOIN dataset d ON d.id = c.dataset_id`;

export type NewCorrection = Pick<CorrectionRecord, 'dataset_id' | 'row_key' | 'region_code' | 'base_version' | 'before' | 'changes' | 'reason' | 'proposed_by' | 'proposed_by_name'>;

export async function insertCorrection(db: Executor, c: NewCorrection): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dataset_correction (dataset_id, row_key, region_code, base_version, before, changes, reason, proposed_by, proposed_by_name)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
    [c.dataset_id, c.row_key, c.region_code, c.base_version, JSON.stringify(c.before), JSON.stringify(c.changes), c.reason, c.proposed_by, c.proposed_by_name],
  );
  return (rows[0] as { id: number }).id;
}

export async function findCorrection(db: Executor, id: number, forUpdate = false): Promise<CorrectionRecord | undefined> {
  const { rows } = await db.query<CorrectionRecord>(`${SELECT_CORRECTION} WHERE c.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`, [id]);
  return rows[0];
}

export type CorrectionFilter = { datasetId: string; status?: CorrectionStatus; proposedBy?: string | null; visibleTo?: { scopePrefix: string; userId: string | null } };

/** Corrections of a data set, newest first. */
export async function listCorrections(db: Executor, f: CorrectionFilter, limit: number, offset: number): Promise<{ rows: CorrectionRecord[]; total: number }> {
  const values: unknown[] = [f.datasetId];
  const clauses = ['c.dataset_id = $1'];
  if (f.status) {
    values.push(f.status);
    clauses.push(`c.status = $${values.length}`);
  }
  if (f.proposedBy !== undefined) {
    values.push(f.proposedBy);
    clauses.push(`c.proposed_by IS NOT DISTINCT FROM $${values.length}`);
  }
  if (f.visibleTo) {
    values.push(like(f.visibleTo.scopePrefix), f.visibleTo.userId);
    clauses.push(`(c.region_code LIKE $${values.length - 1} OR c.proposed_by = $${values.length})`);
  }
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dataset_correction c ${where}`, values);
  const { rows } = await db.query<CorrectionRecord>(`${SELECT_CORRECTION} ${where} ORDER BY c.id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export async function decideCorrection(
  db: Executor,
  id: number,
  d: { status: 'accepted' | 'rejected'; decided_by: string | null; decided_by_name: string; decision_note: string | null; resulting_version: number | null },
): Promise<void> {
  await db.query(
    `UPDATE dataset_correction SET status = $2, decided_by = $3, decided_by_name = $4, decided_at = now(), decision_note = $5, resulting_version = $6 WHERE id = $1`,
    [id, d.status, d.decided_by, d.decided_by_name, d.decision_note, d.resulting_version],
  );
}
