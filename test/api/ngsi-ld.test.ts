// SPDX-License-Identifier: Apache-2.0
// NGSI-LD conformance of the twin API with standard payloads (ETSI GS CIM 009).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
let op: string; // operator-a: county scope
let admin: string;
let county: { code: string; centroid: [number, number] };
let village: { code: string; centroid: [number, number] };
let otherVillage: { code: string; centroid: [number, number] };

const BASE = '/ngsi-ld/v1';
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld';
type Region = { code: string; centroid: [number, number] };

beforeAll(async () => {
  p = await createTestPlatform();
  op = await p.login('operator-a');
  admin = await p.login('sysadmin');
  const scope = p.account('operator-a').scope as string;
  county = (await p.call('GET', `/api/regions/${scope}`, { as: admin })).body as Region;
  village = ((await p.call('GET', `/api/regions/${scope}/subtree?level=village&limit=1`, { as: admin })).body as { items: Region[] }).items[0] as Region;
  const otherScope = p.account('operator-b').scope as string;
  otherVillage = ((await p.call('GET', `/api/regions/${otherScope}/subtree?level=village&limit=1`, { as: admin })).body as { items: Region[] }).items[0] as Region;
});
afterAll(async () => {
  await p?.stop();
});

const sensor = (id: string, at: [number, number], level: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'WaterLevelSensor',
  waterLevel: { type: 'Property', value: level, unitCode: 'MTR', observedAt: '2026-06-01T08:00:00Z' },
  status: { type: 'Property', value: 'ok' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: at } },
  ...extra,
});

