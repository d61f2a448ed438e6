// SPDX-License-Identifier: Apache-2.0
// SQL for dispatchable resources: the type catalog, resources, nearest candidates, and reservations.
import type { OwnerKind, ReservationStatus, ResourceCategory, ResourceStatus } from '../../../contracts/dispatch-resources.ts';
import type { Executor } from '../../platform/db.ts';

/** A row of `resource_type`. */
export type ResourceTypeRecord = {
  code: string;
  category: ResourceCategory;
  name_zh: string;
  name_en: string;
  unit: string;
  is_stock: boolean;
  speed_kmh: number;
};

export async function listResourceTypes(db: Executor): Promise<ResourceTypeRecord[]> {
  const { rows } = await db.query<ResourceTypeRecord>('SELECT code, category, name_zh, name_en, unit, is_stock, speed_kmh FROM resource_type ORDER BY category, code');
  return rows;
}

export async function findResourceType(db: Executor, code: string): Promise<ResourceTypeRecord | undefined> {
  const { rows } = await db.query<ResourceTypeRecord>('SELECT code, category, name_zh, name_en, unit, is_stock, speed_kmh FROM resource_type WHERE code = $1', [code]);
  return rows[0];
}

/** Inserts a type; false when the code is taken. */
export async function insertResourceType(db: Executor, t: ResourceTypeRecord): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO resource_type (code, category, name_zh, name_en, unit, is_stock, speed_kmh) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (code) DO NOTHING`,
    [t.code, t.category, t.name_zh, t.name_en, t.unit, t.is_stock, t.speed_kmh],
  );
  return rowCount === 1;
}

/** A resource with its type and the names of its owner and region. */
export type ResourceRecord = {
  id: string;
  name: string;
  type_code: string;
  type_name: string;
  category: ResourceCategory;
  unit: string;
  speed_kmh: number;
  is_stock: boolean;
  capabilities: string[];
  owner_organization_id: string;
  owner_organization_name: string | null;
  owner_kind: OwnerKind;
  region_code: string;
  region_name: string | null;
  lon: number;
  lat: number;
  position_at: Date | null;
  status: ResourceStatus;
  quantity_total: number | null;
  quantity_available: number | null;
  capacity: number | null;
  description: string | null;
  agreement_number: string | null;
  agreement_valid_from: string | null;
  agreement_valid_to: string | null;
  agreement_response_minutes: number | null;
  offered: boolean;
  created_at: Date;
  modified_at: Date;
};

/**
 * Whether a resource may be offered on `$day`: a social organization's resource only under an agreement
 * valid that day. `day` is a placeholder such as `$3`.
 */
export const OFFERED = (r: string, day: string) =>
  `(${r}.owner_kind = 'government' OR (${r}.agreement_number IS NOT NULL AND ${r}.agreement_valid_from <= ${day}::date AND ${r}.agreement_valid_to >= ${day}::date))`;

// `day` is the placeholder of today's date (for `offered`); `extra` adds columns.
const selectResource = (extra = '', day = '$1') => `SELECT r.id, r.name, r.type_code, t.name_zh AS type_name, t.category, t.unit, t.speed_kmh, r.is_stock, r.capabilities,
    r.owner_organization_id, o.name AS owner_organization_name, r.owner_kind, r.region_code,
    (SELECT rg.name FROM region rg WHERE rg.code = r.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name,
    r.location[0] AS lon, r.location[1] AS lat, r.position_at, r.status, r.quantity_total, r.quantity_available, r.capacity, r.description,
    r.agreement_number, r.agreement_valid_from, r.agreement_valid_to, r.agreement_response_minutes,
    ${OFFERED('r', day)} AS offered, r.created_at, r.modified_at${extra}
  FROM resource r JOIN resource_type t ON t.code = r.type_code LEFT JOIN organization o ON o.id = r.owner_organization_id`;
const SELECT_RESOURCE = selectResource();

export async function findResource(db: Executor, id: string, day: string, forUpdate = false): Promise<ResourceRecord | undefined> {
  const { rows } = await db.query<ResourceRecord>(`${SELECT_RESOURCE} WHERE r.id = $2${forUpdate ? ' FOR UPDATE OF r' : ''}`, [day, id]);
  return rows[0];
}

export async function findResources(db: Executor, ids: string[], day: string): Promise<ResourceRecord[]> {
  const { rows } = await db.query<ResourceRecord>(`${SELECT_RESOURCE} WHERE r.id = ANY ($2::uuid[])`, [day, ids]);
  return rows;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

export type ResourceFilter = {
  scopePrefix: string;
  /** Set for a social member: only their organization's resources. */
  onlyOrganizationId?: string;
  type?: string;
  status?: ResourceStatus;
  capability?: string;
  regionPrefix?: string;
  ownerKind?: OwnerKind;
  ownerOrganizationId?: string;
  q?: string;
};

/** Resources matching a filter, by region and name. */
export async function listResources(db: Executor, f: ResourceFilter, day: string, limit: number, offset: number): Promise<{ rows: ResourceRecord[]; total: number }> {
  const values: unknown[] = [];
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const clauses = [`r.region_code LIKE ${bind(`${escapeLike(f.scopePrefix)}%`)}`];
  if (f.onlyOrganizationId) clauses.push(`r.owner_organization_id = ${bind(f.onlyOrganizationId)}`);
  if (f.type) clauses.push(`r.type_code = ${bind(f.type)}`);
  if (f.status) clauses.push(`r.status = ${bind(f.status)}`);
  if (f.capability) clauses.push(`r.capabilities @> ARRAY[${bind(f.capability)}]::text[]`);
  if (f.regionPrefix) clauses.push(`r.region_code LIKE ${bind(`${escapeLike(f.regionPrefix)}%`)}`);
  if (f.ownerKind) clauses.push(`r.owner_kind = ${bind(f.ownerKind)}`);
  if (f.ownerOrganizationId) clauses.push(`r.owner_organization_id = ${bind(f.ownerOrganizationId)}`);
  if (f.q) {
    const p = bind(`%${escapeLike(f.q)}%`);
    clauses.push(`(r.name ILIKE ${p} OR r.description ILIKE ${p} OR r.agreement_number ILIKE ${p} OR t.name_zh ILIKE ${p} OR t.name_en ILIKE ${p})`);
  }
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource r JOIN resource_type t ON t.code = r.type_code ${where}`, values);
  const dayParam = bind(day);
  const { rows } = await db.query<ResourceRecord>(`${selectResource('', dayParam)} ${where} ORDER BY r.region_code, r.type_code, r.name, r.id LIMIT ${bind(limit)} OFFSET ${bind(offset)}`, values);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export type NewResource = {
  id: string;
  name: string;
  type_code: string;
  is_stock: boolean;
  capabilities: string[];
  owner_organization_id: string;
  owner_kind: OwnerKind;
  region_code: string;
  lon: number;
  lat: number;
  status: 'available' | 'unavailable';
  quantity_total: number | null;
  capacity: number | null;
  description: string | null;
  agreement_number: string | null;
  agreement_valid_from: string | null;
  agreement_valid_to: string | null;
  agreement_response_minutes: number | null;
  created_by: string | null;
};

