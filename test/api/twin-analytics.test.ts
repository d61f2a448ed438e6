// SPDX-License-Identifier: Apache-2.0
// The twin beyond single entities: batch upsert of observations, roll-up by region level, time bucket and H3,
// and the relationship graph — with hand-computed expectations and region scope.
import { cellToLatLng, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
let op: string; // operator-a: one county
let opB: string; // operator-b: another county
let admin: string;
type Region = { code: string; name: string; parentCode: string; centroid: [number, number] };
let county: Region;
// two villages of operator-a's county, in different townships
let v0: Region;
let v1: Region;
let otherVillage: Region;

const BASE = '/ngsi-ld/v1';
type Group = { level: string; regionCode: string; name: string | null; bucket: string | null; count: number; valueCount: number; sum: number | null; avg: number | null; min: number | null; max: number | null };
type Rollup = { parent: { code: string; level: string }; levels: string[]; groups: Group[] };

const reading = (id: string, at: [number, number], value: number, observedAt: string) => ({
  id,
  type: 'AirQualitySensor',
  pm25: { type: 'Property', value, unitCode: 'GQ', observedAt },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: at } },
});

beforeAll(async () => {
  p = await createTestPlatform();
  op = await p.login('operator-a');
  opB = await p.login('operator-b');
  admin = await p.login('sysadmin');
  county = (await p.call('GET', `/api/regions/${p.account('operator-a').scope}`, { as: admin })).body as Region;
  const all = ((await p.call('GET', `/api/regions/${county.code}/subtree?level=village&limit=200`, { as: admin })).body as { items: Region[] }).items;
  const first = all[0] as Region;
  const second = all.find((v) => v.parentCode !== first.parentCode) as Region;
  v0 = first;
  v1 = second;
  otherVillage = ((await p.call('GET', `/api/regions/${p.account('operator-b').scope}/subtree?level=village&limit=1`, { as: admin })).body as { items: Region[] }).items[0] as Region;
  // Sensors: two in the first village, one in the second; a year of two readings each.
  const batch = [
    reading('urn:ngsi-ld:AirQualitySensor:a1', v0.centroid, 10, '2026-03-01T02:00:00Z'),
    reading('urn:ngsi-ld:AirQualitySensor:a2', v0.centroid, 20, '2026-03-01T03:00:00Z'),
    reading('urn:ngsi-ld:AirQualitySensor:b1', v1.centroid, 60, '2026-03-01T04:00:00Z'),
    // the same sensors again, a day later: several observations of one entity in one batch
    reading('urn:ngsi-ld:AirQualitySensor:a1', v0.centroid, 30, '2026-03-02T02:00:00Z'),
    reading('urn:ngsi-ld:AirQualitySensor:b1', v1.centroid, 90, '2026-03-02T04:00:00Z'),
  ];
  const res = await p.call('POST', `${BASE}/entityOperations/upsert?options=update`, { as: op, body: batch });
  expect(res.status, res.text).toBe(201);
});
afterAll(async () => {
  await p?.stop();
});

