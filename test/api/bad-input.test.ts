// SPDX-License-Identifier: Apache-2.0
// Bad input at every write endpoint: malformed JSON, wrong types, unknown fields, oversized bodies, wrong
// content types, bad ids, hostile strings and impossible dates → a 4xx problem+json, never a 5xx, and
// nothing half-written. Closes with property-based tests throwing random bodies at every write endpoint.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contracts/audit.ts';
import { Problem } from '../../contracts/common.ts';
import { ROLES, type FieldClassification, type Organization, type User } from '../../contracts/identity.ts';
import { LEVELS, type Region } from '../../contracts/regions.ts';
import { createTestPlatform, type TestPlatform, type TestResponse } from '../helpers/platform.ts';

const MiB = 1024 * 1024;
/** The import routes have their own (larger) body limit; a small one here keeps the 413 test cheap. */
const IMPORT_LIMIT = 2 * MiB;
const PASSWORD = 'Bad-Input-Passw0rd!';
const NEW_PASSWORD = 'Changed-Passw0rd-42!';
/** Fixed seeds: every run throws the same bodies (change SEED to explore further). */
const SEED = 20_261_127;
let seedIndex = 0;
const nextSeed = () => SEED + 7919 * ++seedIndex;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Who = 'sysadmin' | 'secadmin' | 'auditadmin' | 'pw-user' | 'anonymous';
type Json = Record<string, unknown>;
/** What goes over the wire: a raw payload and its content type (none = no body). */
type Wire = { payload?: string; contentType?: string };
type Feature = { type: 'Feature'; properties: { code: string }; geometry: unknown };

type Fixture = {
  countyA: string;
  townshipA: string;
  townshipB: string;
  villages: Region[];
  /** A village whose attributes the fuzzing may change. */
  fuzzVillage: string;
  orgA: string;
  orgAName: string;
  socialOrgA: string;
  fuzzOrg: string;
  fuzzUser: string;
  viewerId: string;
  villageFeature: Feature;
};

let p: TestPlatform;
let F: Fixture;
const sessions = new Map<Who, string>();

async function as(who: Who): Promise<string | undefined> {
  if (who === 'anonymous') return undefined;
  const known = sessions.get(who);
  if (known) return known;
  const cookie = who === 'pw-user' ? await p.login('pw-user', PASSWORD) : await p.login(who);
  sessions.set(who, cookie);
  return cookie;
}

async function sendWire(who: Who, method: Method, url: string, wire: Wire): Promise<TestResponse> {
  const cookie = await as(who);
  const headers: Record<string, string> = {};
  if (wire.contentType !== undefined) headers['content-type'] = wire.contentType;
  return p.call(method, url, { ...(cookie ? { as: cookie } : {}), headers, ...(wire.payload !== undefined ? { body: wire.payload } : {}) });
}
const json = (value: unknown): Wire => {
  const payload = JSON.stringify(value);
  return payload === undefined ? {} : { payload, contentType: 'application/json' };
};
const csv = (text: string): Wire => ({ payload: text, contentType: 'text/csv' });

/** A 4xx answer in RFC 9457 form: problem+json, a code, the status repeated. */
function expectProblem(res: TestResponse, status?: number, code?: string): Problem {
  if (status !== undefined) expect(res.status, res.text.slice(0, 300)).toBe(status);
  else expect(res.status >= 400 && res.status < 500, `expected a 4xx, got ${res.status} ${res.text.slice(0, 300)}`).toBe(true);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const parsed = Problem.safeParse(res.body);
  expect(parsed.success, res.text.slice(0, 300)).toBe(true);
  const problem = res.body as Problem;
  expect(problem.code.length).toBeGreaterThan(0);
  expect(problem.status).toBe(res.status);
  if (code !== undefined) expect(problem.code).toBe(code);
  return problem;
}
/** A validation error naming each of `fields` (as `body.x`, `querystring.x`, `line 2`, …). */
function expectInvalid(res: TestResponse, fields: string[]): void {
  const problem = expectProblem(res, 400);
  const got = (problem.errors ?? []).map((e) => e.field);
  expect(got.length, `no errors[] in ${res.text.slice(0, 300)}`).toBeGreaterThan(0);
  for (const f of fields) expect(got, res.text.slice(0, 400)).toContain(f);
}

// ---------------------------------------------------------------------------------------------
// The write endpoints and a body each accepts
// ---------------------------------------------------------------------------------------------

type Endpoint = {
  name: string;
  who: Who;
  method: Method;
  path: (f: Fixture) => string;
  /** A body the endpoint accepts (the control), which the bad inputs below are made from. */
  valid: (f: Fixture) => Json;
  ok: number;
  /** GeoJSON takes foreign members (RFC 7946 §6.1) and is validated by the import itself. */
  geojson?: boolean;
};

const JSON_ENDPOINTS: Endpoint[] = [
  { name: 'POST /api/auth/login', who: 'anonymous', method: 'POST', path: () => '/api/auth/login', valid: () => ({ username: 'login-user', password: PASSWORD }), ok: 200 },
  { name: 'POST /api/auth/password', who: 'pw-user', method: 'POST', path: () => '/api/auth/password', valid: () => ({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }), ok: 204 },
  { name: 'POST /api/tokens', who: 'sysadmin', method: 'POST', path: () => '/api/tokens', valid: () => ({ name: '数据同步', roles: ['system-admin'], scopeCode: null, expiresInDays: 30 }), ok: 201 },
  {
    name: 'POST /api/organizations',
    who: 'sysadmin',
    method: 'POST',
    path: () => '/api/organizations',
    valid: (f) => ({ kind: 'social', name: '坏输入测试救援队', regionCode: f.countyA, socialType: 'volunteer-team', creditCode: '91990101MA00000001', qualifications: ['水域救援'], contactName: '张伟', contactPhone: '13800000000' }),
    ok: 201,
  },
  {
    name: 'PATCH /api/organizations/{id}',
    who: 'sysadmin',
    method: 'PATCH',
    path: (f) => `/api/organizations/${f.fuzzOrg}`,
    valid: () => ({ name: '坏输入测试机构（改）', qualifications: ['应急抢险'], contactName: '李强', contactPhone: '13900000000', active: true }),
    ok: 200,
  },
  {
    name: 'POST /api/users',
    who: 'sysadmin',
    method: 'POST',
    path: () => '/api/users',
    valid: (f) => ({
      username: 'bad-input-user',
      displayName: '坏输入用户',
      organizationId: f.orgA,
      roles: ['operator'],
      scopeCode: f.countyA,
      clearance: 'internal',
      password: PASSWORD,
      phone: '13700000000',
      idCard: '99010119900101123X',
      email: 'bad-input@example.org',
    }),
    ok: 201,
  },
  {
    name: 'PATCH /api/users/{id}',
    who: 'sysadmin',
    method: 'PATCH',
    path: (f) => `/api/users/${f.fuzzUser}`,
    valid: (f) => ({ displayName: '模糊测试对象', roles: ['operator', 'viewer'], scopeCode: f.countyA, phone: '13600000000', email: 'fuzz@example.org', disabled: false }),
    ok: 200,
  },
  { name: 'PATCH /api/regions/{code}', who: 'sysadmin', method: 'PATCH', path: (f) => `/api/regions/${f.fuzzVillage}`, valid: () => ({ name: '坏输入村', nameEn: 'Bad Input Village', population: 1234 }), ok: 200 },
  {
    name: 'POST /api/regions/changes',
    who: 'sysadmin',
    method: 'POST',
    path: () => '/api/regions/changes',
    valid: (f) => ({
      kind: 'create',
      effectiveDate: '2024-01-01',
      close: [],
      open: [{ code: `${f.townshipB.slice(0, 9)}901`, level: 'village', parentCode: f.townshipB, name: '新设村', nameEn: 'New Village', population: 10, boundary: null }],
      note: '坏输入测试',
    }),
    ok: 201,
  },
  {
    name: 'POST /api/regions/boundaries',
    who: 'sysadmin',
    method: 'POST',
    path: () => '/api/regions/boundaries',
    valid: (f) => ({ type: 'FeatureCollection', features: [f.villageFeature] }),
    ok: 200,
    geojson: true,
  },
  { name: 'PUT /api/classifications', who: 'secadmin', method: 'PUT', path: () => '/api/classifications', valid: () => ({ entity: 'organization', field: 'contactName', classification: 'internal', masking: 'name' }), ok: 200 },
];
/** The endpoint of that name, and its valid body. */
function endpoint(name: string): Endpoint {
  const ep = JSON_ENDPOINTS.find((e) => e.name === name);
  if (!ep) throw new Error(`no endpoint ${name} in the table`);
  return ep;
}
const validOf = (name: string) => endpoint(name).valid(F);
const IMPORT = { name: 'POST /api/regions/import', who: 'sysadmin' as const, method: 'POST' as const, url: '/api/regions/import' };
const validCsv = (f: Fixture) => `code,name,level,parent,name_en,population\n${f.townshipA.slice(0, 9)}902,导入村,village,${f.townshipA},Imported Village,42\n`;

