// SPDX-License-Identifier: Apache-2.0
// Simulation (仿真推演) over the demo year: replays the incidents of a city against the resources and the
// plans, deterministic for a seed, with a variant side by side; runs are kept; bad input and scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulation, SimulationSummary } from '../../contracts/dispatch-simulation.ts';
import type { Organization } from '../../contracts/identity.ts';
import { seedDemoIncidents, seedDemoPlans, seedDemoResources } from '../../server/modules/dispatch/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import { expectProblem, ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let cityA: string;

const as = (who: string) => p.login(who);
const post = async (who: string, url: string, body: unknown) => p.call('POST', url, { as: await as(who), body });
const get = async (who: string, url: string) => p.call('GET', url, { as: await as(who) });
/** A run without what differs between runs of the same input. */
const stable = (s: Simulation) => ({ ...s, id: undefined, createdAt: undefined, elapsedMs: undefined });

beforeAll(async () => {
  p = await createTestPlatform();
  countyA = p.account('operator-a').scope as string;
  cityA = p.account('dispatcher').scope as string;
  const province = `${countyA.slice(0, 2)}0000000000`;
  const orgs = ok<Page<Organization>>(await get('sysadmin', `/api/organizations?regionCode=${province}&limit=1000`)).items;
  const owner = orgs.find((o) => o.regionCode === province && o.departmentType === 'emergency-management') as Organization;
  const ctx = systemContext('test');
  await seedDemoResources(p.deps, ctx, { seed: 3, provinceCode: province });
  await seedDemoPlans(p.deps, ctx, { provinceCode: province, ownerOrganizationId: owner.id, bindRegions: [countyA] });
  await seedDemoIncidents(p.deps, ctx, { seed: 3, now: new Date('2026-11-01T00:00:00+08:00') });
}, 120_000);
afterAll(async () => {
  await p?.stop();
});

describe('simulation', () => {
  let first: Simulation;

  it('replays the year of a city against its resources and plans', async () => {
    first = ok<Simulation>(await post('dispatcher', '/api/simulations', { regionCode: cityA, from: '2025-11-01', to: '2026-11-01', seed: 7 }), 201);
    expect(first).toMatchObject({ regionCode: cityA, from: '2025-11-01', to: '2026-11-01', seed: 7, planId: null });
    expect(first.incidents).toBeGreaterThan(100);
    expect(first.withoutPlan).toBeLessThan(first.incidents);
    expect(first.resources).toBeGreaterThan(0);
    const [base] = first.variants;
    expect(base?.name).toBe('现状');
    expect(base?.incidentsWithRequests).toBeGreaterThan(0);
    // the histogram counts every incident fully served, and the percentiles are ordered
    const served = (base?.incidentsWithRequests ?? 0) - (base?.unmet.incidents ?? 0);
    expect(base?.histogram.reduce((n, b) => n + b.count, 0)).toBe(served);
    const r = base?.responseMinutes;
    if (served > 0) expect((r?.p50 ?? 0) <= (r?.p95 ?? 0) && (r?.p95 ?? 0) <= (r?.max ?? 0)).toBe(true);
    expect(base?.dispatched.length).toBeGreaterThan(0);
  });

  it('is deterministic for a seed', async () => {
    const again = ok<Simulation>(await post('dispatcher', '/api/simulations', { regionCode: cityA, from: '2025-11-01', to: '2026-11-01', seed: 7 }), 201);
    expect(again.id).not.toBe(first.id);
    expect(stable(again)).toEqual(stable(first));
  });

  it('compares variants side by side: fewer pump trucks leave more unmet, more never leave more', async () => {
    const run = ok<Simulation>(await post('dispatcher', '/api/simulations', {
      regionCode: cityA, from: '2025-11-01', to: '2026-11-01', seed: 7,
      variants: [
        { name: '甲县增加两台泵车', changes: [{ type: 'pump-truck', regionCode: countyA, delta: 2 }] },
        { name: '全市无泵车', changes: [{ type: 'pump-truck', regionCode: cityA, delta: -1000 }] },
      ],
    }), 201);
    expect(run.variants.map((v) => v.name)).toEqual(['现状', '甲县增加两台泵车', '全市无泵车']);
    const unmetTrucks = (v: Simulation['variants'][number] | undefined) => v?.unmet.byType.find((t) => t.type === 'pump-truck')?.units ?? 0;
    const [base, more, none] = run.variants;
    expect(stable({ ...run, variants: [base as Simulation['variants'][number]] })).toEqual(stable(first));
    expect(unmetTrucks(more)).toBeLessThanOrEqual(unmetTrucks(base));
    const asked = (none?.dispatched.find((t) => t.type === 'pump-truck')?.units ?? 0);
    expect(asked).toBe(0);
    expect(unmetTrucks(none)).toBeGreaterThan(unmetTrucks(base));
  });

  it('replays with one plan only, when asked', async () => {
    const plans = ok<Page<{ id: string; code: string }>>(await get('dispatcher', '/api/plans?limit=100')).items;
    const flood = plans.find((x) => x.code === 'flood-response') as { id: string };
    const run = ok<Simulation>(await post('dispatcher', '/api/simulations', { regionCode: cityA, from: '2025-11-01', to: '2026-11-01', planId: flood.id, version: 1 }), 201);
    expect(run).toMatchObject({ planId: flood.id, version: 1 });
    expect(run.withoutPlan).toBeGreaterThan(first.withoutPlan);
  });

  it('keeps runs, listed in scope', async () => {
    const list = ok<Page<SimulationSummary>>(await get('dispatcher', '/api/simulations'));
    expect(list.total).toBe(4);
    expect(list.items[0]?.variantNames).toEqual(['现状']);
    expect(ok<Simulation>(await get('dispatcher', `/api/simulations/${first.id}`)).variants).toEqual(first.variants);
    expect(ok<Page<SimulationSummary>>(await get('operator-b', '/api/simulations')).total).toBe(0);
    expectProblem(await get('operator-b', `/api/simulations/${first.id}`), 403);
    expectProblem(await get('dispatcher', '/api/simulations/00000000-0000-4000-8000-000000000000'), 404);
  });

  it('refuses bad input with the fields named, and what is outside the scope', async () => {
    const bad = async (body: unknown) => expectProblem(await post('dispatcher', '/api/simulations', body), 400);
    await bad({});
    await bad({ regionCode: cityA, from: '2026-02-30' });
    await bad({ regionCode: cityA, from: '2026-06-01', to: '2026-05-01' });
    await bad({ regionCode: cityA, from: '2020-01-01', to: '2026-01-01' });
    await bad({ regionCode: '999999999999' });
    await bad({ regionCode: cityA, version: 2 });
    await bad({ regionCode: cityA, planId: '00000000-0000-4000-8000-000000000000' });
    await bad({ regionCode: cityA, variants: [{ name: 'x', changes: [{ type: 'hovercraft', regionCode: countyA, delta: 1 }] }] });
    await bad({ regionCode: cityA, variants: [{ name: 'x', changes: [{ type: 'pump-truck', regionCode: countyA, delta: 0 }] }] });
    await bad({ regionCode: cityA, variants: [{ name: '现状', changes: [{ type: 'pump-truck', regionCode: countyA, delta: 1 }] }] });
    await bad({ regionCode: cityA, seed: -1 });
    expectProblem(await post('operator-b', '/api/simulations', { regionCode: cityA }), 403);
    expectProblem(await post('social-member', '/api/simulations', { regionCode: countyA }), 403);
    expect(ok<Page<SimulationSummary>>(await get('dispatcher', '/api/simulations')).total).toBe(4);
  });
});
