// SPDX-License-Identifier: Apache-2.0
// Dispatchable resources (可调度资源): registration by region, a social organization's member confined to
// their organization, nearest matching ranked by travel time, borrowing from the parent region,
// agreements, stocks, reservations and release, tracker positions, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contracts/audit.ts';
import type { ProposalResult, Reservation, ReservationResult, Resource, ResourceType } from '../../contracts/dispatch-resources.ts';
import type { Organization } from '../../contracts/identity.ts';
import { scopePrefixOf } from '../../contracts/region-codes.ts';
import type { Region } from '../../contracts/regions.ts';
import { systemContext } from '../../server/platform/context.ts';
import { dispatchReservation, seedDemoResources } from '../../server/modules/dispatch/index.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { expectProblem, ok } from '../helpers/expect.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let countyB: string;
let cityA: string;
let otherCountyInCityA: string;
let centreA: [number, number];
let centreB: [number, number];
let centreOther: [number, number];
let govOrgA: string;
let socialOrgA: string;
let otherSocialOrgA: string | undefined;

const as = (who: string) => p.login(who);
const post = async (who: string, url: string, body: unknown) => p.call('POST', url, { as: await as(who), body });
const get = async (who: string, url: string) => p.call('GET', url, { as: await as(who) });

async function makeType(code: string, speedKmh: number, isStock = false): Promise<void> {
  ok(await post('sysadmin', '/api/resource-types', { code, category: isStock ? 'stock' : 'vehicle', nameZh: code, nameEn: code, unit: '件', isStock, speedKmh }), 201);
}
async function make(who: string, body: Record<string, unknown>): Promise<Resource> {
  return ok<Resource>(await post(who, '/api/resources', body), 201);
}
const offset = (c: [number, number], dLon: number, dLat: number): [number, number] => [Math.round((c[0] + dLon) * 1e6) / 1e6, Math.round((c[1] + dLat) * 1e6) / 1e6];
// One hundredth of a degree of latitude on the mean sphere (R = 6371.0088 km): 1.11195 km.
const KM_PER_CENTIDEGREE_LAT = (6371.0088 * Math.PI) / 180 / 100;

beforeAll(async () => {
  p = await createTestPlatform();
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  cityA = p.account('dispatcher').scope as string;
  const sys = await as('sysadmin');
  const region = async (code: string) => ok<Region>(await p.call('GET', `/api/regions/${code}`, { as: sys }));
  centreA = (await region(countyA)).centroid as [number, number];
  centreB = (await region(countyB)).centroid as [number, number];
  const counties = ok<Region[] | { items: Region[] }>(await p.call('GET', `/api/regions/${cityA}/children`, { as: sys }));
  const list = Array.isArray(counties) ? counties : counties.items;
  otherCountyInCityA = (list.find((c) => c.code !== countyA) as Region).code;
  centreOther = (await region(otherCountyInCityA)).centroid as [number, number];
  const orgs = ok<Page<Organization>>(await p.call('GET', `/api/organizations?regionCode=${countyA}&limit=1000`, { as: sys })).items;
  govOrgA = (orgs.find((o) => o.kind === 'government') as Organization).id;
  const me = ok<{ organizationId: string }>(await get('social-member', '/api/auth/me'));
  socialOrgA = me.organizationId;
  otherSocialOrgA = orgs.find((o) => o.kind === 'social' && o.id !== socialOrgA)?.id;
});
afterAll(async () => {
  await p?.stop();
});

describe('the type catalog', () => {
  it('lists the built-in types with unit, stock flag and speed; only the system administrator adds one', async () => {
    const types = ok<{ items: ResourceType[] }>(await get('viewer', '/api/resource-types')).items;
    expect(types.find((t) => t.code === 'pump-truck')).toMatchObject({ category: 'vehicle', nameZh: '排涝泵车', isStock: false, speedKmh: 40 });
    expect(types.find((t) => t.code === 'sandbags')).toMatchObject({ isStock: true, unit: '条' });
    expectProblem(await post('operator-a', '/api/resource-types', { code: 'boat', category: 'vehicle', nameZh: '冲锋舟', nameEn: 'Boat', unit: '艘', speedKmh: 20 }), 403, 'forbidden');
    await makeType('rubber-boat', 20);
    expectProblem(await post('sysadmin', '/api/resource-types', { code: 'rubber-boat', category: 'vehicle', nameZh: 'x', nameEn: 'x', unit: 'x', speedKmh: 20 }), 409);
    expectProblem(await post('sysadmin', '/api/resource-types', { code: 'bad-stock', category: 'stock', nameZh: 'x', nameEn: 'x', unit: 'x', speedKmh: 20 }), 400);
    expectProblem(await get('auditadmin', '/api/resource-types'), 403);
  });
});

