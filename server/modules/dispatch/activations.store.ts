// SPDX-License-Identifier: Apache-2.0
// SQL for plan activations, their resource requests and dispatch orders.
import type { ActivationStatus, OrderStatus } from '../../../contracts/dispatch-activations.ts';
import type { Grade } from '../../../contracts/dispatch-incidents.ts';
import type { Executor } from '../../platform/db.ts';

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;
const REGION_NAME = (code: string) => `(SELECT rg.name FROM region rg WHERE rg.code = ${code} AND rg.valid_to IS NULL LIMIT 1)`;

export type ActivationRecord = {
  id: string;
  incident_id: string;
  incident_title: string | null;
  plan_id: string;
  plan_code: string;
  plan_name: string;
  version: number;
  level: Grade;
  region_code: string;
  region_name: string | null;
  binding_region_code: string;
  exercise: boolean;
  status: ActivationStatus;
  plan_use_id: string;
  note: string | null;
  activated_by_name: string;
  activated_at: Date;
  stood_down_at: Date | null;
  orders: number;
  open_orders: number;
  shortfall: number;
};

const SELECT_ACTIVATION = `SELECT a.*, i.title AS incident_title, p.code AS plan_code, v.name AS plan_name, ${REGION_NAME('a.region_code')} AS region_name,
    (SELECT count(*)::int FROM dispatch_order o WHERE o.activation_id = a.id) AS orders,
    (SELECT count(*)::int FROM dispatch_order o WHERE o.activation_id = a.id AND o.status <> 'released') AS open_orders,
    (SELECT coalesce(sum(q.quantity - q.reserved), 0)::int FROM resource_request q WHERE q.activation_id = a.id) AS shortfall
  FROM activation a
  JOIN incident i ON i.id = a.incident_id
  JOIN plan p ON p.id = a.plan_id
  JOIN plan_version v ON v.plan_id = a.plan_id AND v.version = a.version`;

export async function findActivation(db: Executor, id: string, forUpdate = false): Promise<ActivationRecord | undefined> {
  const { rows } = await db.query<ActivationRecord>(`${SELECT_ACTIVATION} WHERE a.id = $1${forUpdate ? ' FOR UPDATE OF a' : ''}`, [id]);
  return rows[0];
}

export async function activeActivationOf(db: Executor, incidentId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM activation WHERE incident_id = $1 AND status = 'active'`, [incidentId]);
  return rows[0]?.id;
}

export type ActivationFilter = { scopePrefix: string; incidentId?: string; status?: ActivationStatus; regionPrefix?: string; exercise?: boolean };

export async function listActivations(db: Executor, f: ActivationFilter, limit: number, offset: number): Promise<{ rows: ActivationRecord[]; total: number }> {
  const values: unknown[] = [like(f.scopePrefix)];
  const clauses = ['a.region_code LIKE $1'];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(sql(`$${values.length}`));
  };
  if (f.incidentId) add((n) => `a.incident_id = ${n}`, f.incidentId);
  if (f.status) add((n) => `a.status = ${n}`, f.status);
  if (f.regionPrefix !== undefined) add((n) => `a.region_code LIKE ${n}`, like(f.regionPrefix));
  if (f.exercise !== undefined) add((n) => `a.exercise = ${n}`, f.exercise);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM activation a ${where}`, values);
  const { rows } = await db.query<ActivationRecord>(`${SELECT_ACTIVATION} ${where} ORDER BY a.activated_at DESC, a.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export async function insertActivation(
  tx: Executor,
  a: { id: string; incident_id: string; plan_id: string; version: number; level: Grade; region_code: string; binding_region_code: string; exercise: boolean; plan_use_id: string; note: string | null; activated_by: string | null; activated_by_name: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO activation (id, incident_id, plan_id, version, level, region_code, binding_region_code, exercise, plan_use_id, note, activated_by, activated_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [a.id, a.incident_id, a.plan_id, a.version, a.level, a.region_code, a.binding_region_code, a.exercise, a.plan_use_id, a.note, a.activated_by, a.activated_by_name],
  );
}

export async function markStoodDown(tx: Executor, id: string, note: string): Promise<void> {
  await tx.query(`UPDATE activation SET status = 'stood-down', stood_down_at = now(), stood_down_note = $2 WHERE id = $1`, [id, note]);
}

export type RequestRecord = {
  id: string;
  activation_id: string;
  position: number;
  resource_type: string;
  capability: string | null;
  quantity: number;
  max_travel_minutes: number;
  reserved: number;
  borrowed: number;
};

export async function insertRequest(tx: Executor, r: RequestRecord): Promise<void> {
  await tx.query(
    `INSERT INTO resource_request (id, activation_id, position, resource_type, capability, quantity, max_travel_minutes, reserved, borrowed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [r.id, r.activation_id, r.position, r.resource_type, r.capability, r.quantity, r.max_travel_minutes, r.reserved, r.borrowed],
  );
}

