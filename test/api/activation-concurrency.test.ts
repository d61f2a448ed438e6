// SPDX-License-Identifier: Apache-2.0
// Plan activation under concurrency: 200 incidents activate a plan at the same moment, each needing one
// resource of a type of which 50 exist. Exactly 50 activations get one, the other 150 activate with the
// shortfall reported, and no resource is ever reserved or dispatched twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationDetail } from '../../contracts/dispatch-activations.ts';
import type { ReportOutcome } from '../../contracts/dispatch-incidents.ts';
import type { PlanDetail } from '../../contracts/dispatch-plans.ts';
import type { Region } from '../../contracts/regions.ts';
import { ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
let dispatcher: string;
let countyA: string;
let centre: [number, number];
const incidents: string[] = [];

beforeAll(async () => {
  p = await createTestPlatform();
  dispatcher = await p.login('dispatcher');
  const operator = await p.login('operator-a');
  const sys = await p.login('sysadmin');
  countyA = p.account('operator-a').scope as string;
  centre = ok<Region>(await p.call('GET', `/api/regions/${countyA}`, { as: operator })).centroid as [number, number];
  ok(await p.call('POST', '/api/resource-types', { as: sys, body: { code: 'race-boat', category: 'vehicle', nameZh: '竞争测试冲锋舟', nameEn: 'Race boat', unit: '艘', speedKmh: 30 } }), 201);
  for (let i = 0; i < 50; i++) {
    const location = [centre[0] + (i % 10) * 0.002, centre[1] + Math.floor(i / 10) * 0.002];
    ok(await p.call('POST', '/api/resources', { as: operator, body: { name: `冲锋舟${i}`, type: 'race-boat', regionCode: countyA, location } }), 201);
  }
  const plan = ok<PlanDetail>(await p.call('POST', '/api/plans', {
    as: dispatcher,
    body: {
      code: 'landslide-race', name: '滑坡竞争测试预案', scenarioType: 'landslide', regionCode: countyA, applicableRegions: [countyA], triggers: [],
      levels: [{ level: 'IV', steps: [{ key: 'rescue', title: '转移受威胁群众', roleKey: 'county-emergency-bureau', deadlineMinutes: 60 }], resources: [{ resourceType: 'race-boat', quantity: 1, maxTravelMinutes: 1440 }] }],
    },
  }), 201);
  for (const action of ['review', 'publish']) ok(await p.call('POST', `/api/plans/${plan.id}/versions/1/transitions`, { as: dispatcher, body: { action } }));
  ok(await p.call('PUT', `/api/plans/${plan.id}/versions/1/binding`, { as: dispatcher, body: { regionCode: countyA, auto: true, bindings: [] } }));
  // 200 landslides on a grid of ~440 m, far enough apart not to be taken for duplicates
  for (let i = 0; i < 200; i++) {
    const body = { typeCode: 'landslide', grade: 'IV', regionCode: countyA, lon: centre[0] - 0.03 + (i % 15) * 0.004, lat: centre[1] - 0.03 + Math.floor(i / 15) * 0.004, title: `滑坡${i}` };
    const out = ok<ReportOutcome>(await p.call('POST', '/api/incidents', { as: dispatcher, body }), 201);
    expect(out.duplicate).toBe(false);
    incidents.push(out.incident.id);
  }
}, 180_000);
afterAll(async () => {
  await p?.stop();
});

describe(`concurrent activations (${process.env.YZ_TEST_ENGINE === 'server' ? 'PostgreSQL server' : 'embedded'})`, () => {
  it('200 simultaneous activations competing for 50 resources: 50 served, 150 short, zero double reservations', async () => {
    const answers = await Promise.all(incidents.map((id) => p.call('POST', `/api/incidents/${id}/activations`, { as: dispatcher, body: {} })));
    for (const a of answers) expect(a.status, a.text.slice(0, 300)).toBe(201);
    const details = answers.map((a) => a.body as ActivationDetail);
    const served = details.filter((d) => d.orders.length === 1);
    const short = details.filter((d) => d.orders.length === 0);
    expect(served).toHaveLength(50);
    expect(short).toHaveLength(150);
    expect(short.every((d) => d.requests[0]?.shortfall === 1 && d.summary.shortfall === 1)).toBe(true);
    expect(details.every((d) => d.tasks.length === 1)).toBe(true);
    const db = p.deps.db.pool;
    const doubles = await db.query(`SELECT resource_id FROM resource_reservation WHERE status <> 'released' GROUP BY resource_id HAVING count(*) > 1`);
    expect(doubles.rows).toEqual([]);
    const orders = await db.query<{ n: number; d: number }>(`SELECT count(*)::int AS n, count(DISTINCT resource_id)::int AS d FROM dispatch_order`);
    expect(orders.rows[0]).toEqual({ n: 50, d: 50 });
    const boats = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM resource WHERE type_code = 'race-boat' GROUP BY status`);
    expect(boats.rows).toEqual([{ status: 'dispatched', n: 50 }]);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM activation WHERE status = 'active'`)).rows[0]?.n).toBe(200);
  }, 240_000);
});