describe('registration and scope', () => {
  let truckA: Resource;
  let truckB: Resource;

  it('an operator registers a resource in their county; its region comes from its location', async () => {
    truckA = await make('operator-a', { name: '甲县排涝泵车1号', type: 'pump-truck', capabilities: ['drainage'], location: centreA });
    expect(truckA).toMatchObject({ type: 'pump-truck', typeName: '排涝泵车', status: 'available', ownerKind: 'government', offered: true, isStock: false, quantityTotal: null });
    expect(truckA.regionCode.startsWith(scopePrefixOf(countyA))).toBe(true);
    expect(truckA.regionName).toBeTruthy();
    truckB = await make('operator-b', { name: '乙县排涝泵车1号', type: 'pump-truck', capabilities: ['drainage'], location: centreB });
    expect(ok<Resource>(await get('operator-a', `/api/resources/${truckA.id}`)).id).toBe(truckA.id);
  });

  it('writes the audit record and the outbox event with the change', async () => {
    const audit = ok<Page<AuditRecord>>(await get('auditadmin', '/api/audit?action=resource.created&limit=100'));
    expect(audit.items.map((a) => a.resourceId)).toContain(truckA.id);
    const events = await p.deps.db.pool.query<{ topic: string }>(`SELECT topic FROM outbox WHERE aggregate_id = $1`, [truckA.id]);
    expect(events.rows.map((e) => e.topic)).toEqual(['resource.created']);
  });

  it('keeps each county to its own resources', async () => {
    expectProblem(await get('operator-a', `/api/resources/${truckB.id}`), 403, 'forbidden');
    expectProblem(await post('operator-a', '/api/resources', { name: 'x', type: 'pump-truck', location: centreB }), 403, 'forbidden');
    expectProblem(await post('operator-a', '/api/resources', { name: 'x', type: 'pump-truck', regionCode: countyB, location: centreB }), 403, 'forbidden');
    expectProblem(await p.call('PATCH', `/api/resources/${truckB.id}`, { as: await as('operator-a'), body: { name: 'taken over' } }), 403);
    const listA = ok<Page<Resource>>(await get('operator-a', '/api/resources?limit=1000'));
    expect(listA.items.every((r) => r.regionCode.startsWith(scopePrefixOf(countyA)))).toBe(true);
    expect(listA.items.map((r) => r.id)).toContain(truckA.id);
    const all = ok<Page<Resource>>(await get('viewer', '/api/resources?type=pump-truck&limit=1000'));
    expect(all.items.map((r) => r.id)).toEqual(expect.arrayContaining([truckA.id, truckB.id]));
    // viewers and task handlers read, but do not write
    expectProblem(await p.call('PATCH', `/api/resources/${truckA.id}`, { as: await as('viewer'), body: { name: 'x' } }), 403);
    expectProblem(await post('task-handler', '/api/resources', { name: 'x', type: 'pump-truck', location: centreA }), 403);
  });

  it('filters by type, status, capability, region, owner kind and text, with pagination', async () => {
    await make('operator-a', { name: '甲县救护车1号', type: 'ambulance', capabilities: ['medical'], location: offset(centreA, 0.01, 0) });
    await make('operator-a', { name: '甲县救护车2号', type: 'ambulance', capabilities: ['medical'], location: offset(centreA, 0.02, 0), status: 'unavailable' });
    const q = async (query: string) => ok<Page<Resource>>(await get('province-admin', `/api/resources?${query}`));
    expect((await q('type=ambulance')).total).toBe(2);
    expect((await q('type=ambulance&status=unavailable')).items.map((r) => r.name)).toEqual(['甲县救护车2号']);
    expect((await q('capability=medical')).total).toBe(2);
    expect((await q(`regionCode=${countyB}`)).items.map((r) => r.id)).toEqual([truckB.id]);
    expect((await q('ownerKind=social')).total).toBe(0);
    expect((await q(`q=${encodeURIComponent('救护车2')}`)).items.map((r) => r.name)).toEqual(['甲县救护车2号']);
    const paged = await q('limit=1&offset=1');
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBe(4);
  });

  it('changes status by hand only between available and unavailable', async () => {
    const down = ok<Resource>(await post('operator-a', `/api/resources/${truckA.id}/status`, { status: 'unavailable', note: '检修' }));
    expect(down.status).toBe('unavailable');
    expect(ok<Resource>(await post('operator-a', `/api/resources/${truckA.id}/status`, { status: 'available' })).status).toBe('available');
    expectProblem(await post('operator-a', `/api/resources/${truckA.id}/status`, { status: 'reserved' }), 400);
  });
});