const INSERT_COLUMNS = `id, name, type_code, is_stock, capabilities, owner_organization_id, owner_kind, region_code, location, position_at, status,
  quantity_total, quantity_available, capacity, description, agreement_number, agreement_valid_from, agreement_valid_to, agreement_response_minutes, created_by`;

/** Inserts resources in chunks (at most 65,535 parameters per statement). */
export async function insertResources(db: Executor, list: NewResource[]): Promise<void> {
  for (let i = 0; i < list.length; i += 500) {
    const values: unknown[] = [];
    const tuples = list.slice(i, i + 500).map((r) => {
      const b = values.length;
      values.push(r.id, r.name, r.type_code, r.is_stock, r.capabilities, r.owner_organization_id, r.owner_kind, r.region_code, r.lon, r.lat, r.status,
        r.quantity_total, r.capacity, r.description, r.agreement_number, r.agreement_valid_from, r.agreement_valid_to, r.agreement_response_minutes, r.created_by);
      const $ = (k: number) => `$${b + k}`;
      return `(${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}::text[], ${$(6)}, ${$(7)}, ${$(8)}, point(${$(9)}::float8, ${$(10)}::float8), now(), ${$(11)},
        ${$(12)}::int, ${$(12)}::int, ${$(13)}::int, ${$(14)}, ${$(15)}, ${$(16)}::date, ${$(17)}::date, ${$(18)}::int, ${$(19)}::uuid)`;
    });
    await db.query(`INSERT INTO resource (${INSERT_COLUMNS}) VALUES ${tuples.join(',')}`, values);
  }
}