describe('batch upsert', () => {
  it('creates each entity once, applies its observations in order and keeps every one in history', async () => {
    const a1 = await p.call('GET', `${BASE}/entities/urn:ngsi-ld:AirQualitySensor:a1`, { as: op });
    expect(a1.body).toMatchObject({ pm25: { value: 30, observedAt: '2026-03-02T02:00:00Z' } });
    const t = await p.call('GET', `${BASE}/temporal/entities/urn:ngsi-ld:AirQualitySensor:a1?attrs=pm25`, { as: op });
    expect((t.body as { pm25: { value: number }[] }).pm25.map((x) => x.value)).toEqual([10, 30]);
  });

  it('keeps every observation of a large batch exactly, whatever characters its values hold', async () => {
    const tricky = ['tab\there', 'back\\slash \\N', 'new\nline\r', '引号"与\'撇号\'', '\\.', 'plain'];
    const body = Array.from({ length: 600 }, (_, i) => ({
      id: `urn:ngsi-ld:Gauge:${i % 20}`,
      type: 'Gauge',
      regionCode: { type: 'Property', value: county.code },
      reading: { type: 'Property', value: i, observedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() },
      note: { type: 'Property', value: tricky[i % tricky.length], observedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() },
    }));
    const res = await p.call('POST', `${BASE}/entityOperations/upsert?options=update`, { as: op, body });
    expect(res.status, res.text).toBe(201);
    const t = (await p.call('GET', `${BASE}/temporal/entities/urn:ngsi-ld:Gauge:7?attrs=reading,note`, { as: op })).body as { reading: { value: number }[]; note: { value: string }[] };
    expect(t.reading.map((x) => x.value)).toEqual(Array.from({ length: 30 }, (_, k) => 7 + 20 * k));
    expect(t.note.map((x) => x.value)).toEqual(Array.from({ length: 30 }, (_, k) => tricky[(7 + 20 * k) % tricky.length]));
    const current = (await p.call('GET', `${BASE}/entities/urn:ngsi-ld:Gauge:7?options=keyValues`, { as: op })).body as { reading: number; note: string };
    expect(current).toMatchObject({ reading: 587, note: tricky[587 % tricky.length] });
  });

  it('reports the entities outside the caller\'s region with 207 and writes the others', async () => {
    const res = await p.call('POST', `${BASE}/entityOperations/upsert`, {
      as: op,
      body: [reading('urn:ngsi-ld:AirQualitySensor:far', otherVillage.centroid, 5, '2026-03-01T00:00:00Z'), { ...reading('urn:ngsi-ld:AirQualitySensor:a3', v0.centroid, 40, '2025-12-01T00:00:00Z'), type: 'NoiseSensor' }, { id: 'urn:x', type: 'T', bad: { type: 'Property' } }],
    });
    expect(res.status).toBe(207);
    const body = res.body as { success: string[]; errors: { entityId: string; error: { status: number } }[] };
    expect(body.success).toEqual(['urn:ngsi-ld:AirQualitySensor:a3']);
    expect(body.errors.map((e) => [e.entityId, e.error.status]).sort()).toEqual([['urn:ngsi-ld:AirQualitySensor:far', 403], ['urn:x', 400]]);
    expect((await p.call('GET', `${BASE}/entities/urn:ngsi-ld:AirQualitySensor:far`, { as: opB })).status).toBe(404);
    // the denial is audited
    const audit = await p.call('GET', '/api/audit?outcome=denied&limit=50', { as: await p.login('auditadmin') });
    expect((audit.body as { items: { resourceId: string | null }[] }).items.some((r) => r.resourceId === 'urn:ngsi-ld:AirQualitySensor:far')).toBe(true);
    await p.call('POST', `${BASE}/entityOperations/delete`, { as: op, body: ['urn:ngsi-ld:AirQualitySensor:a3'] });
  });

  it('replaces all attributes with the default mode and records the removed ones', async () => {
    await p.call('POST', `${BASE}/entityOperations/upsert`, { as: op, body: [{ id: 'urn:ngsi-ld:Thing:r', type: 'Thing', regionCode: { type: 'Property', value: county.code }, a: 1, b: 2 }] });
    const res = await p.call('POST', `${BASE}/entityOperations/upsert`, { as: op, body: [{ id: 'urn:ngsi-ld:Thing:r', type: 'Thing', regionCode: { type: 'Property', value: county.code }, a: 3 }] });
    expect(res.status).toBe(204);
    const got = (await p.call('GET', `${BASE}/entities/urn:ngsi-ld:Thing:r?options=keyValues`, { as: op })).body as Record<string, unknown>;
    expect(got).toMatchObject({ a: 3 });
    expect(got.b).toBeUndefined();
  });
});