describe('a social organization member', () => {
  let own: Resource;
  let gov: Resource;

  it('sees and updates only their organization\'s resources', async () => {
    own = await make('operator-a', {
      name: '蓝天救援队水上分队', type: 'rescue-team', capabilities: ['water-rescue'], location: offset(centreA, 0, 0.01), ownerOrganizationId: socialOrgA,
      agreement: { number: 'XY-TEST-0001', validFrom: '2020-01-01', validTo: '2099-12-31', responseMinutes: 45 },
    });
    expect(own).toMatchObject({ ownerKind: 'social', offered: true, agreement: { number: 'XY-TEST-0001', responseMinutes: 45 } });
    gov = await make('operator-a', { name: '甲县应急救援队', type: 'rescue-team', capabilities: ['water-rescue'], location: offset(centreA, 0, 0.02), ownerOrganizationId: govOrgA });
    const list = ok<Page<Resource>>(await get('social-member', '/api/resources?limit=1000'));
    expect(list.items.map((r) => r.id)).toEqual([own.id]);
    expect(ok<Resource>(await get('social-member', `/api/resources/${own.id}`)).id).toBe(own.id);
    expectProblem(await get('social-member', `/api/resources/${gov.id}`), 403, 'forbidden');
    expect(ok<Resource>(await post('social-member', `/api/resources/${own.id}/status`, { status: 'unavailable' })).status).toBe('unavailable');
    expect(ok<Resource>(await post('social-member', `/api/resources/${own.id}/status`, { status: 'available' })).status).toBe('available');
    expectProblem(await post('social-member', `/api/resources/${gov.id}/status`, { status: 'unavailable' }), 403);
    expect(ok<Resource>(await p.call('PATCH', `/api/resources/${own.id}`, { as: await as('social-member'), body: { location: offset(centreA, 0.001, 0.01) } })).location).toEqual(offset(centreA, 0.001, 0.01));
  });

  it('neither registers resources nor writes agreements, and does not reserve', async () => {
    expectProblem(await post('social-member', '/api/resources', { name: 'x', type: 'rescue-team', location: centreA }), 403);
    expectProblem(await p.call('PATCH', `/api/resources/${own.id}`, { as: await as('social-member'), body: { agreement: null } }), 403);
    expectProblem(await post('social-member', '/api/resources/reservations', { requestRef: 'x', items: [{ resourceId: own.id }] }), 403);
    expectProblem(await post('social-member', '/api/resources/positions', { items: [{ id: gov.id, location: centreA }] }), 403);
    expect(ok<{ updated: number }>(await post('social-member', '/api/resources/positions', { items: [{ id: own.id, location: offset(centreA, 0, 0.01) }] })).updated).toBe(1);
  });
});