beforeAll(async () => {
  p = await createTestPlatform({ YZ_IMPORT_LIMIT_BYTES: String(IMPORT_LIMIT) });
  const sys = (await as('sysadmin')) as string;
  const get = async <T>(url: string): Promise<T> => {
    const res = await p.call('GET', url, { as: sys });
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text}`);
    return res.body as T;
  };
  const post = async <T>(url: string, body: Json): Promise<T> => {
    const res = await p.call('POST', url, { as: sys, body });
    if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${res.text}`);
    return res.body as T;
  };
  const countyA = p.account('operator-a').scope as string;
  const townships = (await get<{ items: Region[] }>(`/api/regions/${countyA}/children`)).items;
  const townshipA = townships[0]?.code as string;
  const townshipB = townships[1]?.code as string;
  const villages = (await get<{ items: Region[] }>('/api/regions?level=village&limit=1000')).items;
  const orgs = (await get<{ items: Organization[] }>(`/api/organizations?regionCode=${countyA}&limit=1000`)).items;
  const govA = orgs.find((o) => o.kind === 'government') as Organization;
  const orgA = govA.id;
  const socialOrgA = orgs.find((o) => o.kind === 'social')?.id as string;
  const fuzzOrg = (await post<Organization>('/api/organizations', { kind: 'government', name: '模糊测试机构', regionCode: countyA, departmentType: 'transport' })).id;
  const mkUser = (username: string) => post<User>('/api/users', { username, displayName: username, organizationId: orgA, roles: ['viewer'], scopeCode: countyA, password: PASSWORD });
  const fuzzUser = (await mkUser('fuzz-target')).id;
  await mkUser('pw-user');
  await mkUser('login-user');
  const users = (await get<{ items: User[] }>('/api/users?limit=1000')).items;
  const fuzzVillage = villages.at(-1)?.code as string;
  const geo = await get<{ features: Feature[] }>(`/api/regions/${townshipA}/geojson?level=village`);
  F = {
    countyA,
    townshipA,
    townshipB,
    villages,
    fuzzVillage,
    orgA,
    orgAName: govA.name,
    socialOrgA,
    fuzzOrg,
    fuzzUser,
    viewerId: users.find((u) => u.username === 'viewer')?.id as string,
    villageFeature: geo.features[0] as Feature,
  };
});
afterAll(async () => {
  await p?.stop();
});

const call = (ep: Endpoint, wire: Wire) => sendWire(ep.who, ep.method, ep.path(F), wire);

// ---------------------------------------------------------------------------------------------

describe('the control: each write endpoint accepts its valid body', () => {
  for (const ep of JSON_ENDPOINTS) {
    it(`${ep.name} → ${ep.ok}`, async () => {
      const res = await call(ep, json(ep.valid(F)));
      expect(res.status, res.text.slice(0, 300)).toBe(ep.ok);
    });
  }
  it(`${IMPORT.name} (text/csv) → 200`, async () => {
    const res = await sendWire(IMPORT.who, IMPORT.method, IMPORT.url, csv(validCsv(F)));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ inserted: 1, updated: 0, total: 1 });
  });
  it('POST /api/users/{id}/unlock → 200', async () => {
    const res = await sendWire('secadmin', 'POST', `/api/users/${F.fuzzUser}/unlock`, {});
    expect(res.status, res.text).toBe(200);
  });
});