describe('near queries', () => {
  it('answer nearest first, paging through the same order with or without a count', async () => {
    const [x, y] = v0.centroid;
    const body = [0.001, 0.003, 0.002, 0.0005].map((dx, i) => ({ id: `urn:ngsi-ld:Hydrant:n${i}`, type: 'Hydrant', location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [x + dx, y] } } }));
    body.push({ id: 'urn:ngsi-ld:Hydrant:far', type: 'Hydrant', location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [x, y + 0.05] } } });
    expect((await p.call('POST', `${BASE}/entityOperations/upsert`, { as: op, body })).status).toBe(201);
    const near = (extra: string) => `${BASE}/entities?type=Hydrant&georel=near;maxDistance==1000&geometry=Point&coordinates=[${x},${y}]${extra}`;
    const ids = async (extra: string) => ((await p.call('GET', near(extra), { as: op })).body as { id: string }[]).map((e) => e.id.split(':').pop());
    expect(await ids('&limit=2')).toEqual(['n3', 'n0']);
    expect(await ids('&limit=2&offset=1')).toEqual(['n0', 'n2']);
    expect(await ids('&limit=10')).toEqual(['n3', 'n0', 'n2', 'n1']);
    expect(await ids('&limit=10&count=true')).toEqual(['n3', 'n0', 'n2', 'n1']);
    const res = await p.call('GET', near('&limit=1&count=true'), { as: op });
    expect(res.headers['ngsild-results-count']).toBe('4');
  });
});