export async function listRequests(db: Executor, activationId: string): Promise<RequestRecord[]> {
  const { rows } = await db.query<RequestRecord>('SELECT * FROM resource_request WHERE activation_id = $1 ORDER BY position', [activationId]);
  return rows;
}

export type OrderRecord = {
  id: string;
  activation_id: string;
  request_id: string;
  incident_id: string;
  incident_title: string | null;
  reservation_id: string;
  resource_id: string;
  resource_name: string;
  resource_type: string;
  resource_lon: number;
  resource_lat: number;
  resource_position_at: Date | null;
  owner_organization_id: string;
  owner_organization_name: string | null;
  region_code: string;
  region_name: string | null;
  incident_region_code: string;
  quantity: number;
  consumed: number;
  borrowed: boolean;
  distance_km: number;
  travel_minutes: number;
  exercise: boolean;
  status: OrderStatus;
  sent_at: Date;
  acknowledged_at: Date | null;
  en_route_at: Date | null;
  on_scene_at: Date | null;
  released_at: Date | null;
  note: string | null;
};

const SELECT_ORDER = `SELECT o.*, i.title AS incident_title, r.name AS resource_name, r.type_code AS resource_type, r.owner_organization_id,
    r.location[0] AS resource_lon, r.location[1] AS resource_lat, r.position_at AS resource_position_at,
    org.name AS owner_organization_name, ${REGION_NAME('o.region_code')} AS region_name
  FROM dispatch_order o
  JOIN incident i ON i.id = o.incident_id
  JOIN resource r ON r.id = o.resource_id
  LEFT JOIN organization org ON org.id = r.owner_organization_id`;

export async function insertOrder(
  tx: Executor,
  o: { id: string; activation_id: string; request_id: string; incident_id: string; reservation_id: string; resource_id: string; region_code: string; incident_region_code: string; quantity: number; borrowed: boolean; distance_km: number; travel_minutes: number; exercise: boolean },
): Promise<void> {
  await tx.query(
    `INSERT INTO dispatch_order (id, activation_id, request_id, incident_id, reservation_id, resource_id, region_code, incident_region_code, quantity, borrowed, distance_km, travel_minutes, exercise)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [o.id, o.activation_id, o.request_id, o.incident_id, o.reservation_id, o.resource_id, o.region_code, o.incident_region_code, o.quantity, o.borrowed, o.distance_km, o.travel_minutes, o.exercise],
  );
}

export async function findOrder(db: Executor, id: string, forUpdate = false): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRecord>(`${SELECT_ORDER} WHERE o.id = $1${forUpdate ? ' FOR UPDATE OF o' : ''}`, [id]);
  return rows[0];
}

export type OrderFilter = {
  scopePrefix: string;
  onlyOrganizationId?: string;
  activationId?: string;
  incidentId?: string;
  statuses?: readonly OrderStatus[];
  regionPrefix?: string;
  exercise?: boolean;
};

/** Orders whose incident or resource lies in the scope (a social member: its organization's resources). */
export async function listOrders(db: Executor, f: OrderFilter, limit: number, offset: number): Promise<{ rows: OrderRecord[]; total: number }> {
  const values: unknown[] = [like(f.scopePrefix)];
  const clauses = ['(o.incident_region_code LIKE $1 OR o.region_code LIKE $1)'];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(sql(`$${values.length}`));
  };
  if (f.onlyOrganizationId) add((n) => `r.owner_organization_id = ${n}`, f.onlyOrganizationId);
  if (f.activationId) add((n) => `o.activation_id = ${n}`, f.activationId);
  if (f.incidentId) add((n) => `o.incident_id = ${n}`, f.incidentId);
  if (f.statuses?.length) add((n) => `o.status = ANY (${n})`, f.statuses);
  if (f.regionPrefix !== undefined) add((n) => `(o.incident_region_code LIKE ${n} OR o.region_code LIKE ${n})`, like(f.regionPrefix));
  if (f.exercise !== undefined) add((n) => `o.exercise = ${n}`, f.exercise);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dispatch_order o JOIN resource r ON r.id = o.resource_id ${where}`, values);
  const { rows } = await db.query<OrderRecord>(`${SELECT_ORDER} ${where} ORDER BY o.sent_at DESC, o.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, limit, offset]);
  return { rows, total: total.rows[0]?.n ?? 0 };
}

const STAMP: Record<Exclude<OrderStatus, 'sent'>, string> = { acknowledged: 'acknowledged_at', en_route: 'en_route_at', on_scene: 'on_scene_at', released: 'released_at' };

export async function moveOrder(tx: Executor, id: string, to: Exclude<OrderStatus, 'sent'>, note: string | null, consumed?: number): Promise<void> {
  await tx.query(
    `UPDATE dispatch_order SET status = $2, ${STAMP[to]} = now(), note = coalesce($3, note), consumed = coalesce($4, consumed) WHERE id = $1`,
    [id, to, note, consumed ?? null],
  );
}