describe('malformed JSON → 400 malformed-json', () => {
  const MALFORMED = ['{', '{"a":', '{"a":1,}', "{'a':1}", 'nul', '[1,2', '{"a":1}}', '"unterminated', '{"a":1}garbage', '\u0000', '{"a":NaN}', '{"a":0x10}', '{"a":undefined}', ''];
  for (const ep of JSON_ENDPOINTS) {
    it(ep.name, async () => {
      for (const payload of MALFORMED) {
        const res = await call(ep, { payload, contentType: 'application/json' });
        expectProblem(res, 400, 'malformed-json');
      }
    });
  }
  it('POST /api/regions/boundaries as application/geo+json', async () => {
    for (const payload of MALFORMED.filter((m) => m !== '')) {
      expectProblem(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', { payload, contentType: 'application/geo+json' }), 400, 'malformed-json');
    }
  });
  it('a __proto__ key is refused rather than merged into the parsed body', async () => {
    for (const ep of JSON_ENDPOINTS.filter((e) => !e.geojson)) {
      const payload = JSON.stringify(ep.valid(F)).replace(/^\{/, '{"__proto__":{"isAdmin":true},');
      expectProblem(await call(ep, { payload, contentType: 'application/json' }), 400);
    }
  });
});

function wrongTypeOf(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'twelve';
  if (typeof v === 'boolean') return 'yes';
  if (Array.isArray(v)) return { not: 'an array' };
  if (v === null) return [];
  return 'not an object';
}

describe('wrong types → 400 invalid, naming every failing field', () => {
  for (const ep of JSON_ENDPOINTS) {
    it(`${ep.name}: every field of the wrong type`, async () => {
      const valid = ep.valid(F);
      const wrong = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, wrongTypeOf(v)]));
      const res = await call(ep, json(wrong));
      if (ep.geojson) expectInvalid(res, ['type']);
      else expectInvalid(res, Object.keys(valid).map((k) => `body.${k}`));
    });
    it(`${ep.name}: one field at a time`, async () => {
      const valid = ep.valid(F);
      for (const [k, v] of Object.entries(valid)) {
        if (ep.geojson && k !== 'type' && k !== 'features') continue;
        const res = await call(ep, json({ ...valid, [k]: wrongTypeOf(v) }));
        expectInvalid(res, [ep.geojson ? 'type' : `body.${k}`]);
      }
    });
    it(`${ep.name}: a body that is not an object`, async () => {
      for (const body of [[], [ep.valid(F)], 1, 'text', true, null]) {
        const res = await call(ep, json(body));
        expectInvalid(res, [ep.geojson ? 'type' : 'body']);
      }
    });
  }
  it('nested values: a region to open with wrong types names its path', async () => {
    const res = await sendWire('sysadmin', 'POST', '/api/regions/changes', json({ kind: 'create', effectiveDate: '2024-01-01', open: [{ code: 990101002903, level: 'hamlet', parentCode: null, name: '' }] }));
    expectInvalid(res, ['body.open.0.code', 'body.open.0.level', 'body.open.0.name']);
  });
  it('out-of-range values: enums, lengths, bounds and patterns', async () => {
    const cases: [string, Json, string][] = [
      ['POST /api/tokens', { name: 'x', expiresInDays: 0 }, 'body.expiresInDays'],
      ['POST /api/tokens', { name: 'x', expiresInDays: 1.5 }, 'body.expiresInDays'],
      ['POST /api/tokens', { name: '   ' }, 'body.name'],
      ['POST /api/tokens', { name: 'x', roles: [] }, 'body.roles'],
      ['POST /api/tokens', { name: 'x', roles: ['root'] }, 'body.roles.0'],
      ['POST /api/organizations', { ...validOf('POST /api/organizations'), regionCode: '99010100000' }, 'body.regionCode'],
      ['POST /api/organizations', { ...validOf('POST /api/organizations'), creditCode: '91990101MA0000000I' }, 'body.creditCode'],
      ['POST /api/organizations', { ...validOf('POST /api/organizations'), contactPhone: 'call me' }, 'body.contactPhone'],
      ['POST /api/organizations', { ...validOf('POST /api/organizations'), departmentType: 'health' }, 'body.departmentType'],
      ['POST /api/organizations', { ...validOf('POST /api/organizations'), name: 'x'.repeat(201) }, 'body.name'],
      ['POST /api/users', { ...validOf('POST /api/users'), username: 'a b' }, 'body.username'],
      ['POST /api/users', { ...validOf('POST /api/users'), email: 'not-an-email' }, 'body.email'],
      ['POST /api/users', { ...validOf('POST /api/users'), idCard: '12345' }, 'body.idCard'],
      ['POST /api/users', { ...validOf('POST /api/users'), organizationId: 'not-a-uuid' }, 'body.organizationId'],
      ['POST /api/users', { ...validOf('POST /api/users'), clearance: 'top-secret' }, 'body.clearance'],
      ['POST /api/users', { ...validOf('POST /api/users'), roles: ROLES.concat(['viewer']) }, 'body.roles'],
      ['PATCH /api/regions/{code}', { population: -1 }, 'body.population'],
      ['PATCH /api/regions/{code}', { population: 2_000_000_001 }, 'body.population'],
      ['PATCH /api/regions/{code}', { name: '' }, 'body.name'],
      ['POST /api/regions/changes', { kind: 'annex', effectiveDate: '2024-01-01' }, 'body.kind'],
      ['POST /api/regions/changes', { kind: 'create', effectiveDate: '01/02/2024' }, 'body.effectiveDate'],
      ['PUT /api/classifications', { entity: 'user', field: 'phone', classification: 'secret', masking: 'phone' }, 'body.classification'],
      ['PUT /api/classifications', { entity: 'user', field: 'phone', classification: 'core', masking: 'blur' }, 'body.masking'],
    ];
    for (const [name, body, field] of cases) expectInvalid(await call(endpoint(name), json(body)), [field]);
  });
});

describe('unknown fields → 400 invalid (bodies are strict)', () => {
  for (const ep of JSON_ENDPOINTS.filter((e) => !e.geojson)) {
    it(ep.name, async () => {
      const res = await call(ep, json({ ...ep.valid(F), unexpected: true }));
      const problem = expectProblem(res, 400, 'invalid');
      const errors = problem.errors ?? [];
      expect(errors.some((e) => e.field === 'body.unexpected' || (e.field === 'body' && e.message.includes('unexpected'))), res.text).toBe(true);
    });
  }
  it('POST /api/regions/changes: an unknown field in a region to open', async () => {
    const ep = endpoint('POST /api/regions/changes');
    const body = ep.valid(F) as { open: Json[] };
    const res = await call(ep, json({ ...body, open: [{ ...body.open[0], parentName: 'x' }] }));
    const problem = expectProblem(res, 400, 'invalid');
    expect((problem.errors ?? []).some((e) => e.field.startsWith('body.open.0') && `${e.field} ${e.message}`.includes('parentName')), res.text).toBe(true);
  });
  it('PATCH bodies cannot sneak in read-only attributes', async () => {
    for (const [url, body] of [
      [`/api/users/${F.fuzzUser}`, { username: 'renamed' }],
      [`/api/users/${F.fuzzUser}`, { locked: false }],
      [`/api/users/${F.fuzzUser}`, { password: PASSWORD }],
      [`/api/organizations/${F.fuzzOrg}`, { regionCode: F.townshipA }],
      [`/api/organizations/${F.fuzzOrg}`, { kind: 'social' }],
      [`/api/regions/${F.fuzzVillage}`, { parentCode: F.townshipA }],
      [`/api/regions/${F.fuzzVillage}`, { level: 'township' }],
    ] as [string, Json][]) {
      expectProblem(await sendWire('sysadmin', 'PATCH', url, json(body)), 400, 'invalid');
    }
  });
});