describe('roll-up', () => {
  const find = (r: Rollup, level: string, code: string, bucket: string | null = null) => r.groups.find((g) => g.level === level && g.regionCode === code && g.bucket === bucket);

  it('aggregates current values to every level below the parent, averages recomputed from sums', async () => {
    const res = await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&attr=pm25&parent=${county.code}&levels=all`, { as: op });
    expect(res.status, res.text).toBe(200);
    const r = res.body as Rollup;
    expect(r.levels).toEqual(['township', 'village']);
    // current: a1 = 30, a2 = 20 (village 1); b1 = 90 (village 2)
    expect(find(r, 'village', v0.code)).toMatchObject({ count: 2, valueCount: 2, sum: 50, avg: 25, min: 20, max: 30, name: v0.name });
    expect(find(r, 'village', v1.code)).toMatchObject({ count: 1, sum: 90, avg: 90 });
    expect(find(r, 'township', v0.parentCode)).toMatchObject({ count: 2, sum: 50, avg: 25 });
    expect(find(r, 'township', v1.parentCode)).toMatchObject({ count: 1, sum: 90 });
    // to the county from the city above it: (30 + 20 + 90) / 3, not the average of the village averages
    const city = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&attr=pm25&parent=${county.parentCode}&levels=county`, { as: admin })).body as Rollup;
    expect(find(city, 'county', county.code)).toMatchObject({ count: 3, sum: 140, min: 20, max: 90 });
    expect(find(city, 'county', county.code)?.avg).toBeCloseTo(140 / 3, 10);
  });

  it('aggregates the history by day (local days) and values as of a past time', async () => {
    const byDay = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&attr=pm25&parent=${county.code}&levels=township&bucket=day&from=2026-03-01&to=2026-03-03`, { as: op })).body as Rollup;
    expect(find(byDay, 'township', v0.parentCode, '2026-03-01T00:00:00+08:00')).toMatchObject({ count: 2, sum: 30, min: 10, max: 20 });
    expect(find(byDay, 'township', v0.parentCode, '2026-03-02T00:00:00+08:00')).toMatchObject({ count: 1, sum: 30 });
    expect(find(byDay, 'township', v1.parentCode, '2026-03-02T00:00:00+08:00')).toMatchObject({ count: 1, sum: 90 });
    const period = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&attr=pm25&parent=${county.code}&levels=village&from=2026-03-01&to=2026-03-03`, { as: op })).body as Rollup;
    expect(find(period, 'village', v0.code)).toMatchObject({ count: 3, sum: 60, min: 10, max: 30 });
    expect(find(period, 'village', v1.code)).toMatchObject({ count: 2, sum: 150, avg: 75 });
    const asOf = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&attr=pm25&parent=${county.code}&levels=village&asOf=2026-03-01T12:00:00Z`, { as: op })).body as Rollup;
    expect(find(asOf, 'village', v0.code)).toMatchObject({ count: 2, sum: 30 });
    expect(find(asOf, 'village', v1.code)).toMatchObject({ count: 1, sum: 60 });
  });

  it('rolls up only the entities matching an NGSI-LD q, now and as of a past time', async () => {
    // current: a1 = 30, a2 = 20, b1 = 90 → pm25>25 keeps a1 and b1
    const now = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&attr=pm25&parent=${county.code}&levels=village&q=pm25>25`, { as: op })).body as Rollup;
    expect(find(now, 'village', v0.code)).toMatchObject({ count: 1, sum: 30 });
    expect(find(now, 'village', v1.code)).toMatchObject({ count: 1, sum: 90 });
    // the filter is on current values; the values rolled up are those as of the time asked
    const then = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&attr=pm25&parent=${county.code}&levels=village&q=pm25>25&asOf=2026-03-01T12:00:00Z`, { as: op })).body as Rollup;
    expect(find(then, 'village', v0.code)).toMatchObject({ count: 1, sum: 10 });
    // without attr, asOf counts the entities that existed
    const existed = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&parent=${county.code}&levels=village&asOf=2026-03-01T02:30:00Z`, { as: op })).body as Rollup;
    expect(existed.groups.reduce((n, g) => n + g.count, 0)).toBe(1);
    expect((await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&q=pm25>>1`, { as: op })).status).toBe(400);
    const h3 = (await p.call('GET', `/api/twin/rollup/h3?type=AirQualitySensor&attr=pm25&parent=${county.code}&resolution=9&asOf=2026-03-01T12:00:00Z&q=pm25<25`, { as: op })).body as { entities: number; features: { properties: { sum: number } }[] };
    expect(h3.entities).toBe(1);
    expect(h3.features[0]?.properties.sum).toBe(20);
  });

  it('counts entities without an attribute and keeps each caller to their region', async () => {
    const count = (await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&parent=${county.code}`, { as: op })).body as Rollup;
    expect(count.groups.reduce((n, g) => n + g.count, 0)).toBe(3);
    expect(count.groups.every((g) => g.sum === null)).toBe(true);
    // operator-b sees nothing of operator-a's county, and may not roll up above their own
    const other = (await p.call('GET', '/api/twin/rollup?type=AirQualitySensor&levels=all', { as: opB })).body as Rollup;
    expect(other.groups).toEqual([]);
    expect((await p.call('GET', `/api/twin/rollup?type=AirQualitySensor&parent=${county.code}`, { as: opB })).status).toBe(403);
  });

  it('answers bad parameters with 400', async () => {
    for (const qs of ['attr=pm25', 'type=AirQualitySensor&bucket=day', 'type=AirQualitySensor&attr=pm25&bucket=day&from=2026-03-02&to=2026-03-01', `type=AirQualitySensor&parent=${county.code}&levels=province`, 'type=AirQualitySensor&levels=nowhere', 'type=a b', 'type=T&asOf=yesterday', 'type=T&parent=12']) {
      const r = await p.call('GET', `/api/twin/rollup?${qs}`, { as: op });
      expect(r.status, qs).toBe(400);
    }
    expect((await p.call('GET', '/api/twin/rollup?type=T&parent=110000000000', { as: admin })).status).toBe(404);
  });

  it('aggregates by H3 hexagon', async () => {
    const res = await p.call('GET', `/api/twin/rollup/h3?type=AirQualitySensor&attr=pm25&parent=${county.code}&resolution=9`, { as: op });
    expect(res.status, res.text).toBe(200);
    const fc = res.body as { entities: number; features: { id: string; properties: { count: number; sum: number } }[] };
    expect(fc.entities).toBe(3);
    const cellA = latLngToCell(v0.centroid[1], v0.centroid[0], 9);
    expect(fc.features.find((f) => f.id === cellA)?.properties).toMatchObject({ count: 2, sum: 50 });
    expect(cellToLatLng(cellA)).toHaveLength(2);
    expect((await p.call('GET', '/api/twin/rollup/h3?type=T&resolution=13', { as: op })).status).toBe(400);
  });

  it('lists entity types with their attributes', async () => {
    const res = await p.call('GET', '/api/twin/types', { as: op });
    const t = (res.body as { items: { type: string; entities: number; attributes: { name: string; numeric: boolean; unitCode: string | null }[] }[] }).items.find((x) => x.type === 'AirQualitySensor');
    expect(t?.entities).toBe(3);
    expect(t?.attributes.find((a) => a.name === 'pm25')).toMatchObject({ numeric: true, unitCode: 'GQ' });
    expect(t?.attributes.find((a) => a.name === 'location')).toMatchObject({ numeric: false });
  });
});

