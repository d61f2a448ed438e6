// SPDX-License-Identifier: Apache-2.0
// Reservation under concurrency: many simultaneous attempts at the same resources never reserve one twice.
// Read-then-write would double-book here; the conditional UPDATE and the database backstop must not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource, ReservationResult } from '../../contracts/dispatch-resources.ts';
import type { Region } from '../../contracts/regions.ts';
import { createTestPlatform, type TestPlatform, type TestResponse } from '../helpers/platform.ts';

let p: TestPlatform;
let operator: string;
let dispatcher: string;
let countyA: string;
let centre: [number, number];

function ok<T>(res: TestResponse, status = 200): T {
  expect(res.status, `${res.status} ${res.text.slice(0, 400)}`).toBe(status);
  return res.body as T;
}

async function makeResources(type: string, n: number, extra: Record<string, unknown> = {}): Promise<Resource[]> {
  const out: Resource[] = [];
  for (let i = 0; i < n; i++) {
    const body = { name: `${type} ${i}`, type, regionCode: countyA, location: [centre[0] + (i % 10) * 0.001, centre[1] + Math.floor(i / 10) * 0.001], ...extra };
    out.push(ok<Resource>(await p.call('POST', '/api/resources', { as: operator, body }), 201));
  }
  return out;
}

/** Fires every attempt at once and counts the answers by status. */
async function race(bodies: unknown[]): Promise<Map<number, number>> {
  const answers = await Promise.all(bodies.map((body) => p.call('POST', '/api/resources/reservations', { as: dispatcher, body })));
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  for (const a of answers) if (a.status !== 201) expect(a.status, a.text).toBe(409);
  return counts;
}

beforeAll(async () => {
  p = await createTestPlatform();
  operator = await p.login('operator-a');
  dispatcher = await p.login('dispatcher');
  countyA = p.account('operator-a').scope as string;
  centre = ok<Region>(await p.call('GET', `/api/regions/${countyA}`, { as: operator })).centroid as [number, number];
  const sys = await p.login('sysadmin');
  ok(await p.call('POST', '/api/resource-types', { as: sys, body: { code: 'race-truck', category: 'vehicle', nameZh: '竞争测试车', nameEn: 'Race truck', unit: '辆', speedKmh: 40 } }), 201);
  ok(await p.call('POST', '/api/resource-types', { as: sys, body: { code: 'race-stock', category: 'stock', nameZh: '竞争测试物资', nameEn: 'Race stock', unit: '件', isStock: true, speedKmh: 30 } }), 201);
});
afterAll(async () => {
  await p?.stop();
});

