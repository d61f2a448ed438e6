// SPDX-License-Identifier: Apache-2.0
// Resources in the twin: each resource is an NGSI-LD entity whose status, availability and position follow the
// resource; a position written through NGSI-LD (a tracker) moves the resource; status changes only through
// the resources API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../../contracts/regions.ts';
import type { Resource } from '../../contracts/dispatch-resources.ts';
import { mirrorResources } from '../../server/modules/dispatch/index.ts';
import { ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Entity = { id: string; type: string; status?: { value: unknown }; location?: { value: { coordinates: [number, number] } }; owner?: { object: string }; quantityAvailable?: { value: number } };

let p: TestPlatform;
let centre: [number, number];
let truck: Resource;
const entity = async (id: string) => p.call('GET', `/ngsi-ld/v1/entities/urn:ngsi-ld:EmergencyResource:${id}`, { as: await p.login('operator-a') });

beforeAll(async () => {
  p = await createTestPlatform();
  const county = p.account('operator-a').scope as string;
  centre = ok<Region>(await p.call('GET', `/api/regions/${county}`, { as: await p.login('operator-a') })).centroid as [number, number];
});
afterAll(async () => {
  await p?.stop();
});

describe('resources as twin entities', () => {
  it('mirrors a new resource with its status, owner and position', async () => {
    truck = ok<Resource>(await p.call('POST', '/api/resources', { as: await p.login('operator-a'), body: { name: '甲县排涝泵车9号', type: 'pump-truck', location: centre } }), 201);
    await p.deps.outbox.drain();
    const e = ok<Entity>(await entity(truck.id));
    expect(e).toMatchObject({ type: 'EmergencyResource', status: { value: 'available' }, owner: { object: `urn:ngsi-ld:Organization:${truck.ownerOrganizationId}` } });
    expect(e.location?.value.coordinates).toEqual(centre);
    const query = await p.call('GET', '/ngsi-ld/v1/entities?type=EmergencyResource&q=status==%22available%22', { as: await p.login('operator-a') });
    expect((query.body as Entity[]).map((x) => x.id)).toContain(`urn:ngsi-ld:EmergencyResource:${truck.id}`);
  });

  it('follows status changes and reservations', async () => {
    ok(await p.call('POST', `/api/resources/${truck.id}/status`, { as: await p.login('operator-a'), body: { status: 'unavailable', note: '检修' } }));
    await p.deps.outbox.drain();
    expect(ok<Entity>(await entity(truck.id)).status?.value).toBe('unavailable');
    ok(await p.call('POST', `/api/resources/${truck.id}/status`, { as: await p.login('operator-a'), body: { status: 'available' } }));
    ok(await p.call('POST', '/api/resources/reservations', { as: await p.login('province-admin'), body: { requestRef: 'twin-test', items: [{ resourceId: truck.id }] } }), 201);
    await p.deps.outbox.drain();
    expect(ok<Entity>(await entity(truck.id)).status?.value).toBe('reserved');
  });

  it('moves the resource when a tracker writes its position through NGSI-LD, and keeps its status to the API', async () => {
    const moved: [number, number] = [centre[0] + 0.01, centre[1] + 0.005];
    const res = await p.call('PATCH', `/ngsi-ld/v1/entities/urn:ngsi-ld:EmergencyResource:${truck.id}/attrs`, {
      as: await p.login('operator-a'), body: { location: { type: 'GeoProperty', value: { type: 'Point', coordinates: moved } }, status: { type: 'Property', value: 'available' } },
    });
    expect(res.status).toBe(204);
    await p.deps.outbox.drain();
    const r = ok<Resource>(await p.call('GET', `/api/resources/${truck.id}`, { as: await p.login('operator-a') }));
    expect(r.location[0]).toBeCloseTo(moved[0], 6);
    expect(r.location[1]).toBeCloseTo(moved[1], 6);
    expect(r.status).toBe('reserved');
    // the mirror writes back the resource's own status
    expect(ok<Entity>(await entity(truck.id)).status?.value).toBe('reserved');
  });

  it('puts back a status written through NGSI-LD alone', async () => {
    const res = await p.call('PATCH', `/ngsi-ld/v1/entities/urn:ngsi-ld:EmergencyResource:${truck.id}/attrs`, { as: await p.login('operator-a'), body: { status: { type: 'Property', value: 'available' } } });
    expect(res.status).toBe(204);
    await p.deps.outbox.drain();
    expect(ok<Entity>(await entity(truck.id)).status?.value).toBe('reserved');
  });

  it('mirrors every resource at once (demo seeding)', async () => {
    expect(await mirrorResources(p.deps)).toBeGreaterThanOrEqual(1);
  });
});