describe('nearest matching', () => {
  // A type of its own at 60 km/h: travel minutes equal kilometres.
  const T = 'test-rescue-boat';
  let near1: Resource;
  let near2: Resource;
  let near5: Resource;

  it('ranks by estimated travel time (straight-line distance at the type\'s speed)', async () => {
    await makeType(T, 60);
    // due north of the county centre by 0.05°, 0.01° and 0.02° of latitude: 5.560, 1.112 and 2.224 km
    near5 = await make('operator-a', { name: 'boat-5', type: T, capabilities: ['water-rescue'], regionCode: countyA, location: offset(centreA, 0, 0.05) });
    near1 = await make('operator-a', { name: 'boat-1', type: T, capabilities: ['water-rescue'], regionCode: countyA, location: offset(centreA, 0, 0.01) });
    near2 = await make('operator-a', { name: 'boat-2', type: T, capabilities: [], regionCode: countyA, location: offset(centreA, 0, 0.02) });
    const res = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&quantity=3&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(res).toMatchObject({ type: T, quantity: 3, regionCode: countyA, satisfied: true, shortfall: 0, borrowed: false });
    expect(res.proposals.map((x) => x.resource.id)).toEqual([near1.id, near2.id, near5.id]);
    const expected = [1, 2, 5].map((n) => n * KM_PER_CENTIDEGREE_LAT);
    res.proposals.forEach((x, i) => {
      expect(x.distanceKm).toBeCloseTo(expected[i] as number, 2);
      expect(x.travelMinutes).toBeCloseTo(Math.round((expected[i] as number) * 10) / 10, 5);
      expect(x.take).toBe(1);
      expect(x.borrowed).toBe(false);
    });
  });

  it('filters by capability and by the longest acceptable travel time', async () => {
    const cap = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&capability=water-rescue&quantity=2&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(cap.proposals.map((x) => x.resource.id)).toEqual([near1.id, near5.id]);
    const quick = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&quantity=3&maxTravelMinutes=3&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(quick.proposals.map((x) => x.resource.id)).toEqual([near1.id, near2.id]);
    expect(quick).toMatchObject({ satisfied: false, shortfall: 1 });
  });

  it('leaves out what is not available', async () => {
    ok(await post('operator-a', `/api/resources/${near1.id}/status`, { status: 'unavailable' }));
    const res = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(res.proposals.map((x) => x.resource.id)).toEqual([near2.id]);
    ok(await post('operator-a', `/api/resources/${near1.id}/status`, { status: 'available' }));
  });

  it('finds the region from the point when none is given, and stays in scope', async () => {
    const res = ok<ProposalResult>(await get('operator-a', `/api/resources/nearest?type=${T}&lon=${centreA[0]}&lat=${centreA[1]}`));
    expect(res.regionCode).toBe(countyA);
    expect(res.proposals[0]?.resource.id).toBe(near1.id);
    expectProblem(await get('operator-b', `/api/resources/nearest?type=${T}&lon=${centreA[0]}&lat=${centreA[1]}`), 403);
  });
});

