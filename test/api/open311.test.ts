// SPDX-License-Identifier: Apache-2.0
// Open311 GeoReport v2: a citizen app lists services, reads a service definition, posts a form-encoded
// request with a location and attributes, and follows its status; invalid calls get the standard error list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail, Open311Created, Open311Request, Open311Service, Open311ServiceDefinition } from '../../contracts/dispatch-incidents.ts';
import type { Region } from '../../contracts/regions.ts';
import { createTestPlatform, type TestPlatform, type TestResponse } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };
const BASE = '/open311/v2';

let p: TestPlatform;
let apiKey: string;
let provinceKey: string;
let villageA: Region;
let villageB: Region;

function ok<T>(res: TestResponse, status = 200): T {
  expect(res.status, `${res.status} ${res.text.slice(0, 400)}`).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  return res.body as T;
}

/** GeoReport v2 errors: always a list of { code, description } with the HTTP status as code. */
function expectErrors(res: TestResponse, status: number, pattern?: RegExp): string {
  expect(res.status, `${res.status} ${res.text.slice(0, 400)}`).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  const list = res.body as { code: number; description: string }[];
  expect(Array.isArray(list)).toBe(true);
  expect(list.length).toBeGreaterThan(0);
  expect(list[0]?.code).toBe(status);
  expect(typeof list[0]?.description).toBe('string');
  if (pattern) expect(list[0]?.description).toMatch(pattern);
  return list[0]?.description ?? '';
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const postForm = (fields: Record<string, string>) =>
  p.call('POST', `${BASE}/requests.json`, { body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

beforeAll(async () => {
  p = await createTestPlatform();
  const sys = await p.login('sysadmin');
  const countyA = p.account('operator-a').scope as string;
  const countyB = p.account('operator-b').scope as string;
  villageA = (ok<Page<Region>>(await p.call('GET', `/api/regions/${countyA}/subtree?level=village&limit=5`, { as: sys })).items[0]) as Region;
  villageB = (ok<Page<Region>>(await p.call('GET', `/api/regions/${countyB}/subtree?level=village&limit=5`, { as: sys })).items[0]) as Region;
  // the citizen app's key: an API token of a county operator (reports and reads in county A)
  apiKey = ok<{ token: string }>(await p.call('POST', '/api/tokens', { as: await p.login('operator-a'), body: { name: 'citizen app' } }), 201).token;
  provinceKey = ok<{ token: string }>(await p.call('POST', '/api/tokens', { as: await p.login('province-admin'), body: { name: 'province app' } }), 201).token;
});
afterAll(async () => {
  await p?.stop();
});

describe('a GeoReport v2 client', () => {
  let id: string;

  it('lists services without a key and reads a service definition', async () => {
    const services = ok<Open311Service[]>(await p.call('GET', `${BASE}/services.json`));
    const road = services.find((s) => s.service_code === 'road-damage');
    expect(road).toMatchObject({ service_name: '道路破损', metadata: true, type: 'realtime', group: '城市管理' });
    expect(road?.keywords).toMatch(/pothole/);
    expect(services.map((s) => s.service_code)).toEqual(expect.arrayContaining(['manhole-cover-missing', 'illegal-construction', 'garbage', 'street-light-out', 'waterlogged-street']));
    // emergencies are not citizen services
    expect(services.some((s) => s.service_code === 'fire')).toBe(false);
    const en = ok<Open311Service[]>(await p.call('GET', `${BASE}/services.json?locale=en`));
    expect(en.find((s) => s.service_code === 'road-damage')).toMatchObject({ service_name: 'Road damage', group: 'Urban management' });
    const def = ok<Open311ServiceDefinition>(await p.call('GET', `${BASE}/services/road-damage.json`));
    expect(def.service_code).toBe('road-damage');
    const severity = def.attributes.find((a) => a.code === 'severity');
    expect(severity).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: false });
    expect(severity?.values?.map((v) => v.key)).toEqual(['low', 'medium', 'high']);
  });

  it('posts a form-encoded request with a location and attributes', async () => {
    const [lon, lat] = villageA.centroid as [number, number];
    const res = await postForm({
      api_key: apiKey, service_code: 'road-damage', lat: String(lat), long: String(lon), address_string: '人民路 12 号',
      description: '人行道塌陷，有行人摔倒', 'attribute[severity]': 'high', 'attribute[photo_url]': 'https://photos.example.cn/1.jpg',
      first_name: '小明', last_name: '王', phone: '13912345678', email: 'wang@example.cn', media_url: 'https://photos.example.cn/1.jpg', device_id: 'ios-1', jurisdiction_id: 'demo',
      account_id: '', // blank form fields count as absent
    });
    const [created] = ok<Open311Created[]>(res, 201);
    expect(created?.service_request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created?.service_notice).toBeTruthy();
    expect(created).toHaveProperty('account_id', null);
    id = created?.service_request_id as string;
  });

  it('reads the request\'s status, without personal data', async () => {
    const [req] = ok<Open311Request[]>(await p.call('GET', `${BASE}/requests/${id}.json?api_key=${apiKey}`));
    expect(req).toMatchObject({
      service_request_id: id, status: 'open', service_code: 'road-damage', service_name: '道路破损', description: '人行道塌陷，有行人摔倒',
      address: '人民路 12 号', media_url: 'https://photos.example.cn/1.jpg', agency_responsible: expect.any(String),
    });
    expect(req?.lat).toBeCloseTo((villageA.centroid as [number, number])[1], 6);
    expect(Date.parse(req?.expected_datetime ?? '')).toBeGreaterThan(Date.parse(req?.requested_datetime ?? ''));
    expect(JSON.stringify(req)).not.toMatch(/13912345678|wang@example|小明/);
    // by id list, service code and status; the Authorization header works as well as api_key
    const list = ok<Open311Request[]>(await p.call('GET', `${BASE}/requests.json?service_request_id=${id},00000000-0000-4000-8000-000000000000,nonsense`, { headers: { authorization: `Bearer ${apiKey}` } }));
    expect(list.map((r) => r.service_request_id)).toEqual([id]);
    expect(ok<Open311Request[]>(await p.call('GET', `${BASE}/requests.json?api_key=${apiKey}&service_code=road-damage,garbage&status=open`)).map((r) => r.service_request_id)).toContain(id);
    expect(ok<Open311Request[]>(await p.call('GET', `${BASE}/requests.json?api_key=${apiKey}&status=closed`)).map((r) => r.service_request_id)).not.toContain(id);
    const start = new Date(Date.now() - 3_600_000).toISOString();
    expect(ok<Open311Request[]>(await p.call('GET', `${BASE}/requests.json?api_key=${apiKey}&start_date=${encodeURIComponent(start)}`)).map((r) => r.service_request_id)).toContain(id);
    const [token] = ok<{ service_request_id: string; token: string }[]>(await p.call('GET', `${BASE}/tokens/${id}.json?api_key=${apiKey}`));
    expect(token).toEqual({ service_request_id: id, token: id });
  });

  it('is an incident in the platform, with the citizen\'s data masked for those without clearance', async () => {
    const viewer = ok<IncidentDetail>(await p.call('GET', `/api/incidents/${id}`, { as: await p.login('viewer') }));
    expect(viewer).toMatchObject({ source: 'open311', typeCode: 'road-damage', attributes: { severity: 'high', photo_url: 'https://photos.example.cn/1.jpg' } });
    expect(viewer.reporter).toEqual({ name: '王**', phone: '139****5678', email: 'w***@example.cn' });
    const dispatcher = ok<IncidentDetail>(await p.call('GET', `/api/incidents/${id}`, { as: await p.login('dispatcher') }));
    expect(dispatcher.reporter).toEqual({ name: '王小明', phone: '13912345678', email: 'wang@example.cn' });
    // resolved in the console → closed in Open311, with the last note as status_notes
    for (const body of [{ action: 'verify' }, { action: 'respond' }, { action: 'resolve', note: '已修复路面' }]) {
      ok(await p.call('POST', `/api/incidents/${id}/actions`, { as: await p.login('dispatcher'), body }));
    }
    const [req] = ok<Open311Request[]>(await p.call('GET', `${BASE}/requests/${id}.json?api_key=${apiKey}`));
    expect(req).toMatchObject({ status: 'closed', status_notes: '已修复路面', expected_datetime: null });
  });

  it('accepts JSON too, links a duplicate nearby (200), and places an address-only report in the key\'s region', async () => {
    const [lon, lat] = villageA.centroid as [number, number];
    const first = ok<Open311Created[]>(await p.call('POST', `${BASE}/requests.json`, { body: { api_key: apiKey, service_code: 'garbage', lat, long: lon, attribute: { severity: 'low' } } }), 201)[0];
    const dup = ok<Open311Created[]>(await postForm({ api_key: apiKey, service_code: 'garbage', lat: String(lat + 0.0005), long: String(lon), description: 'again' }), 200)[0];
    expect(dup?.service_request_id).toBe(first?.service_request_id);
    const addressOnly = ok<Open311Created[]>(await postForm({ api_key: apiKey, service_code: 'street-light-out', address_string: '解放路口' }), 201)[0];
    const incident = ok<IncidentDetail>(await p.call('GET', `/api/incidents/${addressOnly?.service_request_id}`, { as: await p.login('dispatcher') }));
    expect(incident).toMatchObject({ regionCode: p.account('operator-a').scope, address: '解放路口', lon: null });
  });
});

describe('invalid calls get the standard error list', () => {
  const [lon, lat] = [113.5, 28.5];
  it('needs an api_key for requests (403), but not for services', async () => {
    expectErrors(await postForm({ service_code: 'garbage', lat: String(lat), long: String(lon) }), 403, /api_key/);
    expectErrors(await postForm({ api_key: 'yzt_forged', service_code: 'garbage', lat: String(lat), long: String(lon) }), 403, /api_key/);
    expectErrors(await p.call('GET', `${BASE}/requests.json`), 403, /api_key/);
    expectErrors(await p.call('GET', `${BASE}/requests/00000000-0000-4000-8000-000000000000.json`), 403);
    expectErrors(await p.call('GET', `${BASE}/tokens/x.json`), 403);
  });

  it('refuses bad requests with 400 and writes nothing', async () => {
    const { rows } = await p.deps.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM incident');
    const base = { api_key: apiKey, service_code: 'garbage', lat: String((villageA.centroid as [number, number])[1]), long: String((villageA.centroid as [number, number])[0]) };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, service_code: 'teleporter' }, /service_code/],
      [{ ...base, service_code: 'fire' }, /service_code/],
      [{ api_key: apiKey, service_code: 'garbage' }, /location|lat/],
      [{ ...base, lat: 'north' }, /lat/],
      [{ ...base, long: '500' }, /long/],
      [{ api_key: apiKey, service_code: 'garbage', lat: '28.5' }, /long/],
      [{ ...base, 'attribute[severity]': 'extreme' }, /severity/],
      [{ ...base, 'attribute[colour]': 'red' }, /colour/],
      [{ ...base, favourite_colour: 'red' }, /favourite_colour/],
      [{ ...base, email: 'not-an-email' }, /email/],
      [{ ...base, media_url: 'ftp://x' }, /media_url/],
      [{ ...base, lat: '10', long: '10' }, /region/],
    ];
    for (const [fields, pattern] of cases) expectErrors(await postForm(fields), 400, pattern);
    expectErrors(await p.call('POST', `${BASE}/requests.json`, { body: '{"service_code":', headers: { 'content-type': 'application/json' } }), 400);
    // a key whose region does not contain the place
    expectErrors(await postForm({ ...base, lat: String((villageB.centroid as [number, number])[1]), long: String((villageB.centroid as [number, number])[0]) }), 403);
    expect((await p.deps.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM incident')).rows[0]?.n).toBe(rows[0]?.n);
    expectErrors(await p.call('GET', `${BASE}/requests.json?api_key=${apiKey}&status=pending`), 400, /status/);
    expectErrors(await p.call('GET', `${BASE}/requests.json?api_key=${apiKey}&start_date=yesterday`), 400, /start_date/);
    expectErrors(await p.call('GET', `${BASE}/requests.json?api_key=${apiKey}&service_code=teleporter`), 400, /service_code/);
  });

  it('answers 404 for what does not exist, or lies outside the key\'s region', async () => {
    expectErrors(await p.call('GET', `${BASE}/services/fire.json`), 404);
    expectErrors(await p.call('GET', `${BASE}/services/teleporter.json`), 404);
    expectErrors(await p.call('GET', `${BASE}/requests/00000000-0000-4000-8000-000000000000.json?api_key=${apiKey}`), 404);
    expectErrors(await p.call('GET', `${BASE}/requests/not-an-id.json?api_key=${apiKey}`), 404);
    expectErrors(await p.call('GET', `${BASE}/discovery.json`), 404);
    expectErrors(await p.call('GET', `${BASE}/services.xml`), 404);
    // a request of county B, read with county A's key: not in its region
    const [lonB, latB] = villageB.centroid as [number, number];
    const [b] = ok<Open311Created[]>(await postForm({ api_key: provinceKey, service_code: 'garbage', lat: String(latB), long: String(lonB) }), 201);
    expectErrors(await p.call('GET', `${BASE}/requests/${b?.service_request_id}.json?api_key=${apiKey}`), 403);
    expect(ok<Open311Request[]>(await p.call('GET', `${BASE}/requests.json?api_key=${apiKey}&service_request_id=${b?.service_request_id}`))).toEqual([]);
    void lon;
    void lat;
  });
});