describe('entities', () => {
  it('creates an entity, places it in the smallest region holding its location, and reads it back', async () => {
    const res = await p.call('POST', `${BASE}/entities`, { as: op, body: sensor('urn:ngsi-ld:WaterLevelSensor:001', village.centroid, 1.2) });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${BASE}/entities/${encodeURIComponent('urn:ngsi-ld:WaterLevelSensor:001')}`);
    const got = await p.call('GET', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:001`, { as: op });
    expect(got.status).toBe(200);
    expect(String(got.headers.link)).toContain('ngsi-ld-core-context');
    expect(got.body).toMatchObject({ id: 'urn:ngsi-ld:WaterLevelSensor:001', type: 'WaterLevelSensor', waterLevel: { type: 'Property', value: 1.2, unitCode: 'MTR' } });
    const { rows } = await p.deps.db.pool.query<{ region_code: string }>("SELECT region_code FROM twin_entity WHERE id = 'urn:ngsi-ld:WaterLevelSensor:001'");
    const smallest = (await p.call('GET', `/api/regions/locate?lon=${village.centroid[0]}&lat=${village.centroid[1]}`, { as: admin })).body as { region: Region };
    expect(smallest.region.code.startsWith(village.code)).toBe(true); // the village, or a grid inside it
    expect(rows[0]?.region_code).toBe(smallest.region.code);
  });

  it('answers a duplicate with 409 AlreadyExists and bad payloads with 400 BadRequestData', async () => {
    const dup = await p.call('POST', `${BASE}/entities`, { as: op, body: sensor('urn:ngsi-ld:WaterLevelSensor:001', village.centroid, 1) });
    expect(dup.status).toBe(409);
    expect((dup.body as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/AlreadyExists');
    for (const body of [
      { type: 'X' },
      { id: 'not a uri', type: 'X' },
      { id: 'urn:a:b', type: 'X', level: { type: 'Property' } },
      { id: 'urn:a:b', type: 'X', owner: { type: 'Relationship', object: 42 } },
      { id: 'urn:a:b', type: 'X', location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [500, 1] } } },
      { id: 'urn:a:b', type: 'X', t: { type: 'Property', value: 1, observedAt: 'yesterday' } },
    ]) {
      const r = await p.call('POST', `${BASE}/entities`, { as: op, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.body as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
    const malformed = await p.call('POST', `${BASE}/entities`, { as: op, body: '{"id":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((malformed.body as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/InvalidRequest');
    const missing = await p.call('GET', `${BASE}/entities/urn:ngsi-ld:Nothing:1`, { as: op });
    expect(missing.status).toBe(404);
    expect((missing.body as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
  });

  it('keeps each actor to their scope', async () => {
    const outside = await p.call('POST', `${BASE}/entities`, { as: op, body: sensor('urn:ngsi-ld:WaterLevelSensor:far', otherVillage.centroid, 2) });
    expect(outside.status).toBe(403);
    const ok = await p.call('POST', `${BASE}/entities`, { as: admin, body: sensor('urn:ngsi-ld:WaterLevelSensor:far', otherVillage.centroid, 2) });
    expect(ok.status).toBe(201);
    expect((await p.call('GET', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:far`, { as: op })).status).toBe(403);
    const list = (await p.call('GET', `${BASE}/entities?type=WaterLevelSensor`, { as: op })).body as { id: string }[];
    expect(list.map((e) => e.id)).toEqual(['urn:ngsi-ld:WaterLevelSensor:001']);
    const all = (await p.call('GET', `${BASE}/entities?type=WaterLevelSensor`, { as: admin })).body as { id: string }[];
    expect(all.map((e) => e.id).sort()).toEqual(['urn:ngsi-ld:WaterLevelSensor:001', 'urn:ngsi-ld:WaterLevelSensor:far']);
    const viewer = await p.login('viewer');
    expect((await p.call('POST', `${BASE}/entities`, { as: viewer, body: sensor('urn:x:viewer', village.centroid, 1) })).status).toBe(403);
    expect((await p.call('GET', `${BASE}/entities?type=WaterLevelSensor`)).status).toBe(401);
  });

  it('appends, updates and deletes attributes, answering 207 for the ones it did not change', async () => {
    const id = 'urn:ngsi-ld:WaterLevelSensor:001';
    const append = await p.call('POST', `${BASE}/entities/${id}/attrs`, { as: op, body: { battery: { type: 'Property', value: 0.9 } } });
    expect(append.status).toBe(204);
    const keep = await p.call('POST', `${BASE}/entities/${id}/attrs?options=noOverwrite`, { as: op, body: { battery: { type: 'Property', value: 0.1 }, vendor: { type: 'Property', value: 'ACME' } } });
    expect(keep.status).toBe(207);
    expect(keep.body).toMatchObject({ updated: ['vendor'], notUpdated: [{ attributeName: 'battery' }] });
    const update = await p.call('PATCH', `${BASE}/entities/${id}/attrs`, { as: op, body: { waterLevel: { type: 'Property', value: 1.5, observedAt: '2026-06-01T09:00:00Z' }, nothere: { type: 'Property', value: 1 } } });
    expect(update.status).toBe(207);
    expect(update.body).toMatchObject({ updated: ['waterLevel'], notUpdated: [{ attributeName: 'nothere' }] });
    const partial = await p.call('PATCH', `${BASE}/entities/${id}/attrs/waterLevel`, { as: op, body: { value: 1.8, observedAt: '2026-06-01T10:00:00Z' } });
    expect(partial.status).toBe(204);
    const e = (await p.call('GET', `${BASE}/entities/${id}?options=keyValues`, { as: op })).body as Record<string, unknown>;
    expect(e).toMatchObject({ id, type: 'WaterLevelSensor', waterLevel: 1.8, battery: 0.9, vendor: 'ACME', status: 'ok' });
    expect((await p.call('DELETE', `${BASE}/entities/${id}/attrs/vendor`, { as: op })).status).toBe(204);
    expect((await p.call('DELETE', `${BASE}/entities/${id}/attrs/vendor`, { as: op })).status).toBe(404);
    const concise = (await p.call('GET', `${BASE}/entities/${id}?options=concise&attrs=waterLevel,battery`, { as: op })).body as Record<string, unknown>;
    // PATCH /attrs replaced the whole attribute (no unitCode any more); PATCH /attrs/{attrId} merged into it
    expect(concise).toEqual({ id, type: 'WaterLevelSensor', waterLevel: { value: 1.8, observedAt: '2026-06-01T10:00:00Z' }, battery: 0.9 });
  });

  it('moves an entity to the region of its new location', async () => {
    const id = 'urn:ngsi-ld:WaterLevelSensor:mover';
    expect((await p.call('POST', `${BASE}/entities`, { as: admin, body: sensor(id, village.centroid, 3) })).status).toBe(201);
    const moved = await p.call('PATCH', `${BASE}/entities/${id}/attrs`, { as: admin, body: { location: { type: 'GeoProperty', value: { type: 'Point', coordinates: otherVillage.centroid } } } });
    expect(moved.status).toBe(204);
    const { rows } = await p.deps.db.pool.query<{ region_code: string }>('SELECT region_code FROM twin_entity WHERE id = $1', [id]);
    expect(rows[0]?.region_code).toBe(otherVillage.code);
    expect((await p.call('DELETE', `${BASE}/entities/${id}`, { as: admin })).status).toBe(204);
    expect((await p.call('GET', `${BASE}/entities/${id}`, { as: admin })).status).toBe(404);
  });

  it('places an entity without location by its regionCode property', async () => {
    const res = await p.call('POST', `${BASE}/entities`, { as: op, body: { id: 'urn:ngsi-ld:Shelter:1', type: 'Shelter', capacity: { type: 'Property', value: 300 }, regionCode: { type: 'Property', value: county.code } } });
    expect(res.status).toBe(201);
    const { rows } = await p.deps.db.pool.query<{ region_code: string; region_explicit: boolean }>("SELECT region_code, region_explicit FROM twin_entity WHERE id = 'urn:ngsi-ld:Shelter:1'");
    expect(rows[0]).toEqual({ region_code: county.code, region_explicit: true });
  });
});

describe('JSON-LD contexts', () => {
  const ctx = { '@context': [{ wl: 'https://example.org/water#level', Gauge: 'https://example.org/water#Gauge' }, CORE] };

  it('accepts application/ld+json with an inline @context and compacts against the requested context', async () => {
    const body = { id: 'urn:ngsi-ld:Gauge:1', type: 'Gauge', wl: { type: 'Property', value: 4.2 }, location: { type: 'GeoProperty', value: { type: 'Point', coordinates: village.centroid } }, ...ctx };
    const res = await p.call('POST', `${BASE}/entities`, { as: op, body, headers: { 'content-type': 'application/ld+json' } });
    expect(res.status).toBe(201);
    // without the context the client sees full IRIs
    const plain = (await p.call('GET', `${BASE}/entities/urn:ngsi-ld:Gauge:1`, { as: op })).body as Record<string, unknown>;
    expect(plain.type).toBe('https://example.org/water#Gauge');
    expect(plain['https://example.org/water#level']).toMatchObject({ value: 4.2 });
    const ld = await p.call('GET', `${BASE}/entities/urn:ngsi-ld:Gauge:1`, { as: op, headers: { accept: 'application/ld+json' } });
    expect(String(ld.headers['content-type'])).toMatch(/application\/ld\+json/);
    expect((ld.body as Record<string, unknown>)['@context']).toBeDefined();
    // an ld+json body without @context is refused
    const none = await p.call('POST', `${BASE}/entities`, { as: op, body: { id: 'urn:x:2', type: 'Gauge' }, headers: { 'content-type': 'application/ld+json' } });
    expect(none.status).toBe(400);
  });

  it('refuses remote contexts it cannot fetch with 503 LdContextNotAvailable, and accepts the core one by Link', async () => {
    const link = (url: string) => ({ link: `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` });
    const remote = await p.call('GET', `${BASE}/entities?type=Gauge`, { as: op, headers: link('https://example.org/ctx.jsonld') });
    expect(remote.status).toBe(503);
    expect((remote.body as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable');
    const core = await p.call('GET', `${BASE}/entities?type=WaterLevelSensor`, { as: op, headers: link(CORE) });
    expect(core.status).toBe(200);
  });
});

describe('queries', () => {
  beforeAll(async () => {
    const [x, y] = village.centroid;
    for (let i = 0; i < 6; i++) {
      await p.call('POST', `${BASE}/entities`, { as: op, body: sensor(`urn:ngsi-ld:WaterLevelSensor:q${i}`, [x + i * 0.001, y], i, { status: { type: 'Property', value: i % 2 ? 'alarm' : 'ok' } }) });
    }
  });

  it('filters by id, idPattern and q, pages with limit/offset and counts', async () => {
    const byPattern = (await p.call('GET', `${BASE}/entities?type=WaterLevelSensor&idPattern=${encodeURIComponent(':q[0-9]$')}`, { as: op })).body as { id: string }[];
    expect(byPattern).toHaveLength(6);
    const q = (await p.call('GET', `${BASE}/entities?type=WaterLevelSensor&q=${encodeURIComponent('waterLevel>=2;status=="alarm"')}&options=keyValues`, { as: op })).body as { id: string; waterLevel: number }[];
    expect(q.map((e) => e.id).sort()).toEqual(['urn:ngsi-ld:WaterLevelSensor:q3', 'urn:ngsi-ld:WaterLevelSensor:q5']);
    const page = await p.call('GET', `${BASE}/entities?idPattern=${encodeURIComponent(':q')}&limit=2&offset=2&count=true`, { as: op });
    expect(page.headers['ngsild-results-count']).toBe('6');
    expect((page.body as { id: string }[]).map((e) => e.id)).toEqual(['urn:ngsi-ld:WaterLevelSensor:q2', 'urn:ngsi-ld:WaterLevelSensor:q3']);
    const ids = (await p.call('GET', `${BASE}/entities?id=urn:ngsi-ld:WaterLevelSensor:q1,urn:ngsi-ld:WaterLevelSensor:q4`, { as: op })).body as { id: string }[];
    expect(ids).toHaveLength(2);
    const badQ = await p.call('GET', `${BASE}/entities?type=WaterLevelSensor&q=${encodeURIComponent('waterLevel>')}`, { as: op });
    expect(badQ.status).toBe(400);
    expect((badQ.body as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
  });

  it('answers geo-queries against hand-computed distances', async () => {
    const [x, y] = village.centroid;
    // 0.001° of longitude at this latitude is about 98 m: q0…q2 lie within 250 m of the origin, q3…q5 beyond
    const metresPerDegree = 111_320 * Math.cos((y * Math.PI) / 180);
    expect(metresPerDegree * 0.002).toBeLessThan(250);
    expect(metresPerDegree * 0.003).toBeGreaterThan(250);
    const near = (await p.call('GET', `${BASE}/entities?type=WaterLevelSensor&georel=${encodeURIComponent('near;maxDistance==250')}&geometry=Point&coordinates=${encodeURIComponent(JSON.stringify([x, y]))}&idPattern=${encodeURIComponent(':q')}`, { as: op })).body as { id: string }[];
    expect(near.map((e) => e.id).sort()).toEqual(['urn:ngsi-ld:WaterLevelSensor:q0', 'urn:ngsi-ld:WaterLevelSensor:q1', 'urn:ngsi-ld:WaterLevelSensor:q2']);
    const box = [[[x - 0.0005, y - 0.0005], [x + 0.0035, y - 0.0005], [x + 0.0035, y + 0.0005], [x - 0.0005, y + 0.0005], [x - 0.0005, y - 0.0005]]];
    const within = (await p.call('GET', `${BASE}/entities?georel=within&geometry=Polygon&coordinates=${encodeURIComponent(JSON.stringify(box))}&idPattern=${encodeURIComponent(':q')}`, { as: op })).body as { id: string }[];
    expect(within).toHaveLength(4);
    const geojson = await p.call('GET', `${BASE}/entities?georel=within&geometry=Polygon&coordinates=${encodeURIComponent(JSON.stringify(box))}&idPattern=${encodeURIComponent(':q')}`, { as: op, headers: { accept: 'application/geo+json' } });
    expect(String(geojson.headers['content-type'])).toMatch(/geo\+json/);
    expect((geojson.body as { type: string; features: { geometry: { type: string } }[] }).features[0]?.geometry.type).toBe('Point');
    const bad = await p.call('GET', `${BASE}/entities?georel=near&geometry=Point&coordinates=[1,2]`, { as: op });
    expect(bad.status).toBe(400);
  });
});

describe('history and the temporal API', () => {
  it('keeps every change with the time the source observed it', async () => {
    const id = 'urn:ngsi-ld:WaterLevelSensor:001';
    const all = (await p.call('GET', `${BASE}/temporal/entities/${id}?attrs=waterLevel`, { as: op })).body as { waterLevel: { value: number; observedAt: string }[] };
    expect(all.waterLevel.map((i) => [i.value, i.observedAt])).toEqual([
      [1.2, '2026-06-01T08:00:00.000Z'],
      [1.5, '2026-06-01T09:00:00.000Z'],
      [1.8, '2026-06-01T10:00:00.000Z'],
    ]);
    const between = (await p.call('GET', `${BASE}/temporal/entities/${id}?attrs=waterLevel&timerel=between&timeAt=2026-06-01T08:30:00Z&endTimeAt=2026-06-01T09:30:00Z&options=temporalValues`, { as: op })).body as { waterLevel: { values: [number, string][] } };
    expect(between.waterLevel.values).toEqual([[1.5, '2026-06-01T09:00:00.000Z']]);
    const last = (await p.call('GET', `${BASE}/temporal/entities/${id}?attrs=waterLevel&lastN=1&options=temporalValues`, { as: op })).body as { waterLevel: { values: [number, string][] } };
    expect(last.waterLevel.values).toEqual([[1.8, '2026-06-01T10:00:00.000Z']]);
    const before = (await p.call('GET', `${BASE}/temporal/entities/${id}?attrs=waterLevel&timerel=before&timeAt=2026-06-01T09:00:00Z&options=temporalValues`, { as: op })).body as { waterLevel: { values: [number, string][] } };
    expect(before.waterLevel.values).toEqual([[1.2, '2026-06-01T08:00:00.000Z']]);
    const badRange = await p.call('GET', `${BASE}/temporal/entities/${id}?timerel=between&timeAt=2026-06-01T09:00:00Z`, { as: op });
    expect(badRange.status).toBe(400);
  });

  it('aggregates values per period (sum, avg, min, max, totalCount)', async () => {
    const id = 'urn:ngsi-ld:WaterLevelSensor:001';
    const hourly = (await p.call('GET', `${BASE}/temporal/entities/${id}?attrs=waterLevel&aggrMethods=avg,max,totalCount&aggrPeriodDuration=PT2H&timerel=between&timeAt=2026-06-01T08:00:00Z&endTimeAt=2026-06-01T12:00:00Z`, { as: op })).body as { waterLevel: Record<string, [number, string, string][]> };
    // 08:00 → 1.2 and 09:00 → 1.5 fall in the first two hours, 10:00 → 1.8 in the next
    expect(hourly.waterLevel.avg).toEqual([
      [1.35, '2026-06-01T08:00:00.000Z', '2026-06-01T10:00:00.000Z'],
      [1.8, '2026-06-01T10:00:00.000Z', '2026-06-01T12:00:00.000Z'],
    ]);
    expect(hourly.waterLevel.max?.map((x) => x[0])).toEqual([1.5, 1.8]);
    expect(hourly.waterLevel.totalCount?.map((x) => x[0])).toEqual([2, 1]);
    const whole = (await p.call('GET', `${BASE}/temporal/entities/${id}?attrs=waterLevel&aggrMethods=sum,min`, { as: op })).body as { waterLevel: Record<string, [number, string, string][]> };
    expect(whole.waterLevel.sum?.[0]?.[0]).toBeCloseTo(4.5);
    expect(whole.waterLevel.min?.[0]?.[0]).toBe(1.2);
    expect((await p.call('GET', `${BASE}/temporal/entities/${id}?aggrMethods=median`, { as: op })).status).toBe(400);
    expect((await p.call('GET', `${BASE}/temporal/entities/${id}?aggrMethods=avg&aggrPeriodDuration=1h`, { as: op })).status).toBe(400);
  });

  it('queries the history of several entities', async () => {
    const res = await p.call('GET', `${BASE}/temporal/entities?type=WaterLevelSensor&idPattern=${encodeURIComponent(':00[1]$')}&attrs=waterLevel&lastN=2&options=temporalValues&count=true`, { as: op });
    expect(res.status).toBe(200);
    expect(res.headers['ngsild-results-count']).toBe('1');
    expect((res.body as { id: string; waterLevel: { values: unknown[] } }[])[0]?.waterLevel.values).toHaveLength(2);
    expect((await p.call('GET', `${BASE}/temporal/entities?attrs=waterLevel`, { as: op })).status).toBe(400);
  });

  it('audits twin changes', async () => {
    const auditor = await p.login('auditadmin');
    const page = (await p.call('GET', '/api/audit?action=twin.entity&limit=100', { as: auditor })).body as { items: { action: string }[] };
    expect(page.items.map((i) => i.action)).toEqual(expect.arrayContaining(['twin.entity-created', 'twin.entity-updated', 'twin.entity-deleted']));
  });
});

describe('batch operations', () => {
  const b = (id: string, level: number) => sensor(`urn:ngsi-ld:WaterLevelSensor:${id}`, village.centroid, level);

  it('creates a batch, reporting per-entity errors with 207', async () => {
    const ok = await p.call('POST', `${BASE}/entityOperations/create`, { as: op, body: [b('b1', 1), b('b2', 2)] });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual(['urn:ngsi-ld:WaterLevelSensor:b1', 'urn:ngsi-ld:WaterLevelSensor:b2']);
    const mixed = await p.call('POST', `${BASE}/entityOperations/create`, { as: op, body: [b('b3', 3), b('b1', 1), { id: 'bad id', type: 'X' }, sensor('urn:ngsi-ld:WaterLevelSensor:b4', otherVillage.centroid, 4)] });
    expect(mixed.status).toBe(207);
    const r = mixed.body as { success: string[]; errors: { entityId: string; error: { type: string; status: number } }[] };
    expect(r.success).toEqual(['urn:ngsi-ld:WaterLevelSensor:b3']);
    expect(r.errors.map((e) => [e.entityId, e.error.status])).toEqual([
      ['urn:ngsi-ld:WaterLevelSensor:b1', 409],
      ['bad id', 400],
      ['urn:ngsi-ld:WaterLevelSensor:b4', 403],
    ]);
    expect(r.errors[0]?.error.type).toBe('https://uri.etsi.org/ngsi-ld/errors/AlreadyExists');
    // nothing of the failed ones was written
    expect((await p.call('GET', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:b4`, { as: admin })).status).toBe(404);
  });

  it('upserts (replace or update), updates and deletes in batches', async () => {
    const up = await p.call('POST', `${BASE}/entityOperations/upsert`, { as: op, body: [{ id: 'urn:ngsi-ld:WaterLevelSensor:b1', type: 'WaterLevelSensor', waterLevel: { type: 'Property', value: 9 } }, b('b5', 5)] });
    expect(up.status).toBe(201);
    expect(up.body).toEqual(['urn:ngsi-ld:WaterLevelSensor:b5']);
    const replaced = (await p.call('GET', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:b1?options=keyValues`, { as: op })).body as Record<string, unknown>;
    expect(replaced).toEqual({ id: 'urn:ngsi-ld:WaterLevelSensor:b1', type: 'WaterLevelSensor', waterLevel: 9 });
    const merge = await p.call('POST', `${BASE}/entityOperations/upsert?options=update`, { as: op, body: [{ id: 'urn:ngsi-ld:WaterLevelSensor:b2', type: 'WaterLevelSensor', battery: { type: 'Property', value: 0.5 } }] });
    expect(merge.status).toBe(204);
    const merged = (await p.call('GET', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:b2?options=keyValues`, { as: op })).body as Record<string, unknown>;
    expect(merged).toMatchObject({ waterLevel: 2, battery: 0.5 });
    const upd = await p.call('POST', `${BASE}/entityOperations/update?options=noOverwrite`, { as: op, body: [{ id: 'urn:ngsi-ld:WaterLevelSensor:b2', battery: { type: 'Property', value: 0.1 } }, { id: 'urn:ngsi-ld:WaterLevelSensor:b3', battery: { type: 'Property', value: 0.7 } }] });
    expect(upd.status).toBe(207);
    expect((upd.body as { success: string[] }).success).toEqual(['urn:ngsi-ld:WaterLevelSensor:b3']);
    const del = await p.call('POST', `${BASE}/entityOperations/delete`, { as: op, body: ['urn:ngsi-ld:WaterLevelSensor:b1', 'urn:ngsi-ld:WaterLevelSensor:none'] });
    expect(del.status).toBe(207);
    expect((del.body as { errors: { entityId: string; error: { status: number } }[] }).errors).toEqual([expect.objectContaining({ entityId: 'urn:ngsi-ld:WaterLevelSensor:none', error: expect.objectContaining({ status: 404 }) })]);
    expect((await p.call('POST', `${BASE}/entityOperations/delete`, { as: op, body: ['urn:ngsi-ld:WaterLevelSensor:b2'] })).status).toBe(204);
    for (const bad of [{}, [], 'x', Array.from({ length: 1001 }, () => 'urn:a:b')]) {
      expect((await p.call('POST', `${BASE}/entityOperations/delete`, { as: op, body: bad })).status).toBe(400);
    }
  });

  it('queries with a JSON body', async () => {
    const res = await p.call('POST', `${BASE}/entityOperations/query?count=true`, {
      as: op,
      body: { type: 'Query', entities: [{ type: 'WaterLevelSensor', idPattern: ':b[0-9]$' }], q: 'waterLevel>=3', attrs: ['waterLevel'] },
    });
    expect(res.status).toBe(200);
    expect((res.body as { id: string }[]).map((e) => e.id)).toEqual(['urn:ngsi-ld:WaterLevelSensor:b3', 'urn:ngsi-ld:WaterLevelSensor:b5']);
    expect(res.headers['ngsild-results-count']).toBe('2');
    expect(Object.keys((res.body as Record<string, unknown>[])[0] ?? {}).sort()).toEqual(['id', 'type', 'waterLevel']);
    expect((await p.call('POST', `${BASE}/entityOperations/query`, { as: op, body: { entities: [] } })).status).toBe(400);
  });
});

describe('bad input', () => {
  it('never answers random bodies and queries with a 5xx', async () => {
    const fc = (await import('fast-check')).default;
    const attr = fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('Property', 'Relationship', 'GeoProperty', 'Nope'), value: fc.jsonValue(), object: fc.jsonValue(), observedAt: fc.string() }, { requiredKeys: ['type'] }));
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ id: fc.oneof(fc.string(), fc.constant('urn:ngsi-ld:Fuzz:1')), type: fc.oneof(fc.string(), fc.jsonValue()), x: attr, location: attr }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('POST /entities', 'POST attrs', 'PATCH attrs', 'PATCH attr'), async (b, where) => {
        const url = where === 'POST /entities' ? `${BASE}/entities` : where === 'PATCH attr' ? `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:001/attrs/status` : `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:001/attrs`;
        const r = await p.call(where.startsWith('POST') ? 'POST' : 'PATCH', url, { as: admin, body: JSON.stringify(b), headers: { 'content-type': 'application/json' } });
        expect(r.status, `${where} ${JSON.stringify(b)} → ${r.text}`).toBeLessThan(500);
      }),
      { numRuns: 300, seed: 20261127 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string(), async (q, georel, coordinates) => {
        const r = await p.call('GET', `${BASE}/entities?type=WaterLevelSensor&q=${encodeURIComponent(q)}&georel=${encodeURIComponent(georel)}&geometry=Point&coordinates=${encodeURIComponent(coordinates)}`, { as: admin });
        expect(r.status, `q=${q} georel=${georel} → ${r.text}`).toBeLessThan(500);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