export type ResourceUpdate = Partial<{
  name: string;
  capabilities: string[];
  location: [number, number];
  quantity_total: number;
  capacity: number | null;
  description: string | null;
  agreement: { number: string; valid_from: string; valid_to: string; response_minutes: number | null } | null;
}>;

/**
 * Updates the fields given. A new stock total moves what is available by the same amount; the CHECK
 * constraint refuses a total below what is reserved (23514), which the caller turns into a 409.
 */
export async function updateResource(db: Executor, id: string, u: ResourceUpdate): Promise<void> {
  const values: unknown[] = [id];
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const sets = ['modified_at = now()'];
  if (u.name !== undefined) sets.push(`name = ${bind(u.name)}`);
  if (u.capabilities !== undefined) sets.push(`capabilities = ${bind(u.capabilities)}::text[]`);
  if (u.location !== undefined) sets.push(`location = point(${bind(u.location[0])}::float8, ${bind(u.location[1])}::float8), position_at = now()`);
  if (u.quantity_total !== undefined) {
    const n = bind(u.quantity_total);
    sets.push(`quantity_available = quantity_available + (${n}::int - quantity_total), quantity_total = ${n}::int`);
  }
  if (u.capacity !== undefined) sets.push(`capacity = ${bind(u.capacity)}::int`);
  if (u.description !== undefined) sets.push(`description = ${bind(u.description)}`);
  if (u.agreement !== undefined) {
    const a = u.agreement;
    sets.push(`agreement_number = ${bind(a?.number ?? null)}, agreement_valid_from = ${bind(a?.valid_from ?? null)}::date,
      agreement_valid_to = ${bind(a?.valid_to ?? null)}::date, agreement_response_minutes = ${bind(a?.response_minutes ?? null)}::int`);
  }
  await db.query(`UPDATE resource SET ${sets.join(', ')} WHERE id = $1`, values);
}

/** Sets the status by hand (available ↔ unavailable), only from a state that allows it; false otherwise. */
export async function setManualStatus(db: Executor, id: string, status: 'available' | 'unavailable'): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE resource SET status = $2, modified_at = now() WHERE id = $1 AND status IN ('available', 'unavailable')`,
    [id, status],
  );
  return rowCount === 1;
}

/** Stores tracker positions; an observation older than the stored one is skipped. Returns the ids updated. */
export async function updatePositions(db: Executor, items: { id: string; lon: number; lat: number; at: string }[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE resource r SET location = point(p.lon, p.lat), position_at = p.at, modified_at = now()
       FROM (SELECT DISTINCT ON (id) id, lon, lat, at FROM unnest($1::uuid[], $2::float8[], $3::float8[], $4::timestamptz[]) AS u(id, lon, lat, at) ORDER BY id, at DESC) p
      WHERE r.id = p.id AND (r.position_at IS NULL OR r.position_at <= p.at)
      RETURNING r.id`,
    [items.map((i) => i.id), items.map((i) => i.lon), items.map((i) => i.lat), items.map((i) => i.at)],
  );
  return rows.map((r) => r.id);
}