describe('borrowing across regions', () => {
  const T = 'test-borrow-pump';
  let local: Resource;
  let inOtherCounty: Resource;
  let atCity: Resource;

  it('takes the region\'s own first, then borrows from the parent region and says so', async () => {
    await makeType(T, 30);
    inOtherCounty = await make('province-admin', { name: 'neighbour pump', type: T, regionCode: otherCountyInCityA, location: centreOther });
    atCity = await make('province-admin', { name: 'city pump', type: T, regionCode: cityA, location: offset(centreOther, 0.01, 0) });
    const none = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&quantity=1&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(none.borrowed).toBe(true);
    expect(none.proposals).toHaveLength(1);
    expect(none.proposals[0]).toMatchObject({ borrowed: true });
    expect([inOtherCounty.id, atCity.id]).toContain(none.proposals[0]?.resource.id);
    // the county's own pump comes first, even when farther than the neighbour's
    local = await make('operator-a', { name: 'local pump', type: T, regionCode: countyA, location: offset(centreA, 0.08, 0) });
    const mixed = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&quantity=3&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(mixed.proposals[0]).toMatchObject({ borrowed: false, fromRegionCode: countyA });
    expect(mixed.proposals[0]?.resource.id).toBe(local.id);
    expect(mixed.proposals.slice(1).map((x) => x.borrowed)).toEqual([true, true]);
    expect(new Set(mixed.proposals.slice(1).map((x) => x.fromRegionCode))).toEqual(new Set([otherCountyInCityA, cityA]));
    expect(mixed).toMatchObject({ satisfied: true, borrowed: true });
    // borrowed proposals are still ranked by travel time among themselves
    const [, b1, b2] = mixed.proposals;
    expect((b1?.travelMinutes as number) <= (b2?.travelMinutes as number)).toBe(true);
  });

  it('borrows no further than the caller may see', async () => {
    const county = ok<ProposalResult>(await get('operator-a', `/api/resources/nearest?type=${T}&quantity=3&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(county.proposals.map((x) => x.resource.id)).toEqual([local.id]);
    expect(county).toMatchObject({ satisfied: false, shortfall: 2, borrowed: false });
  });
});

describe('agreements (协议储备)', () => {
  const T = 'test-agreement-team';
  it('offers a social organization\'s resource only while its agreement is valid', async () => {
    await makeType(T, 40);
    const valid = await make('operator-a', {
      name: 'valid team', type: T, regionCode: countyA, location: offset(centreA, 0.01, 0), ownerOrganizationId: socialOrgA,
      agreement: { number: 'XY-1', validFrom: '2020-01-01', validTo: '2099-12-31' },
    });
    const lapsed = await make('operator-a', {
      name: 'lapsed team', type: T, regionCode: countyA, location: offset(centreA, 0.005, 0), ownerOrganizationId: socialOrgA,
      agreement: { number: 'XY-2', validFrom: '2020-01-01', validTo: '2021-12-31' },
    });
    const future = await make('operator-a', {
      name: 'future team', type: T, regionCode: countyA, location: offset(centreA, 0.004, 0), ownerOrganizationId: otherSocialOrgA ?? socialOrgA,
      agreement: { number: 'XY-3', validFrom: '2098-01-01', validTo: '2099-12-31' },
    });
    const none = await make('operator-a', { name: 'no agreement', type: T, regionCode: countyA, location: offset(centreA, 0.003, 0), ownerOrganizationId: socialOrgA });
    expect([valid.offered, lapsed.offered, future.offered, none.offered]).toEqual([true, false, false, false]);
    const res = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&quantity=4&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(res.proposals.map((x) => x.resource.id)).toEqual([valid.id]);
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'lapsed', items: [{ resourceId: lapsed.id }] }), 409, 'not-available');
    // renewing the agreement brings it back
    ok(await p.call('PATCH', `/api/resources/${lapsed.id}`, { as: await as('operator-a'), body: { agreement: { number: 'XY-2b', validFrom: '2020-01-01', validTo: '2099-12-31' } } }));
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${lapsed.id}`)).offered).toBe(true);
  });

  it('refuses an agreement on a government resource and a reversed validity', async () => {
    expectProblem(await post('operator-a', '/api/resources', { name: 'x', type: T, location: centreA, ownerOrganizationId: govOrgA, agreement: { number: 'X', validFrom: '2020-01-01', validTo: '2099-01-01' } }), 400);
    const bad = expectProblem(await post('operator-a', '/api/resources', { name: 'x', type: T, location: centreA, ownerOrganizationId: socialOrgA, agreement: { number: 'X', validFrom: '2030-01-01', validTo: '2020-01-01' } }), 400);
    expect(bad.errors?.map((e) => e.field)).toContain('body.agreement.validTo');
  });
});

