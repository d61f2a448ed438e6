// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
let admin: string;
beforeAll(async () => {
  p = await createTestPlatform();
  admin = await p.login('sysadmin');
});
afterAll(async () => {
  await p?.stop();
});

type Region = { code: string; level: string; name: string; parentCode: string | null; validFrom: string; validTo: string | null };
type Page<T> = { items: T[]; total: number };

const townships = async (county: string, asOf?: string) =>
  ((await p.call('GET', `/api/regions/${county}/children${asOf ? `?asOf=${asOf}` : ''}`, { as: admin })).body as { items: Region[] }).items;

describe('division changes (区划调整)', () => {
  it('renames a region from a date and keeps the old name in history', async () => {
    const county = ((await p.call('GET', '/api/regions?level=county&limit=1', { as: admin })).body as Page<Region>).items[0] as Region;
    const res = await p.call('POST', '/api/regions/changes', {
      as: admin,
      body: { kind: 'rename', effectiveDate: '2025-07-01', close: [county.code], open: [{ code: county.code, level: 'county', parentCode: county.parentCode, name: '新名县' }] },
    });
    expect(res.status).toBe(201);
    expect((await p.call('GET', `/api/regions/${county.code}`, { as: admin })).body).toMatchObject({ name: '新名县', validFrom: '2025-07-01' });
    expect((await p.call('GET', `/api/regions/${county.code}?asOf=2024-01-01`, { as: admin })).body).toMatchObject({ name: county.name, validTo: '2025-07-01' });
    // children stay attached to the renamed county
    expect((await townships(county.code)).length).toBeGreaterThan(0);
  });

  it('merges two townships into a new one, closing their villages, and history still answers', async () => {
    const county = ((await p.call('GET', '/api/regions?level=county&limit=1&offset=1', { as: admin })).body as Page<Region>).items[0] as Region;
    const before = await townships(county.code);
    const [a, b] = before as [Region, Region];
    const newCode = `${county.code.slice(0, 6)}900000`;
    const res = await p.call('POST', '/api/regions/changes', {
      as: admin,
      body: {
        kind: 'merge', effectiveDate: '2026-01-01', close: [a.code, b.code], note: '撤并',
        open: [
          { code: newCode, level: 'township', parentCode: county.code, name: '合并镇' },
          { code: `${newCode.slice(0, 9)}001`, level: 'village', parentCode: newCode, name: '合并村' },
        ],
      },
    });
    expect(res.status).toBe(201);
    const change = res.body as { closedCodes: string[]; openedCodes: string[] };
    expect(change.closedCodes).toEqual(expect.arrayContaining([a.code, b.code]));
    expect(change.closedCodes.length).toBeGreaterThan(2); // their villages too
    const now = (await townships(county.code)).map((t) => t.code);
    expect(now).toContain(newCode);
    expect(now).not.toContain(a.code);
    const past = (await townships(county.code, '2025-12-31')).map((t) => t.code);
    expect(past).toContain(a.code);
    expect(past).not.toContain(newCode);
    expect((await p.call('GET', `/api/regions/${a.code}`, { as: admin })).status).toBe(404);
    const list = (await p.call('GET', '/api/regions/changes', { as: admin })).body as Page<{ kind: string }>;
    expect(list.items[0]?.kind).toBe('merge');
  });

  it('rejects changes of the wrong shape or with codes that do not fit their parent, changing nothing', async () => {
    const county = ((await p.call('GET', '/api/regions?level=county&limit=1&offset=2', { as: admin })).body as Page<Region>).items[0] as Region;
    const [t] = (await townships(county.code)) as [Region];
    const wrongShape = await p.call('POST', '/api/regions/changes', { as: admin, body: { kind: 'merge', effectiveDate: '2026-01-01', close: [t.code], open: [] } });
    expect(wrongShape.status).toBe(400);
    const badCode = await p.call('POST', '/api/regions/changes', {
      as: admin,
      body: { kind: 'split', effectiveDate: '2026-01-01', close: [t.code], open: [
        { code: '110101001000', level: 'township', parentCode: county.code, name: '甲' },
        { code: `${county.code.slice(0, 6)}901000`, level: 'township', parentCode: county.code, name: '乙' },
      ] },
    });
    expect(badCode.status).toBe(400);
    expect((badCode.body as { errors: { field: string }[] }).errors[0]?.field).toBe('open.0.code');
    expect((await p.call('GET', `/api/regions/${t.code}`, { as: admin })).status).toBe(200);
  });
});