/** The scope-relevant facts of some resources (region and owner), for checking a batch before writing it. */
export async function resourceOwners(db: Executor, ids: string[]): Promise<{ id: string; region_code: string; owner_organization_id: string }[]> {
  const { rows } = await db.query<{ id: string; region_code: string; owner_organization_id: string }>(
    'SELECT id, region_code, owner_organization_id FROM resource WHERE id = ANY ($1::uuid[])',
    [ids],
  );
  return rows;
}

// --- matching ---------------------------------------------------------------------------------

/** A candidate for matching, with its planar distance in degrees from the point (for the walk's bound). */
export type Candidate = ResourceRecord & { deg: number };

export type CandidateFilter = {
  type: string;
  capability?: string;
  scopePrefix: string;
  onlyOrganizationId?: string;
  /** Subtrees searched (any of). */
  includePrefixes: string[];
  /** Subtrees left out (the region already searched). */
  excludePrefixes: string[];
  /** Resources left out (already tried by the same request). */
  excludeIds?: readonly string[];
  day: string;
};

function candidateWhere(f: CandidateFilter, values: unknown[]): string {
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const clauses = [
    `r.type_code = ${bind(f.type)}`,
    `r.status = 'available'`,
    `(NOT r.is_stock OR r.quantity_available > 0)`,
    OFFERED('r', '$1'),
    `r.region_code LIKE ${bind(`${escapeLike(f.scopePrefix)}%`)}`,
    `r.region_code LIKE ANY (${bind(f.includePrefixes.map((p) => `${escapeLike(p)}%`))}::text[])`,
  ];
  if (f.excludePrefixes.length) clauses.push(`NOT (r.region_code LIKE ANY (${bind(f.excludePrefixes.map((p) => `${escapeLike(p)}%`))}::text[]))`);
  if (f.capability) clauses.push(`r.capabilities @> ARRAY[${bind(f.capability)}]::text[]`);
  if (f.onlyOrganizationId) clauses.push(`r.owner_organization_id = ${bind(f.onlyOrganizationId)}`);
  if (f.excludeIds?.length) clauses.push(`NOT (r.id = ANY (${bind(f.excludeIds)}::uuid[]))`);
  return clauses.join(' AND ');
}

/**
 * One batch of the index walk: the resources at ranks [offset, offset + batch) in order of planar distance
 * from the point — every resource, read from the GiST index, whatever the filters — each with its distance
 * in degrees and, where it matches the filter, its full record (`ok`). Filtering inside the ordered scan
 * would let a filter that matches nothing walk the whole index; the caller bounds the walk instead.
 */
export async function walkNearest(db: Executor, f: CandidateFilter, at: [number, number], offset: number, batch: number): Promise<{ deg: number; record: Candidate | null }[]> {
  const values: unknown[] = [f.day, at[0], at[1]];
  const where = candidateWhere(f, values);
  const { rows } = await db.query<Candidate & { ok: boolean }>(
    `SELECT w.deg, w.ok, x.* FROM (
        SELECT r.id, r.location <-> point($2::float8, $3::float8) AS deg, (${where}) AS ok
          FROM (SELECT * FROM resource ORDER BY location <-> point($2::float8, $3::float8) LIMIT ${Math.floor(batch)} OFFSET ${Math.floor(offset)}) r) w
      -- OFFSET 0 keeps the lateral subquery apart, so the full record is built only for the rows that match
      LEFT JOIN LATERAL (${SELECT_RESOURCE} WHERE r.id = w.id AND w.ok OFFSET 0) x ON true
      ORDER BY w.deg, w.id`,
    values,
  );
  return rows.map((r) => ({ deg: r.deg, record: r.ok ? r : null }));
}