describe('stocks and reservations', () => {
  const T = 'test-sandbags';
  let depot1: Resource;
  let depot2: Resource;

  it('matches a quantity across the nearest stocks', async () => {
    await makeType(T, 30, true);
    depot1 = await make('operator-a', { name: 'depot 1', type: T, regionCode: countyA, location: offset(centreA, 0, 0.01), quantity: 100 });
    depot2 = await make('operator-a', { name: 'depot 2', type: T, regionCode: countyA, location: offset(centreA, 0, 0.03), quantity: 80 });
    expect(depot1).toMatchObject({ isStock: true, quantityTotal: 100, quantityAvailable: 100 });
    const res = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&quantity=150&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(res.proposals.map((x) => [x.resource.id, x.take])).toEqual([[depot1.id, 100], [depot2.id, 50]]);
    // 0.01° of latitude at 30 km/h: 1.11195 km → 2.2 minutes
    expect(res.proposals[0]?.travelMinutes).toBeCloseTo(Math.round(KM_PER_CENTIDEGREE_LAT * 2 * 10) / 10, 5);
    const short = ok<ProposalResult>(await get('dispatcher', `/api/resources/nearest?type=${T}&quantity=500&lon=${centreA[0]}&lat=${centreA[1]}&regionCode=${countyA}`));
    expect(short).toMatchObject({ satisfied: false, shortfall: 320 });
  });

  it('reserves, refuses what is not there, and releases what was not consumed', async () => {
    const r1 = ok<ReservationResult>(await post('dispatcher', '/api/resources/reservations', { requestRef: 'flood-1', items: [{ resourceId: depot1.id, quantity: 60 }] }), 201);
    expect(r1.items[0]).toMatchObject({ requestRef: 'flood-1', quantity: 60, status: 'reserved', isStock: true });
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${depot1.id}`))).toMatchObject({ quantityAvailable: 40, quantityTotal: 100, status: 'available' });
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'flood-2', items: [{ resourceId: depot1.id, quantity: 50 }] }), 409, 'not-available');
    // the total cannot go below what is reserved
    expectProblem(await p.call('PATCH', `/api/resources/${depot1.id}`, { as: await as('operator-a'), body: { quantityTotal: 50 } }), 409, 'quantity-reserved');
    expect(ok<Resource>(await p.call('PATCH', `/api/resources/${depot1.id}`, { as: await as('operator-a'), body: { quantityTotal: 120 } }))).toMatchObject({ quantityTotal: 120, quantityAvailable: 60 });
    const released = ok<Reservation>(await post('dispatcher', `/api/resources/reservations/${r1.items[0]?.id}/release`, { consumed: 20 }));
    expect(released).toMatchObject({ status: 'released', consumed: 20 });
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${depot1.id}`))).toMatchObject({ quantityAvailable: 100, quantityTotal: 100 });
    expectProblem(await post('dispatcher', `/api/resources/reservations/${r1.items[0]?.id}/release`, {}), 409, 'already-released');
    const r2 = ok<ReservationResult>(await post('dispatcher', '/api/resources/reservations', { requestRef: 'flood-3', items: [{ resourceId: depot2.id, quantity: 10 }] }), 201);
    expectProblem(await post('dispatcher', `/api/resources/reservations/${r2.items[0]?.id}/release`, { consumed: 11 }), 400);
  });

  it('is all or nothing, and whole resources go reserved → dispatched → available', async () => {
    const a = await make('operator-a', { name: 'truck a', type: 'excavator', location: offset(centreA, 0.02, 0.02) });
    const b = await make('operator-a', { name: 'truck b', type: 'excavator', location: offset(centreA, 0.03, 0.02) });
    const first = ok<ReservationResult>(await post('dispatcher', '/api/resources/reservations', { requestRef: 'slide-1', items: [{ resourceId: b.id }] }), 201);
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'slide-2', items: [{ resourceId: a.id }, { resourceId: b.id }] }), 409, 'not-available');
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${a.id}`)).status).toBe('available');
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${b.id}`)).status).toBe('reserved');
    expectProblem(await post('operator-a', `/api/resources/${b.id}/status`, { status: 'unavailable' }), 409, 'resource-busy');
    const id = first.items[0]?.id as string;
    const dispatcherCtx = { ...systemContext('test'), actor: { ...systemContext('test').actor, roles: ['dispatcher' as const], scopeCode: cityA, scopePrefix: scopePrefixOf(cityA) } };
    expect((await dispatchReservation(p.deps, dispatcherCtx, id)).status).toBe('dispatched');
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${b.id}`)).status).toBe('dispatched');
    await expect(dispatchReservation(p.deps, dispatcherCtx, id)).rejects.toThrow(/not reserved/);
    const outside = { ...dispatcherCtx, actor: { ...dispatcherCtx.actor, scopeCode: countyB, scopePrefix: scopePrefixOf(countyB) } };
    await expect(dispatchReservation(p.deps, outside, id)).rejects.toThrow(/outside the scope/);
    expectProblem(await post('operator-b', `/api/resources/reservations/${id}/release`, {}), 403);
    expect(ok<Reservation>(await post('dispatcher', `/api/resources/reservations/${id}/release`, null)).status).toBe('released');
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${b.id}`)).status).toBe('available');
    const listed = ok<Page<Reservation>>(await get('dispatcher', '/api/resources/reservations?requestRef=slide-1'));
    expect(listed.items.map((r) => r.status)).toEqual(['released']);
    expect(ok<Page<Reservation>>(await get('operator-b', '/api/resources/reservations?requestRef=slide-1')).total).toBe(0);
    // a dispatcher reserves only in scope
    const inB = ok<Page<Resource>>(await get('operator-b', '/api/resources?limit=1'));
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'x', items: [{ resourceId: inB.items[0]?.id }] }), 403);
    expectProblem(await post('operator-a', '/api/resources/reservations', { requestRef: 'x', items: [{ resourceId: a.id }] }), 403);
  });
});