describe('oversized bodies → 413 too-large', () => {
  for (const ep of JSON_ENDPOINTS.filter((e) => !e.geojson)) {
    it(`${ep.name}: more than 1 MiB`, async () => {
      const res = await call(ep, json({ ...ep.valid(F), padding: 'x'.repeat(MiB + 1024) }));
      expectProblem(res, 413, 'too-large');
    });
  }
  it('POST /api/users/{id}/unlock: more than 1 MiB', async () => {
    expectProblem(await sendWire('secadmin', 'POST', `/api/users/${F.fuzzUser}/unlock`, json({ padding: 'x'.repeat(MiB + 1024) })), 413, 'too-large');
  });
  it('the import routes take more than 1 MiB, but not more than their own limit', async () => {
    const lines = (n: number) => `code,name,level,parent\n${'9,x,village,9\n'.repeat(n)}`;
    const large = await sendWire('sysadmin', 'POST', '/api/regions/import', csv(lines(Math.ceil((1.5 * MiB) / 14))));
    expectProblem(large, 400, 'invalid'); // parsed (and refused line by line), not refused for its size
    expectProblem(await sendWire('sysadmin', 'POST', '/api/regions/import', csv(lines(Math.ceil((IMPORT_LIMIT + 1024) / 14)))), 413, 'too-large');
    const big = { type: 'FeatureCollection', features: [], padding: 'x'.repeat(IMPORT_LIMIT + 1024) };
    expectProblem(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', json(big)), 413, 'too-large');
    expectProblem(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', { payload: JSON.stringify(big), contentType: 'application/geo+json' }), 413, 'too-large');
  });
});

describe('wrong content type → 4xx problem+json', () => {
  const UNSUPPORTED = ['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=----yz', 'image/png', 'application/octet-stream'];
  for (const ep of JSON_ENDPOINTS) {
    it(ep.name, async () => {
      const payload = JSON.stringify(ep.valid(F));
      for (const contentType of UNSUPPORTED) expectProblem(await call(ep, { payload, contentType }), 415, 'unsupported-media-type');
      // text is parsed as text, which is not the object the endpoint takes
      expectProblem(await call(ep, { payload, contentType: 'text/plain' }), 400, 'invalid');
      expectProblem(await call(ep, { payload, contentType: 'text/csv' }), 400, 'invalid');
    });
  }
  it(`${IMPORT.name}: JSON or XML instead of CSV`, async () => {
    expectInvalid(await sendWire('sysadmin', 'POST', IMPORT.url, json({ csv: validCsv(F) })), ['body']);
    expectProblem(await sendWire('sysadmin', 'POST', IMPORT.url, { payload: '<regions/>', contentType: 'application/xml' }), 415, 'unsupported-media-type');
    expectInvalid(await sendWire('sysadmin', 'POST', IMPORT.url, {}), ['body']);
  });
});

describe('bad ids and codes in the path → 400 (malformed) or 404 (unknown)', () => {
  const BAD_UUIDS = ['abc', '1', '00000000-0000-0000-0000-00000000000g', "1' OR '1'='1", '\u0000', `${'f'.repeat(8)}-ffff-ffff-ffff-${'f'.repeat(14)}`, '../../etc/passwd', '中', ' 00000000-0000-4000-8000-000000000000'];
  const UNKNOWN_UUIDS = ['00000000-0000-4000-8000-000000000000', 'f47ac10b-58cc-4372-a567-0e02b2c3d479'];
  const ROUTES: [string, Method, (id: string) => string, Who, Json | undefined][] = [
    ['POST /api/users/{id}/unlock', 'POST', (id) => `/api/users/${id}/unlock`, 'secadmin', undefined],
    ['PATCH /api/users/{id}', 'PATCH', (id) => `/api/users/${id}`, 'sysadmin', { displayName: 'x' }],
    ['PATCH /api/organizations/{id}', 'PATCH', (id) => `/api/organizations/${id}`, 'sysadmin', { name: 'x' }],
    ['DELETE /api/tokens/{id}', 'DELETE', (id) => `/api/tokens/${id}`, 'sysadmin', undefined],
  ];
  for (const [name, method, url, who, body] of ROUTES) {
    it(name, async () => {
      for (const id of BAD_UUIDS) expectInvalid(await sendWire(who, method, url(encodeURIComponent(id)), body ? json(body) : {}), ['params.id']);
      for (const id of UNKNOWN_UUIDS) expectProblem(await sendWire(who, method, url(id), body ? json(body) : {}), 404, 'not-found');
      expectProblem(await sendWire(who, method, url(''), body ? json(body) : {}));
    });
  }
  it('PATCH /api/regions/{code}', async () => {
    for (const code of ['abc', '99', '9901010010011', '99010100100a', '990101001001 ', '%00', '９９０１０１００１００１']) {
      expectInvalid(await sendWire('sysadmin', 'PATCH', `/api/regions/${encodeURIComponent(code)}`, json({ population: 1 })), ['params.code']);
    }
    expectProblem(await sendWire('sysadmin', 'PATCH', '/api/regions/110000000000', json({ population: 1 })), 404, 'not-found');
    expectProblem(await sendWire('sysadmin', 'PATCH', '/api/regions/990101001001999', json({ population: 1 })), 404, 'not-found');
  });
  it('POST /api/regions/import?validFrom= not a date', async () => {
    for (const d of ['yesterday', '2024-1-1', '20240101', '2024-01-01T00:00:00Z']) {
      expectInvalid(await sendWire('sysadmin', 'POST', `${IMPORT.url}?validFrom=${encodeURIComponent(d)}`, csv(validCsv(F))), ['querystring.validFrom']);
    }
  });
});

describe('CSV and GeoJSON content problems → 400 naming the line or feature', () => {
  it('a division CSV with bad lines names each one and imports nothing', async () => {
    const t = F.townshipA;
    const text = [
      'code,name,level,parent',
      `${t.slice(0, 9)}911,好村,village,${t}`,
      `12345,短码村,village,${t}`,
      `${t.slice(0, 9)}912,,village,${t}`,
      `${t.slice(0, 9)}913,怪级村,hamlet,${t}`,
      `${t.slice(0, 9)}914,坏父村,village,abc`,
      `${t.slice(0, 9)}915,坏人口村,village,${t},,-5`,
      'only-one-column',
      `"${t.slice(0, 9)}916,未闭合引号村,village,${t}`,
    ].join('\n');
    const res = await sendWire('sysadmin', 'POST', IMPORT.url, csv(text));
    expectProblem(res, 400, 'invalid');
    const before = await regionTotal();
    const res2 = await sendWire('sysadmin', 'POST', IMPORT.url, csv(text.split('\n').slice(0, 8).join('\n')));
    expectInvalid(res2, ['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8']);
    expect(await regionTotal()).toBe(before);
  });
  it('a FeatureCollection with bad features names each one and imports nothing', async () => {
    const square = { type: 'Polygon', coordinates: [[[114, 29], [114.01, 29], [114.01, 29.01], [114, 29.01], [114, 29]]] };
    const doc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: F.villageFeature.properties.code }, geometry: square },
        { type: 'Feature', properties: { code: 'abc' }, geometry: square },
        { type: 'Feature', properties: { code: F.villageFeature.properties.code }, geometry: { type: 'Point', coordinates: [114, 29] } },
        { type: 'Feature', properties: { code: F.villageFeature.properties.code }, geometry: { type: 'Polygon', coordinates: [[[114, 29], [115, 29], [115, 30], [114, 30]]] } },
        { type: 'Feature', properties: { code: F.villageFeature.properties.code }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } },
        { type: 'Feature', properties: { code: F.villageFeature.properties.code }, geometry: { type: 'Polygon', coordinates: [[[200, 0], [201, 0], [201, 1], [200, 0]]] } },
        null,
      ],
    };
    expectInvalid(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', json(doc)), ['features[1]', 'features[2]', 'features[3]', 'features[4]', 'features[5]', 'features[6]']);
    const unknownCode = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '990101999999' }, geometry: square }] };
    expectInvalid(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', json(unknownCode)), ['features[0]']);
    expectInvalid(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', json({ type: 'FeatureCollection', features: [] })), ['features']);
  });
});

async function regionTotal(): Promise<number> {
  return ((await p.call('GET', '/api/regions?limit=1', { as: await as('sysadmin') })).body as { total: number }).total;
}

// ---------------------------------------------------------------------------------------------
// Values that pass the schema but break the database: each must be a 4xx, not a 500.
// ---------------------------------------------------------------------------------------------