describe(`concurrent reservations (${process.env.YZ_TEST_ENGINE === 'server' ? 'PostgreSQL server' : 'embedded'})`, () => {
  it('200 simultaneous attempts at 50 resources reserve exactly 50, none twice', async () => {
    const list = await makeResources('race-truck', 50);
    const bodies = Array.from({ length: 200 }, (_, i) => ({ requestRef: `race-${i}`, items: [{ resourceId: (list[i % 50] as Resource).id }] }));
    const counts = await race(bodies);
    expect(counts.get(201)).toBe(50);
    expect(counts.get(409)).toBe(150);
    const db = p.deps.db.pool;
    const doubles = await db.query(`SELECT resource_id FROM resource_reservation WHERE status <> 'released' GROUP BY resource_id HAVING count(*) > 1`);
    expect(doubles.rows).toEqual([]);
    const held = await db.query<{ n: number }>(
      `SELECT count(DISTINCT v.resource_id)::int AS n FROM resource_reservation v JOIN resource r ON r.id = v.resource_id WHERE r.type_code = 'race-truck' AND v.status = 'reserved'`,
    );
    expect(held.rows[0]?.n).toBe(50);
    const statuses = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM resource WHERE type_code = 'race-truck' GROUP BY status`);
    expect(statuses.rows).toEqual([{ status: 'reserved', n: 50 }]);
  });

  it('overlapping multi-item requests are all or nothing and never deadlock', async () => {
    const list = await makeResources('race-truck', 20);
    const id = (k: number) => (list[k % 20] as Resource).id;
    const bodies = Array.from({ length: 200 }, (_, i) => ({ requestRef: `pair-${i}`, items: [{ resourceId: id(i) }, { resourceId: id(i * 7 + 3) === id(i) ? id(i + 1) : id(i * 7 + 3) }] }));
    const counts = await race(bodies);
    const won = counts.get(201) ?? 0;
    expect(won).toBeGreaterThan(0);
    expect(won).toBeLessThanOrEqual(10);
    const ids = list.map((r) => r.id);
    const rows = await p.deps.db.pool.query<{ resource_id: string; request_ref: string }>(
      `SELECT resource_id, request_ref FROM resource_reservation WHERE resource_id = ANY ($1::uuid[]) AND status <> 'released'`,
      [ids],
    );
    expect(new Set(rows.rows.map((r) => r.resource_id)).size).toBe(rows.rows.length);
    // every winning request holds both of its items; no loser holds any
    const perRequest = new Map<string, number>();
    for (const r of rows.rows) perRequest.set(r.request_ref, (perRequest.get(r.request_ref) ?? 0) + 1);
    expect([...perRequest.values()].every((n) => n === 2)).toBe(true);
    expect(perRequest.size).toBe(won);
    const reserved = await p.deps.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE id = ANY ($1::uuid[]) AND status = 'reserved'`, [ids]);
    expect(reserved.rows[0]?.n).toBe(2 * won);
  });

  it('200 simultaneous attempts at a stock of 50 take exactly 50, and it never goes below zero', async () => {
    const [stock] = await makeResources('race-stock', 1, { quantity: 50 });
    const bodies = Array.from({ length: 200 }, (_, i) => ({ requestRef: `stock-${i}`, items: [{ resourceId: (stock as Resource).id, quantity: 1 }] }));
    const counts = await race(bodies);
    expect(counts.get(201)).toBe(50);
    const row = await p.deps.db.pool.query<{ quantity_available: number; quantity_total: number; reserved: number }>(
      `SELECT r.quantity_available, r.quantity_total, (SELECT sum(quantity)::int FROM resource_reservation v WHERE v.resource_id = r.id AND v.status <> 'released') AS reserved
         FROM resource r WHERE r.id = $1`,
      [(stock as Resource).id],
    );
    expect(row.rows[0]).toEqual({ quantity_available: 0, quantity_total: 50, reserved: 50 });
  });

  it('releases racing with reservations keep the books balanced', async () => {
    const [stock] = await makeResources('race-stock', 1, { quantity: 20 });
    const sid = (stock as Resource).id;
    const first = ok<ReservationResult>(await p.call('POST', '/api/resources/reservations', { as: dispatcher, body: { requestRef: 'hold', items: [{ resourceId: sid, quantity: 20 }] } }), 201);
    const holdId = first.items[0]?.id as string;
    const attempts = [
      p.call('POST', `/api/resources/reservations/${holdId}/release`, { as: dispatcher, body: { consumed: 5 } }),
      ...Array.from({ length: 40 }, (_, i) => p.call('POST', '/api/resources/reservations', { as: dispatcher, body: { requestRef: `after-${i}`, items: [{ resourceId: sid, quantity: 1 }] } })),
    ];
    const answers = await Promise.all(attempts);
    expect(answers[0]?.status).toBe(200);
    const won = answers.slice(1).filter((a) => a.status === 201).length;
    expect(answers.slice(1).every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(won).toBeLessThanOrEqual(15);
    const row = await p.deps.db.pool.query<{ quantity_available: number; quantity_total: number }>('SELECT quantity_available, quantity_total FROM resource WHERE id = $1', [sid]);
    expect(row.rows[0]).toEqual({ quantity_available: 15 - won, quantity_total: 15 });
  });
});
