// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Region = { code: string; level: string; name: string; parentCode: string | null; childCount?: number; validTo: string | null };
type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

describe('regions', () => {
  it('lists the demo province with nested children and ancestors', async () => {
    const admin = await p.login('sysadmin');
    const roots = await p.call('GET', '/api/regions/roots', { as: admin });
    expect(roots.status).toBe(200);
    const items = (roots.body as { items: Region[] }).items;
    expect(items.map((r) => r.code)).toContain('990000000000');
    const cities = (await p.call('GET', '/api/regions/990000000000/children', { as: admin })).body as { items: Region[] };
    expect(cities.items.length).toBe(3);
    expect(cities.items.every((c) => c.level === 'city' && c.parentCode === '990000000000')).toBe(true);
    const county = (await p.call('GET', `/api/regions/${cities.items[0]?.code}/children`, { as: admin })).body as { items: Region[] };
    const village = (await p.call('GET', `/api/regions/${county.items[0]?.code}/subtree?level=village&limit=1`, { as: admin })).body as Page<Region>;
    const v = village.items[0] as Region;
    const chain = (await p.call('GET', `/api/regions/${v.code}/ancestors`, { as: admin })).body as { items: Region[] };
    expect(chain.items.map((r) => r.level)).toEqual(['province', 'city', 'county', 'township', 'village']);
    expect(chain.items.at(-1)?.code).toBe(v.code);
  });

  it('searches by Chinese name substring and filters by level', async () => {
    const admin = await p.login('sysadmin');
    const all = (await p.call('GET', '/api/regions?level=county&limit=100', { as: admin })).body as Page<Region>;
    expect(all.total).toBe(12);
    const name = (all.items[3] as Region).name;
    const found = (await p.call('GET', `/api/regions?q=${encodeURIComponent(name.slice(0, 2))}`, { as: admin })).body as Page<Region>;
    expect(found.items.some((r) => r.name === name)).toBe(true);
  });

  it('finds the smallest region containing a point', async () => {
    const admin = await p.login('sysadmin');
    const villages = (await p.call('GET', '/api/regions?level=village&limit=1&offset=17', { as: admin })).body as Page<Region & { centroid: [number, number] }>;
    const v = villages.items[0] as Region & { centroid: [number, number] };
    const hit = await p.call('GET', `/api/regions/locate?lon=${v.centroid[0]}&lat=${v.centroid[1]}`, { as: admin });
    expect(hit.status).toBe(200);
    expect((hit.body as { region: Region }).region.code).toBe(v.code);
    const outside = await p.call('GET', '/api/regions/locate?lon=0&lat=0', { as: admin });
    expect((outside.body as { region: Region | null }).region).toBeNull();
  });
});