describe('text with a NUL character → 4xx, not 500', () => {
  const NUL = 'a\u0000b';
  const cases: [string, Who, Method, (f: Fixture) => string, (f: Fixture) => Wire][] = [
    ['POST /api/auth/login username', 'anonymous', 'POST', () => '/api/auth/login', () => json({ username: NUL, password: 'x' })],
    ['POST /api/tokens name', 'sysadmin', 'POST', () => '/api/tokens', () => json({ name: NUL })],
    ['POST /api/organizations name', 'sysadmin', 'POST', () => '/api/organizations', (f) => json({ kind: 'government', name: NUL, regionCode: f.countyA, departmentType: 'health' })],
    ['POST /api/organizations contactName', 'sysadmin', 'POST', () => '/api/organizations', (f) => json({ kind: 'government', name: 'NUL联系人测试', regionCode: f.countyA, departmentType: 'health', contactName: NUL })],
    ['POST /api/organizations qualifications', 'sysadmin', 'POST', () => '/api/organizations', (f) => json({ kind: 'social', socialType: 'ngo', name: 'NUL资质测试', regionCode: f.countyA, qualifications: [NUL] })],
    ['PATCH /api/organizations/{id} name', 'sysadmin', 'PATCH', (f) => `/api/organizations/${f.fuzzOrg}`, () => json({ name: NUL })],
    ['POST /api/users displayName', 'sysadmin', 'POST', () => '/api/users', (f) => json({ username: 'nul-user', displayName: NUL, organizationId: f.orgA, roles: ['viewer'], scopeCode: f.countyA, password: PASSWORD })],
    ['PATCH /api/users/{id} displayName', 'sysadmin', 'PATCH', (f) => `/api/users/${f.fuzzUser}`, () => json({ displayName: NUL })],
    ['PATCH /api/regions/{code} name', 'sysadmin', 'PATCH', (f) => `/api/regions/${f.fuzzVillage}`, () => json({ name: NUL })],
    ['PATCH /api/regions/{code} nameEn', 'sysadmin', 'PATCH', (f) => `/api/regions/${f.fuzzVillage}`, () => json({ nameEn: NUL })],
    ['POST /api/regions/changes note', 'sysadmin', 'POST', () => '/api/regions/changes', (f) => json({ kind: 'create', effectiveDate: '2024-01-01', open: [{ code: `${f.townshipB.slice(0, 9)}921`, level: 'village', parentCode: f.townshipB, name: '村' }], note: NUL })],
    ['POST /api/regions/changes open[].name', 'sysadmin', 'POST', () => '/api/regions/changes', (f) => json({ kind: 'create', effectiveDate: '2024-01-01', open: [{ code: `${f.townshipB.slice(0, 9)}922`, level: 'village', parentCode: f.townshipB, name: NUL }] })],
    ['POST /api/regions/import name', 'sysadmin', 'POST', () => IMPORT.url, (f) => csv(`${f.townshipA.slice(0, 9)}923,${NUL},village,${f.townshipA}\n`)],
    ['PUT /api/classifications entity', 'secadmin', 'PUT', () => '/api/classifications', () => json({ entity: NUL, field: 'phone', classification: 'core', masking: 'phone' })],
  ];
  for (const [name, who, method, url, wire] of cases) {
    it(name, async () => {
      expectProblem(await sendWire(who, method, url(F), wire(F)));
    });
  }
  for (const [who, url] of [
    ['sysadmin', '/api/regions?q=%00'],
    ['sysadmin', '/api/organizations?q=%00'],
    ['sysadmin', '/api/users?q=%00'],
    ['auditadmin', '/api/audit?q=%00'],
    ['auditadmin', '/api/audit?action=%00'],
  ] as [Who, string][]) {
    it(`the search parameter of GET ${url}`, async () => {
      expectProblem(await sendWire(who, 'GET', url, {}));
    });
  }
});

describe('impossible calendar dates → 400, not 500', () => {
  const IMPOSSIBLE = ['2023-02-29', '2021-02-30', '2021-04-31', '0000-01-01'];
  for (const d of IMPOSSIBLE) {
    it(`POST /api/regions/changes effectiveDate ${d}`, async () => {
      const res = await sendWire('sysadmin', 'POST', '/api/regions/changes', json({ kind: 'abolish', effectiveDate: d, close: [F.fuzzVillage] }));
      expectInvalid(res, ['body.effectiveDate']);
    });
    it(`POST /api/regions/import?validFrom=${d}`, async () => {
      expectInvalid(await sendWire('sysadmin', 'POST', `${IMPORT.url}?validFrom=${d}`, csv(validCsv(F))), ['querystring.validFrom']);
    });
    it(`GET /api/regions/{code}?asOf=${d}`, async () => {
      expectInvalid(await sendWire('sysadmin', 'GET', `/api/regions/${F.countyA}?asOf=${d}`, {}), ['querystring.asOf']);
    });
  }
  it('GET /api/audit?from= a timestamp in year 0', async () => {
    expectInvalid(await sendWire('auditadmin', 'GET', `/api/audit?from=${encodeURIComponent('0000-01-01T00:00:00Z')}`, {}), ['querystring.from']);
  });
  it('real leap days are accepted', async () => {
    expect((await sendWire('sysadmin', 'GET', `/api/regions/${F.countyA}?asOf=2024-02-29`, {})).status).toBe(200);
  });
});

describe('other values the schema lets through', () => {
  it('a CSV population beyond the integer range → 400 naming the line, not 500', async () => {
    const t = F.townshipA;
    const existing = F.villages.find((v) => v.parentCode === t) as Region;
    expectInvalid(await sendWire('sysadmin', 'POST', IMPORT.url, csv(`code,name,level,parent,name_en,population\n${t.slice(0, 9)}931,大村,village,${t},,9999999999\n`)), ['line 2']);
    expectInvalid(await sendWire('sysadmin', 'POST', IMPORT.url, csv(`${existing.code},${existing.name},village,${t},,2147483648\n`)), ['line 1']);
  });
  it('a feature whose properties.code cannot be turned into text → 400, not 500', async () => {
    for (const code of [{ toString: 1 }, { toString: null, valueOf: null }, { valueOf: 'x', toString: [] }]) {
      const doc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code }, geometry: F.villageFeature.geometry }] };
      expectInvalid(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', json(doc)), ['features[0]']);
    }
  });
  it('a self-crossing MultiPolygon is refused like a self-crossing Polygon', async () => {
    const bowtie = [[[114, 29], [114.1, 29.1], [114.1, 29], [114, 29.1], [114, 29]]];
    const polygon = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: F.fuzzVillage }, geometry: { type: 'Polygon', coordinates: bowtie } }] };
    const multi = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: F.fuzzVillage }, geometry: { type: 'MultiPolygon', coordinates: [bowtie] } }] };
    expectInvalid(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', json(polygon)), ['features[0]']);
    expectInvalid(await sendWire('sysadmin', 'POST', '/api/regions/boundaries', json(multi)), ['features[0]']);
  });
});

// ---------------------------------------------------------------------------------------------
// Nothing half-written
// ---------------------------------------------------------------------------------------------

type Snapshot = Record<string, unknown>;

async function snapshot(watch: { users: string[]; regions: string[] }): Promise<Snapshot> {
  const sys = await as('sysadmin');
  const aud = await as('auditadmin');
  const sec = await as('secadmin');
  const total = async (url: string, cookie: string | undefined) => ((await p.call('GET', url, { as: cookie })).body as { total: number }).total;
  const shot: Snapshot = {
    users: await total('/api/users?limit=1', sys),
    organizations: await total('/api/organizations?limit=1', sys),
    regions: await total('/api/regions?limit=1', sys),
    regionsIn2030: await total('/api/regions?limit=1&asOf=2030-01-01', sys),
    changes: await total('/api/regions/changes?limit=1', sys),
    tokens: ((await p.call('GET', '/api/tokens', { as: sys })).body as { items: unknown[] }).items.length,
    auditSuccesses: await total('/api/audit?outcome=success&limit=1', aud),
    classifications: ((await p.call('GET', '/api/classifications', { as: sec })).body as { items: FieldClassification[] }).items,
  };
  for (const id of watch.users) shot[`user ${id}`] = (await p.call('GET', `/api/users/${id}`, { as: sys })).body;
  for (const code of watch.regions) {
    const r = (await p.call('GET', `/api/regions/${code}`, { as: sys })).body as Region;
    const geo = (await p.call('GET', `/api/regions/${code}/geojson`, { as: sys })).body as { features: Feature[] };
    shot[`region ${code}`] = { ...r, geometry: geo.features[0]?.geometry ?? null };
  }
  return shot;
}