/** The fallback when matches are rare near the point: the filtered query, nearest first, at most `limit`. */
export async function filteredNearest(db: Executor, f: CandidateFilter, at: [number, number], limit: number): Promise<Candidate[]> {
  const values: unknown[] = [f.day, at[0], at[1]];
  const where = candidateWhere(f, values);
  const { rows } = await db.query<Candidate>(
    `${selectResource(', r.location <-> point($2::float8, $3::float8) AS deg')} WHERE ${where}
      ORDER BY r.location <-> point($2::float8, $3::float8), r.id LIMIT ${Math.floor(limit)}`,
    values,
  );
  return rows;
}

// --- regions for borrowing ----------------------------------------------------------------------

/** Current regions of the same level whose boxes touch the region's box (its neighbours). */
export async function neighbouringRegions(db: Executor, code: string): Promise<{ code: string; prefix: string }[]> {
  const { rows } = await db.query<{ code: string; prefix: string }>(
    `SELECT n.code, n.prefix FROM region r JOIN region n ON n.level = r.level AND n.valid_to IS NULL AND n.code <> r.code AND n.bbox && r.bbox
      WHERE r.code = $1 AND r.valid_to IS NULL AND r.bbox IS NOT NULL ORDER BY n.code`,
    [code],
  );
  return rows;
}

// --- reservations -------------------------------------------------------------------------------

export type ReservationRecord = {
  id: string;
  request_ref: string;
  resource_id: string;
  resource_name: string | null;
  type_code: string | null;
  region_code: string;
  is_stock: boolean;
  quantity: number;
  consumed: number;
  status: ReservationStatus;
  note: string | null;
  reserved_at: Date;
  dispatched_at: Date | null;
  released_at: Date | null;
};

const SELECT_RESERVATION = `SELECT v.id, v.request_ref, v.resource_id, r.name AS resource_name, r.type_code, v.region_code, v.is_stock, v.quantity, v.consumed,
    v.status, v.note, v.reserved_at, v.dispatched_at, v.released_at
  FROM resource_reservation v LEFT JOIN resource r ON r.id = v.resource_id`;

/**
 * Takes a whole resource: the conditional UPDATE is the reservation (no read-then-write), so that of any
 * number of concurrent attempts exactly one sees `available` and wins. Returns the region, or undefined.
 */
export async function takeWhole(db: Executor, id: string, day: string): Promise<{ region_code: string } | undefined> {
  const { rows } = await db.query<{ region_code: string }>(
    `UPDATE resource r SET status = 'reserved', modified_at = now()
      WHERE r.id = $2 AND NOT r.is_stock AND r.status = 'available' AND ${OFFERED('r', '$1')}
      RETURNING r.region_code`,
    [day, id],
  );
  return rows[0];
}

/**
 * Takes a whole resource while it is available, without waiting: a row another transaction holds is
 * skipped (undefined), so that transactions taking several resources in different orders never deadlock.
 */
export async function takeWholeNoWait(db: Executor, id: string, day: string): Promise<{ region_code: string } | undefined> {
  const { rows } = await db.query<{ region_code: string }>(
    `UPDATE resource r SET status = 'reserved', modified_at = now()
      WHERE r.id = (SELECT l.id FROM resource l WHERE l.id = $2 FOR UPDATE SKIP LOCKED)
        AND NOT r.is_stock AND r.status = 'available' AND ${OFFERED('r', '$1')}
      RETURNING r.region_code`,
    [day, id],
  );
  return rows[0];
}

/** Takes `n` of a stock when at least `n` is available; returns the region, or undefined. */
export async function takeStock(db: Executor, id: string, n: number, day: string): Promise<{ region_code: string } | undefined> {
  const { rows } = await db.query<{ region_code: string }>(
    `UPDATE resource r SET quantity_available = quantity_available - $3, modified_at = now()
      WHERE r.id = $2 AND r.is_stock AND r.status = 'available' AND r.quantity_available >= $3 AND ${OFFERED('r', '$1')}
      RETURNING r.region_code`,
    [day, id, n],
  );
  return rows[0];
}