describe('tracker positions', () => {
  it('stores a batch, skips stale observations, and refuses unknown ids whole', async () => {
    const v = await make('operator-a', { name: 'tracked', type: 'ambulance', location: centreA });
    const w = await make('operator-a', { name: 'tracked 2', type: 'ambulance', location: centreA });
    const at = '2030-01-01T08:00:00+08:00';
    expect(ok(await post('operator-a', '/api/resources/positions', { items: [{ id: v.id, location: offset(centreA, 0.1, 0), observedAt: at }, { id: w.id, location: offset(centreA, 0.2, 0) }] }))).toEqual({ updated: 2, stale: 0 });
    expect(ok(await post('operator-a', '/api/resources/positions', { items: [{ id: v.id, location: offset(centreA, 0.3, 0), observedAt: '2029-12-31T08:00:00+08:00' }] }))).toEqual({ updated: 0, stale: 1 });
    const now = ok<Resource>(await get('operator-a', `/api/resources/${v.id}`));
    expect(now.location).toEqual(offset(centreA, 0.1, 0));
    expect(now.positionAt).toBe(new Date(at).toISOString());
    // the home region stays: a vehicle on the road is still its county's
    expect(now.regionCode).toBe(v.regionCode);
    const bad = expectProblem(await post('operator-a', '/api/resources/positions', { items: [{ id: w.id, location: centreA }, { id: '00000000-0000-4000-8000-000000000000', location: centreA }] }), 400);
    expect(bad.errors?.map((e) => e.field)).toEqual(['body.items.1.id']);
    expect(ok<Resource>(await get('operator-a', `/api/resources/${w.id}`)).location).toEqual(offset(centreA, 0.2, 0));
  });
});