describe('nothing is half-written', () => {
  it('a batch of refused writes leaves users, organizations, regions, changes, tokens, grants and the audit log as they were', async () => {
    const t = F.townshipA;
    const siblings = F.villages.filter((v) => v.parentCode === t);
    const [v1, v2] = [siblings[0] as Region, siblings[1] as Region];
    const watch = { users: [F.fuzzUser, F.viewerId], regions: [v1.code, v2.code, t] };
    const before = await snapshot(watch);
    const square = { type: 'Polygon', coordinates: [[[114, 29], [114.01, 29], [114.01, 29.01], [114, 29.01], [114, 29]]] };
    const user = (extra: Json): Json => ({ username: 'half-written', displayName: '半写入', organizationId: F.orgA, roles: ['operator'], scopeCode: F.countyA, password: PASSWORD, ...extra });
    const org = (extra: Json): Json => ({ kind: 'government', name: '半写入机构', regionCode: F.countyA, departmentType: 'health', ...extra });
    const batch: [Who, Method, string, Wire][] = [
      // accounts: refused before, inside and at the end of the transaction
      ['sysadmin', 'POST', '/api/users', json(user({ organizationId: '00000000-0000-4000-8000-000000000000' }))],
      ['sysadmin', 'POST', '/api/users', json(user({ password: 'short' }))],
      ['sysadmin', 'POST', '/api/users', json(user({ username: 'viewer' }))],
      ['sysadmin', 'POST', '/api/users', json(user({ username: 'VIEWER' }))],
      ['sysadmin', 'POST', '/api/users', json(user({ roles: ['system-admin', 'audit-admin'] }))],
      ['sysadmin', 'POST', '/api/users', json(user({ scopeCode: `${F.countyA.slice(0, 6)}999000` }))],
      ['sysadmin', 'POST', '/api/users', json(user({ roles: ['social-member'] }))],
      ['sysadmin', 'POST', '/api/users', json(user({ displayName: 'a\u0000b' }))],
      ['sysadmin', 'POST', '/api/users', json({ ...user({}), unexpected: 1 })],
      ['sysadmin', 'PATCH', `/api/users/${F.fuzzUser}`, json({ roles: ['operator'], displayName: 'a\u0000b' })],
      ['sysadmin', 'PATCH', `/api/users/${F.fuzzUser}`, json({ roles: ['system-admin', 'security-admin'] })],
      ['sysadmin', 'PATCH', `/api/users/${F.fuzzUser}`, json({ scopeCode: `${F.countyA.slice(0, 6)}999000` })],
      ['sysadmin', 'PATCH', `/api/users/${F.viewerId}`, json({ clearance: 'core' })],
      ['secadmin', 'PATCH', `/api/users/${F.fuzzUser}`, json({ roles: ['security-admin', 'audit-admin'] })],
      // organizations
      ['sysadmin', 'POST', '/api/organizations', json(org({ regionCode: `${F.countyA.slice(0, 6)}999000` }))],
      ['sysadmin', 'POST', '/api/organizations', json(org({ name: F.orgAName }))],
      ['sysadmin', 'POST', '/api/organizations', json(org({ name: 'a\u0000b' }))],
      ['sysadmin', 'POST', '/api/organizations', json(org({ kind: 'social' }))],
      // division changes: the closing runs before the regions to open are checked
      ['sysadmin', 'POST', '/api/regions/changes', json({ kind: 'merge', effectiveDate: '2030-01-01', close: [v1.code, v2.code], open: [{ code: `${t.slice(0, 9)}940`, level: 'village', parentCode: F.countyA, name: '合并村' }] })],
      ['sysadmin', 'POST', '/api/regions/changes', json({ kind: 'merge', effectiveDate: '2030-01-01', close: [v1.code, v2.code], open: [{ code: `${t.slice(0, 9)}941`, level: 'village', parentCode: t, name: '合并村' }, { code: `${t.slice(0, 9)}942`, level: 'village', parentCode: '990199999000', name: '无父村' }] })],
      ['sysadmin', 'POST', '/api/regions/changes', json({ kind: 'rename', effectiveDate: '2030-01-01', close: [v1.code], open: [{ code: v1.code, level: 'village', parentCode: t, name: 'a\u0000b' }] })],
      ['sysadmin', 'POST', '/api/regions/changes', json({ kind: 'split', effectiveDate: '2030-01-01', close: [v1.code], open: [{ code: `${t.slice(0, 9)}943`, level: 'village', parentCode: t, name: '分村一' }, { code: v2.code, level: 'village', parentCode: t, name: '与现有冲突' }] })],
      ['sysadmin', 'POST', '/api/regions/changes', json({ kind: 'abolish', effectiveDate: '2021-02-30', close: [v1.code] })],
      // imports: all or nothing, also when the database refuses a later line
      ['sysadmin', 'POST', IMPORT.url, csv(`${t.slice(0, 9)}951,好村,village,${t}\n${t.slice(0, 9)}952,坏村,village,990199999000\n`)],
      ['sysadmin', 'POST', IMPORT.url, csv(`${t.slice(0, 9)}953,好村,village,${t}\n${t.slice(0, 9)}954,大村,village,${t},,9999999999\n`)],
      ['sysadmin', 'POST', IMPORT.url, csv(`${t.slice(0, 9)}955,好村,village,${t}\n${t.slice(0, 9)}956,坏\u0000村,village,${t}\n`)],
      ['sysadmin', 'POST', `${IMPORT.url}?validFrom=2021-02-30`, csv(`${t.slice(0, 9)}957,好村,village,${t}\n`)],
      ['sysadmin', 'POST', '/api/regions/boundaries', json({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: v1.code }, geometry: square }, { type: 'Feature', properties: { code: '990101999999' }, geometry: square }] })],
      ['sysadmin', 'POST', '/api/regions/boundaries', json({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: v1.code }, geometry: square }, { type: 'Feature', properties: { code: { toString: 1 } }, geometry: square }] })],
      ['sysadmin', 'PATCH', `/api/regions/${v2.code}`, json({ population: 5, name: 'a\u0000b' })],
      // tokens and classifications
      ['sysadmin', 'POST', '/api/tokens', json({ name: 'too-long', expiresInDays: 3650 })],
      ['sysadmin', 'POST', '/api/tokens', json({ name: 'a\u0000b' })],
      ['secadmin', 'PUT', '/api/classifications', json({ entity: 'user', field: 'nonexistent', classification: 'core', masking: 'full' })],
      ['secadmin', 'PUT', '/api/classifications', json({ entity: 'user\u0000', field: 'phone', classification: 'public', masking: 'full' })],
    ];
    const outcomes: string[] = [];
    for (const [who, method, url, wire] of batch) {
      const res = await sendWire(who, method, url, wire);
      outcomes.push(`${res.status} ${method} ${url} ${(wire.payload ?? '').slice(0, 80)}`);
      expect(res.status, `accepted: ${method} ${url} ${wire.payload ?? ''}`).toBeGreaterThanOrEqual(400);
    }
    const after = await snapshot(watch);
    expect(after, outcomes.join('\n')).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based: random bodies never cause a 5xx; every 4xx is problem+json
// ---------------------------------------------------------------------------------------------

let propertyRuns = 0;