export async function insertReservation(
  db: Executor,
  v: { id: string; request_ref: string; resource_id: string; region_code: string; is_stock: boolean; quantity: number; note: string | null; reserved_by: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO resource_reservation (id, request_ref, resource_id, region_code, is_stock, quantity, note, reserved_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [v.id, v.request_ref, v.resource_id, v.region_code, v.is_stock, v.quantity, v.note, v.reserved_by],
  );
}

export async function findReservation(db: Executor, id: string, forUpdate = false): Promise<ReservationRecord | undefined> {
  const { rows } = await db.query<ReservationRecord>(`${SELECT_RESERVATION} WHERE v.id = $1${forUpdate ? ' FOR UPDATE OF v' : ''}`, [id]);
  return rows[0];
}

export async function findReservations(db: Executor, ids: string[]): Promise<ReservationRecord[]> {
  const { rows } = await db.query<ReservationRecord>(`${SELECT_RESERVATION} WHERE v.id = ANY ($1::uuid[]) ORDER BY v.reserved_at, v.id`, [ids]);
  return rows;
}

export type ReservationFilter = { scopePrefix: string; onlyOrganizationId?: string; requestRef?: string; resourceId?: string; status?: ReservationStatus };

export async function listReservations(db: Executor, f: ReservationFilter, limit: number, offset: number): Promise<{ rows: ReservationRecord[]; total: number }> {
  const values: unknown[] = [`${escapeLike(f.scopePrefix)}%`];
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const clauses = ['v.region_code LIKE $1'];
  if (f.onlyOrganizationId) clauses.push(`r.owner_organization_id = ${bind(f.onlyOrganizationId)}`);
  if (f.requestRef) clauses.push(`v.request_ref = ${bind(f.requestRef)}`);
  if (f.resourceId) clauses.push(`v.resource_id = ${bind(f.resourceId)}`);
  if (f.status) clauses.push(`v.status = ${bind(f.status)}`);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource_reservation v LEFT JOIN resource r ON r.id = v.resource_id ${where}`, values);
  const { rows } = await db.query<ReservationRecord>(`${SELECT_RESERVATION} ${where} ORDER BY v.reserved_at DESC, v.id LIMIT ${bind(limit)} OFFSET ${bind(offset)}`, values);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

/** reserved → dispatched, for the reservation and (a whole resource) the resource; false when not reserved. */
export async function markDispatched(db: Executor, v: ReservationRecord): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE resource_reservation SET status = 'dispatched', dispatched_at = now() WHERE id = $1 AND status = 'reserved'`, [v.id]);
  if (rowCount !== 1) return false;
  if (!v.is_stock) await db.query(`UPDATE resource SET status = 'dispatched', modified_at = now() WHERE id = $1 AND status = 'reserved'`, [v.resource_id]);
  return true;
}

/**
 * Releases a reservation: a whole resource is available again; a stock gets back what was not consumed,
 * and what was consumed leaves its total. False when already released.
 */
export async function markReleased(db: Executor, v: ReservationRecord, consumed: number, note: string | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE resource_reservation SET status = 'released', released_at = now(), consumed = $2, note = coalesce($3, note) WHERE id = $1 AND status <> 'released'`,
    [v.id, consumed, note],
  );
  if (rowCount !== 1) return false;
  if (v.is_stock) {
    await db.query(
      `UPDATE resource SET quantity_available = quantity_available + ($2::int - $3::int), quantity_total = quantity_total - $3::int, modified_at = now() WHERE id = $1`,
      [v.resource_id, v.quantity, consumed],
    );
  } else {
    await db.query(`UPDATE resource SET status = 'available', modified_at = now() WHERE id = $1 AND status IN ('reserved', 'dispatched')`, [v.resource_id]);
  }
  return true;
}

/** An organization's kind, region and whether it is active, for checking a resource's owner. */
export async function findOwnerOrganization(db: Executor, id: string): Promise<{ kind: OwnerKind; region_code: string; active: boolean } | undefined> {
  const { rows } = await db.query<{ kind: OwnerKind; region_code: string; active: boolean }>('SELECT kind, region_code, active FROM organization WHERE id = $1', [id]);
  return rows[0];
}