describe('relationship graph', () => {
  it('follows relationships both ways up to n hops, hiding what the caller may not see', async () => {
    const rc = (code: string) => ({ type: 'Property', value: code });
    const rel = (object: string) => ({ type: 'Relationship', object });
    const res = await p.call('POST', `${BASE}/entityOperations/upsert`, {
      as: admin,
      body: [
        { id: 'urn:ngsi-ld:Building:1', type: 'Building', name: 'No. 1 Building', regionCode: rc(v0.code) },
        { id: 'urn:ngsi-ld:Person:1', type: 'Person', regionCode: rc(v0.code), livesIn: rel('urn:ngsi-ld:Building:1') },
        { id: 'urn:ngsi-ld:Shop:1', type: 'Business', regionCode: rc(v0.code), locatedIn: rel('urn:ngsi-ld:Building:1'), owner: rel('urn:ngsi-ld:Person:2') },
        { id: 'urn:ngsi-ld:Person:2', type: 'Person', regionCode: rc(v1.code) },
        { id: 'urn:ngsi-ld:Sensor:far', type: 'Device', regionCode: rc(otherVillage.code), mountedOn: rel('urn:ngsi-ld:Building:1') },
      ],
    });
    expect(res.status, res.text).toBe(201);
    const one = (await p.call('GET', '/api/twin/graph?id=urn:ngsi-ld:Building:1&hops=1', { as: op })).body as { nodes: { id: string; depth: number; name: string | null }[]; edges: { source: string; target: string; relationship: string }[] };
    expect(one.nodes.map((n) => n.id).sort()).toEqual(['urn:ngsi-ld:Building:1', 'urn:ngsi-ld:Person:1', 'urn:ngsi-ld:Shop:1']);
    expect(one.nodes.find((n) => n.id === 'urn:ngsi-ld:Building:1')).toMatchObject({ depth: 0, name: 'No. 1 Building' });
    const two = (await p.call('GET', '/api/twin/graph?id=urn:ngsi-ld:Building:1&hops=2', { as: op })).body as typeof one;
    expect(two.nodes.map((n) => n.id).sort()).toEqual(['urn:ngsi-ld:Building:1', 'urn:ngsi-ld:Person:1', 'urn:ngsi-ld:Person:2', 'urn:ngsi-ld:Shop:1']);
    expect(two.edges).toContainEqual({ source: 'urn:ngsi-ld:Shop:1', target: 'urn:ngsi-ld:Person:2', relationship: 'owner' });
    // the administrator sees the sensor of the other county too
    const all = (await p.call('GET', '/api/twin/graph?id=urn:ngsi-ld:Building:1&hops=1', { as: admin })).body as typeof one;
    expect(all.nodes.map((n) => n.id)).toContain('urn:ngsi-ld:Sensor:far');
    // out only: nothing points out of the building
    const out = (await p.call('GET', '/api/twin/graph?id=urn:ngsi-ld:Building:1&hops=3&direction=out', { as: op })).body as typeof one;
    expect(out.nodes).toHaveLength(1);
    expect((await p.call('GET', '/api/twin/graph?id=urn:ngsi-ld:Sensor:far', { as: op })).status).toBe(404);
    expect((await p.call('GET', '/api/twin/graph?id=urn:ngsi-ld:Building:1&hops=9', { as: op })).status).toBe(400);
    // relationship attributes are listed with their kind (and are not numeric)
    const types = await p.call('GET', '/api/twin/types', { as: op });
    expect(types.status, types.text).toBe(200);
    const person = (types.body as { items: { type: string; attributes: { name: string; kind: string; numeric: boolean }[] }[] }).items.find((t) => t.type === 'Person');
    expect(person?.attributes.find((a) => a.name === 'livesIn')).toMatchObject({ kind: 'Relationship', numeric: false });
  });
});