describe('imports', () => {
  const csv = [
    'code,name,level,parent',
    '980000000000,测试省,province,',
    '980100000000,测试市,city,980000000000',
    '980101000000,测试区,county,980100000000',
    '980101001000,测试街道,township,980101000000',
    '980101001001,测试社区,village,980101001000',
  ].join('\n');

  it('imports an NBS-style CSV beside the demo province', async () => {
    const res = await p.call('POST', '/api/regions/import', { as: admin, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ inserted: 5, updated: 0, total: 5 });
    const chain = (await p.call('GET', '/api/regions/980101001001/ancestors', { as: admin })).body as { items: Region[] };
    expect(chain.items.map((r) => r.name)).toEqual(['测试省', '测试市', '测试区', '测试街道', '测试社区']);
    // importing again updates instead of duplicating
    const again = await p.call('POST', '/api/regions/import', { as: admin, body: csv.replace('测试社区', '测试新社区'), headers: { 'content-type': 'text/csv' } });
    expect(again.body).toEqual({ inserted: 0, updated: 5, total: 5 });
    expect((await p.call('GET', '/api/regions/980101001001', { as: admin })).body).toMatchObject({ name: '测试新社区' });
  });

  it('rejects a CSV with a bad line as a whole, naming the line', async () => {
    const bad = `${csv.replace(/98/g, '97')}\n970101001002,坏村,village,970101002000\n`;
    const res = await p.call('POST', '/api/regions/import', { as: admin, body: bad, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(400);
    expect((res.body as { errors: { field: string; message: string }[] }).errors[0]).toMatchObject({ field: 'line 7' });
    expect((await p.call('GET', '/api/regions/970000000000', { as: admin })).status).toBe(404); // nothing written
  });

  it('imports boundaries and then finds regions by point', async () => {
    const square = (x: number, y: number, d: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '980000000000' }, geometry: square(100, 40, 2) },
        { type: 'Feature', properties: { code: '980101001001' }, geometry: square(100.5, 40.5, 0.2) },
      ],
    };
    const res = await p.call('POST', '/api/regions/boundaries', { as: admin, body: fc });
    expect(res.status).toBe(200);
    const hit = (await p.call('GET', '/api/regions/locate?lon=100.6&lat=40.6', { as: admin })).body as { region: Region };
    expect(hit.region.code).toBe('980101001001');
    const coarse = (await p.call('GET', '/api/regions/locate?lon=101.5&lat=41.5', { as: admin })).body as { region: Region };
    expect(coarse.region.code).toBe('980000000000');
    const unknown = await p.call('POST', '/api/regions/boundaries', {
      as: admin, body: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '960000000000' }, geometry: square(0, 0, 1) }] },
    });
    expect(unknown.status).toBe(400);
    expect((unknown.body as { errors: { field: string }[] }).errors[0]?.field).toBe('features[0]');
  });

  it('serves a subtree as a GeoJSON FeatureCollection at a level', async () => {
    const res = await p.call('GET', '/api/regions/990000000000/geojson?level=city', { as: admin });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/application\/geo\+json/);
    const fc = res.body as { type: string; features: { properties: { level: string }; geometry: { type: string } }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(3);
    expect(fc.features.every((f) => f.properties.level === 'city' && f.geometry.type === 'Polygon')).toBe(true);
  });
});