describe('bad input', () => {
  it.each([
    ['an unknown field', { name: 'x', type: 'pump-truck', location: [113.5, 28.5], colour: 'red' }, 'body'],
    ['a longitude out of range', { name: 'x', type: 'pump-truck', location: [200, 28.5] }, 'body.location.0'],
    ['an unknown type', { name: 'x', type: 'space-ship', location: [113.5, 28.5] }, 'body.type'],
    ['a quantity for a vehicle', { name: 'x', type: 'pump-truck', location: [113.5, 28.5], quantity: 3 }, 'body.quantity'],
    ['a stock without quantity', { name: 'x', type: 'sandbags', location: [113.5, 28.5] }, 'body.quantity'],
    ['a capability listed twice', { name: 'x', type: 'pump-truck', location: [113.5, 28.5], capabilities: ['a', 'a'] }, 'body.capabilities'],
    ['a bad capability', { name: 'x', type: 'pump-truck', location: [113.5, 28.5], capabilities: ['Water Rescue'] }, 'body.capabilities.0'],
    ['no such owner', { name: 'x', type: 'pump-truck', location: [113.5, 28.5], ownerOrganizationId: '00000000-0000-4000-8000-000000000000' }, 'body.ownerOrganizationId'],
    ['a point in no region', { name: 'x', type: 'pump-truck', location: [10, 10] }, 'body.location'],
    ['a reserved status', { name: 'x', type: 'pump-truck', location: [113.5, 28.5], status: 'reserved' }, 'body.status'],
  ])('POST /api/resources with %s → 400', async (_label, body, field) => {
    const before = await p.deps.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM resource');
    const res = expectProblem(await post('province-admin', '/api/resources', body), 400, 'invalid');
    if (field !== 'body') expect(res.errors?.map((e) => e.field)).toContain(field);
    const after = await p.deps.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM resource');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('answers 400 or 404 for bad ids, queries and reservations, never 500', async () => {
    expectProblem(await get('viewer', '/api/resources/not-a-uuid'), 400);
    expectProblem(await get('viewer', '/api/resources/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await get('viewer', '/api/resources?status=lost'), 400);
    expectProblem(await get('viewer', '/api/resources?limit=0'), 400);
    expectProblem(await get('dispatcher', '/api/resources/nearest?type=pump-truck&lon=113'), 400);
    expectProblem(await get('dispatcher', '/api/resources/nearest?type=nothing&lon=113.5&lat=28.5'), 400);
    expectProblem(await get('dispatcher', '/api/resources/nearest?type=pump-truck&lon=10&lat=10'), 400);
    expectProblem(await get('dispatcher', '/api/resources/nearest?type=pump-truck&lon=113.5&lat=28.5&quantity=0'), 400);
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'x', items: [] }), 400);
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'x', items: [{ resourceId: '00000000-0000-4000-8000-000000000000' }] }), 400);
    const dup = '00000000-0000-4000-8000-000000000001';
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'x', items: [{ resourceId: dup }, { resourceId: dup }] }), 400);
    const truck = ok<Page<Resource>>(await get('dispatcher', '/api/resources?type=pump-truck&limit=1')).items[0] as Resource;
    expectProblem(await post('dispatcher', '/api/resources/reservations', { requestRef: 'x', items: [{ resourceId: truck.id, quantity: 2 }] }), 400);
    expectProblem(await post('dispatcher', '/api/resources/reservations/00000000-0000-4000-8000-000000000000/release', {}), 404);
    expectProblem(await p.call('PATCH', `/api/resources/${truck.id}`, { as: await as('province-admin'), body: {} }), 400);
    expectProblem(await p.call('PATCH', `/api/resources/${truck.id}`, { as: await as('province-admin'), body: { quantityTotal: 5 } }), 400);
    expectProblem(await post('province-admin', '/api/resources/positions', { items: [] }), 400);
    expectProblem(await post('province-admin', '/api/resources/positions', { items: [{ id: truck.id, location: [1, 2], observedAt: '2030-02-30T00:00:00Z' }] }), 400);
    expectProblem(await p.call('POST', '/api/resources', { as: await as('province-admin'), body: '{"name":', headers: { 'content-type': 'application/json' } }), 400);
  });
});

describe('the demo resources', () => {
  it('gives every county a rescue team, pump trucks, ambulances, sandbags and shelters, and every city fire engines and experts', async () => {
    const n = await seedDemoResources(p.deps, systemContext('test'), { seed: 7 });
    expect(n).toBeGreaterThan(0);
    const { rows } = await p.deps.db.pool.query<{ region_code: string; type_code: string; owner_kind: string; n: number }>(
      `SELECT region_code, type_code, owner_kind, count(*)::int AS n FROM resource r WHERE name NOT LIKE 'test%' AND created_by IS NULL GROUP BY 1, 2, 3`,
    );
    const counties = ok<Page<Region>>(await get('sysadmin', '/api/regions/990000000000/subtree?level=county&limit=1000')).items;
    for (const c of counties) {
      const here = rows.filter((r) => r.region_code === c.code && r.owner_kind === 'government').map((r) => r.type_code);
      expect(here).toEqual(expect.arrayContaining(['rescue-team', 'pump-truck', 'ambulance', 'sandbags', 'shelter']));
    }
    const cities = ok<Page<Region>>(await get('sysadmin', '/api/regions/990000000000/subtree?level=city&limit=1000')).items;
    for (const c of cities) expect(rows.filter((r) => r.region_code === c.code).map((r) => r.type_code)).toEqual(expect.arrayContaining(['fire-engine', 'expert']));
    expect(rows.some((r) => r.owner_kind === 'social')).toBe(true);
    // deterministic: the same seed gives the same resources
    const again = await seedDemoResources(p.deps, systemContext('test'), { seed: 7 });
    expect(again).toBe(n);
  });
});