/** Asserts one response of the fuzzing: below 500, and a proper problem when it is an error. */
function expectHandled(res: TestResponse, what: string): void {
  propertyRuns++;
  expect(res.status, `${res.status} for ${what.slice(0, 500)}\n${res.text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(String(res.headers['content-type']), what.slice(0, 300)).toMatch(/^application\/problem\+json/);
    expect(Problem.safeParse(res.body).success, res.text.slice(0, 300)).toBe(true);
    expect((res.body as Problem).status).toBe(res.status);
  }
}

const TRICKY_KEYS = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '', ' ', 'type', 'features', 'code', 'roles', 'id');
const anyKey = fc.oneof(fc.string({ maxLength: 12 }), TRICKY_KEYS);

/** Values of the right kinds for these bodies, so that mutations reach the services. */
function domainValues(f: Fixture): fc.Arbitrary<unknown> {
  const codes = [f.countyA, f.townshipA, f.townshipB, f.fuzzVillage, '990000000000', '110000000000'];
  return fc.oneof(
    fc.constantFrom(...ROLES),
    fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 0, maxLength: 4 }),
    fc.constantFrom(...codes),
    fc.stringMatching(/^99\d{10}$/),
    fc.constantFrom(...LEVELS, 'government', 'social', 'ngo', 'health', 'internal', 'core', 'phone', 'full', 'merge', 'split', 'create', 'abolish', 'rename', 'move'),
    fc.constantFrom(f.orgA, f.socialOrgA, f.fuzzOrg, f.fuzzUser),
    fc.uuid(),
    fc.integer({ min: -10, max: 4000 }),
    fc.constantFrom('2024-01-01', '1949-10-01', '2099-12-31', '2024-02-29'),
    fc.constant(null),
    fc.boolean(),
  );
}

/** Benign values: JSON of every shape with printable text. */
const benignValues = (f: Fixture) => fc.oneof(fc.jsonValue({ maxDepth: 2 }), domainValues(f), fc.string({ unit: 'grapheme', maxLength: 30 }));

/** Characters that break naive text handling: controls, separators, bidi overrides, non-characters, astral, quotes. */
const nastyChar = fc.constantFrom('\u0001', '\u0008', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\ufeff', '\uffff', '\u{1f4a5}', '\u{10ffff}', '"', "'", '\\', '%', '_');
/** Short text in which about one character in three is nasty. */
const nastyText = fc.string({
  unit: fc.oneof({ weight: 1, arbitrary: nastyChar }, { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) }),
  minLength: 1,
  maxLength: 12,
});
/** Text with a NUL character somewhere (PostgreSQL text cannot hold one). */
const nulText = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 4 })).map(([a, b]) => `${a}\u0000${b}`);
/** Strings shaped like YYYY-MM-DD, most of them impossible dates. */
const dateLike = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

/** Hostile values, in classes of roughly equal weight. */
const hostileValues = fc.oneof(
  { weight: 2, arbitrary: nulText },
  { weight: 2, arbitrary: nastyText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('💥'.repeat(60), 'x'.repeat(5000), "'; DROP TABLE app_user; --", '   ', '{{7*7}}', '../../etc/passwd') },
  { weight: 2, arbitrary: dateLike },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 2 ** 31 - 1, 2 ** 53, -(2 ** 31) - 1, 1e308, -1e308, 5e-324, -0, 0.1) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.array(fc.oneof(nulText, nastyText), { maxLength: 3 }) },
);

type Mutation = { op: 'set'; key: string; value: unknown } | { op: 'delete'; key: string } | { op: 'add'; key: string; value: unknown };

/** Bodies made from a valid one by changing, removing or adding one to three keys. */
function mutations(base: Json, values: fc.Arbitrary<unknown>): fc.Arbitrary<Json> {
  const keys = Object.keys(base);
  const op: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ op: fc.constant('set' as const), key: fc.constantFrom(...keys), value: values }),
    fc.record({ op: fc.constant('set' as const), key: fc.constantFrom(...keys), value: values }),
    fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
    fc.record({ op: fc.constant('add' as const), key: anyKey, value: values }),
  );
  return fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => {
    const body: Json = structuredClone(base);
    for (const m of ops) {
      if (m.op === 'delete') delete body[m.key];
      else Object.defineProperty(body, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    }
    return body;
  });
}

/** Nested mutations for bodies whose interesting parts are inside arrays (division changes, GeoJSON). */
function nestedMutations(base: Json, path: [string, number], values: fc.Arbitrary<unknown>): fc.Arbitrary<Json> {
  const inner = (base[path[0]] as Json[])[path[1]] as Json;
  return mutations(inner, values).map((m) => {
    const body: Json = structuredClone(base);
    const list = [...(body[path[0]] as Json[])];
    list[path[1]] = m;
    body[path[0]] = list;
    return body;
  });
}

const CONTENT_TYPES = ['text/plain', 'text/csv', 'application/xml', 'application/x-www-form-urlencoded', 'application/geo+json', 'application/json; charset=utf-8', 'application/vnd.api+json'];

/** Structurally random bodies: anything, objects, JSON values, raw text, mutations of the valid body. */
function structural(ep: Endpoint, f: Fixture): fc.Arbitrary<Wire> {
  const valid = ep.valid(f);
  const nested = ep.name === 'POST /api/regions/changes' ? [nestedMutations(valid, ['open', 0], benignValues(f)).map(json)] : ep.geojson ? [nestedMutations(valid, ['features', 0], benignValues(f)).map(json)] : [];
  return fc.oneof(
    fc.anything({ key: anyKey, maxDepth: 3 }).map(json),
    fc.object({ key: anyKey, maxDepth: 3 }).map(json),
    fc.jsonValue({ maxDepth: 3 }).map(json),
    mutations(valid, benignValues(f)).map(json),
    mutations(valid, benignValues(f)).map(json),
    ...nested,
    fc.string({ maxLength: 60 }).map((payload): Wire => ({ payload, contentType: 'application/json' })),
    fc.tuple(fc.constantFrom(...CONTENT_TYPES), fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)))).map(([contentType, payload]): Wire => ({ payload, contentType })),
  );
}

/** The valid body with one field set to a hostile value. */
function oneHostileField(base: Json): fc.Arbitrary<Json> {
  return fc.record({ key: fc.constantFrom(...Object.keys(base)), value: hostileValues }).map(({ key, value }) => ({ ...structuredClone(base), [key]: value }));
}

/** The valid body with a hostile value in one place (mostly), or in up to three. */
function hostile(ep: Endpoint, f: Fixture): fc.Arbitrary<Wire> {
  const valid = ep.valid(f);
  const inner = ep.name === 'POST /api/regions/changes' ? ((valid.open as Json[])[0] as Json) : undefined;
  const nested = inner ? [{ weight: 2, arbitrary: oneHostileField(inner).map((o) => json({ ...valid, open: [o] })) }, { weight: 1, arbitrary: nestedMutations(valid, ['open', 0], hostileValues).map(json) }] : [];
  return fc.oneof({ weight: 3, arbitrary: oneHostileField(valid).map(json) }, { weight: 1, arbitrary: mutations(valid, hostileValues).map(json) }, ...nested);
}

/** Division lists: random text, rows of random fields, and valid rows with one field changed. */
function csvText(f: Fixture, hostileFields: boolean): fc.Arbitrary<string> {
  const t = f.townshipA;
  const text = hostileFields ? fc.oneof(nulText, nastyText, fc.string({ unit: 'binary', maxLength: 12 })) : fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\u0000-\u001f]/g, ''));
  const freshCode = fc.integer({ min: 960, max: 999 }).map((n) => `${t.slice(0, 9)}${n}`);
  const code = fc.oneof(fc.stringMatching(/^\d{12}$/), freshCode, fc.constantFrom(t, f.fuzzVillage, f.countyA), text);
  const level = fc.oneof(fc.constantFrom(...LEVELS, '1', '5', '村', '乡镇', '街道', '', 'hamlet'), text);
  const parent = fc.oneof(fc.constantFrom(t, f.countyA, '', '990199999000'), fc.stringMatching(/^\d{12}$/), text);
  const population = hostileFields
    ? fc.oneof(fc.stringMatching(/^\d{10}$/), fc.constantFrom('2147483647', '2147483648', '9999999999', '-1', '1e9', ''), text)
    : fc.oneof(fc.constant(''), fc.nat({ max: 2_000_000 }).map(String));
  const quote = (cols: string[]) => cols.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
  const randomRow = fc.tuple(code, text, level, parent, text, population).map(quote);
  // a valid row (code, name, level, parent, name_en, population) with one column replaced by a value of its kind
  const nearValidRow = fc
    .tuple(freshCode, fc.oneof(...[code, text, level, parent, text, population].map((arb, at) => arb.map((value) => ({ at, value })))))
    .map(([c, { at, value }]) => {
      const cols = [c, '测试村', 'village', t, 'Test Village', '100'];
      cols[at] = value;
      return quote(cols);
    });
  const row = fc.oneof(randomRow, nearValidRow);
  return fc.oneof(
    fc.array(row, { minLength: 1, maxLength: 4 }).map((rows) => rows.join('\n')),
    fc.array(row, { minLength: 1, maxLength: 4 }).map((rows) => `code,name,level,parent,name_en,population\r\n${rows.join('\r\n')}`),
    fc.string({ unit: hostileFields ? 'binary' : 'grapheme', maxLength: 80 }),
  );
}

/** GeoJSON documents: random features with random or nearly valid polygons. */
function geoDocs(f: Fixture, hostileFields: boolean): fc.Arbitrary<Json> {
  const lon = hostileFields ? fc.double() : fc.double({ min: -180, max: 180, noNaN: true });
  const lat = hostileFields ? fc.double() : fc.double({ min: -90, max: 90, noNaN: true });
  const ring = fc.array(fc.tuple(lon, lat), { minLength: 0, maxLength: 7 }).map((pts) => (pts.length > 0 && pts[0] ? [...pts, pts[0]] : pts));
  const geometry = fc.oneof(
    fc.array(ring, { minLength: 0, maxLength: 2 }).map((coordinates) => ({ type: 'Polygon', coordinates })),
    fc.array(fc.array(ring, { minLength: 1, maxLength: 2 }), { minLength: 0, maxLength: 2 }).map((coordinates) => ({ type: 'MultiPolygon', coordinates })),
    fc.constant(f.villageFeature.geometry),
    fc.anything({ maxDepth: 2 }),
  );
  const code = hostileFields
    ? fc.oneof(
        { weight: 1, arbitrary: fc.anything({ maxDepth: 1, key: anyKey }) },
        { weight: 2, arbitrary: fc.dictionary(TRICKY_KEYS, fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 }) },
        { weight: 1, arbitrary: hostileValues },
        { weight: 1, arbitrary: fc.constant(f.fuzzVillage) },
      )
    : fc.oneof(fc.constantFrom(f.fuzzVillage, f.townshipA, '990101999999'), fc.stringMatching(/^\d{12}$/), fc.integer());
  const feature = fc.oneof(
    fc.record({ type: fc.constant('Feature'), properties: fc.record({ code }), geometry }),
    fc.record({ type: fc.constant('Feature'), properties: fc.oneof(fc.constant(null), fc.object({ maxDepth: 1 })), geometry }),
    fc.anything({ maxDepth: 2 }),
  );
  return fc.record({ type: fc.oneof(fc.constant('FeatureCollection'), fc.string({ maxLength: 10 })), features: fc.array(feature, { minLength: 0, maxLength: 3 }) }) as fc.Arbitrary<Json>;
}

/** How many random bodies each endpoint gets (structural, hostile); with the CSV and path runs below, about 2,000 in all. */
const RUNS: Record<string, [number, number]> = {
  'POST /api/auth/login': [60, 40],
  'POST /api/auth/password': [60, 40],
  'POST /api/tokens': [80, 60],
  'POST /api/organizations': [100, 80],
  'PATCH /api/organizations/{id}': [80, 60],
  'POST /api/users': [100, 120],
  'PATCH /api/users/{id}': [80, 100],
  'PATCH /api/regions/{code}': [80, 60],
  'POST /api/regions/changes': [120, 100],
  'POST /api/regions/boundaries': [100, 80],
  'PUT /api/classifications': [60, 80],
};

describe('property: random bodies at every write endpoint never cause a 5xx', () => {
  for (const ep of JSON_ENDPOINTS) {
    const [structuralRuns, hostileRuns] = RUNS[ep.name] ?? [50, 25];
    it(`${ep.name}: ${structuralRuns} structurally random bodies`, async () => {
      await fc.assert(
        fc.asyncProperty(ep.geojson ? fc.oneof(structural(ep, F), geoDocs(F, false).map(json)) : structural(ep, F), async (wire) => {
          expectHandled(await call(ep, wire), `${ep.name} ${wire.contentType ?? ''} ${wire.payload ?? '(no body)'}`);
        }),
        { numRuns: structuralRuns, seed: nextSeed() },
      );
    });
    it(`${ep.name}: ${hostileRuns} bodies with hostile values`, async () => {
      await fc.assert(
        fc.asyncProperty(ep.geojson ? fc.oneof({ weight: 1, arbitrary: hostile(ep, F) }, { weight: 3, arbitrary: geoDocs(F, true).map(json) }) : hostile(ep, F), async (wire) => {
          expectHandled(await call(ep, wire), `${ep.name} ${wire.payload ?? '(no body)'}`);
        }),
        { numRuns: hostileRuns, seed: nextSeed() },
      );
    });
  }

  it(`${IMPORT.name}: 120 random division lists`, async () => {
    await fc.assert(
      fc.asyncProperty(csvText(F, false), async (text) => {
        expectHandled(await sendWire('sysadmin', 'POST', IMPORT.url, csv(text)), `${IMPORT.name} ${JSON.stringify(text)}`);
      }),
      { numRuns: 120, seed: nextSeed() },
    );
  });
  it(`${IMPORT.name}: 80 division lists with hostile fields`, async () => {
    await fc.assert(
      fc.asyncProperty(csvText(F, true), async (text) => {
        expectHandled(await sendWire('sysadmin', 'POST', IMPORT.url, csv(text)), `${IMPORT.name} ${JSON.stringify(text)}`);
      }),
      { numRuns: 80, seed: nextSeed() },
    );
  });

  it('ids and codes in the path: 150 random values', async () => {
    const segment = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.uuid(), fc.stringMatching(/^\d{12,15}$/), fc.constantFrom('.', '..', '%', '%00', ' '));
    const route = fc.constantFrom(
      ['secadmin', 'POST', (s: string) => `/api/users/${s}/unlock`, undefined] as const,
      ['sysadmin', 'PATCH', (s: string) => `/api/users/${s}`, { displayName: 'x' }] as const,
      ['sysadmin', 'PATCH', (s: string) => `/api/organizations/${s}`, { name: 'x' }] as const,
      ['sysadmin', 'DELETE', (s: string) => `/api/tokens/${s}`, undefined] as const,
      ['sysadmin', 'PATCH', (s: string) => `/api/regions/${s}`, { population: 1 }] as const,
    );
    await fc.assert(
      fc.asyncProperty(route, segment, async ([who, method, url, body], s) => {
        const target = url(encodeURIComponent(s));
        expectHandled(await sendWire(who, method, target, body ? json(body) : {}), `${method} ${target}`);
      }),
      { numRuns: 150, seed: nextSeed() },
    );
  });

  it('threw at least 1,000 random requests in all', () => {
    expect(propertyRuns).toBeGreaterThanOrEqual(1000);
  });
});

// Reads the log once more at the end: the fuzzing must not have broken the audit chain.
describe('after the fuzzing', () => {
  it('the audit chain still verifies', async () => {
    const res = await sendWire('auditadmin', 'GET', '/api/audit/verify', {});
    expect(res.status).toBe(200);
    expect((res.body as { ok: boolean }).ok).toBe(true);
    const last = await sendWire('auditadmin', 'GET', '/api/audit?limit=1', {});
    expect(((last.body as { items: AuditRecord[] }).items[0]?.seq ?? 0) > 0).toBe(true);
  });
});
