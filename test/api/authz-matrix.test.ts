// SPDX-License-Identifier: Apache-2.0
// The authorization matrix: every demo account × representative endpoints × a target inside or outside
// its scope → allow (2xx) or deny (403, audited); 404 only for what does not exist. Anonymous callers
// get 401 everywhere but the public routes; API tokens never exceed their owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contracts/audit.ts';
import { Problem } from '../../contracts/common.ts';
import type { ApiToken, Me, Organization, User } from '../../contracts/identity.ts';
import { scopePrefixOf } from '../../contracts/region-codes.ts';
import type { Region } from '../../contracts/regions.ts';
import { createTestPlatform, type TestPlatform, type TestResponse } from '../helpers/platform.ts';

/** The demo accounts, as seeded into the test template. */
const ACCOUNTS = ['sysadmin', 'secadmin', 'auditadmin', 'province-admin', 'operator-a', 'operator-b', 'dispatcher', 'task-handler', 'social-member', 'viewer'] as const;
type Account = (typeof ACCOUNTS)[number];
/** A demo account, the county-scoped region administrator made for these tests, or nobody. */
type Who = Account | 'county-admin' | 'anonymous';
const COUNTY_ADMIN_PASSWORD = 'County-Adm1n-Passw0rd!';
/** A well-formed id nothing has. */
const NIL = '00000000-0000-4000-8000-000000000000';
const TEST_PASSWORD = 'Matrix-Passw0rd-2024!';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Req = { method: Method; url: string; body?: unknown; headers?: Record<string, string> };
type Page<T> = { items: T[]; total: number };
type Feature = { type: 'Feature'; properties: { code: string }; geometry: unknown };

/** Codes, ids and sessions the cases refer to, found in the seeded data before the cases run. */
type Fixture = {
  province: string;
  cityA: string;
  otherCity: string;
  countyA: string;
  countyB: string;
  township: string;
  siblingTownship: string;
  villageA: string;
  villageSibling: string;
  villageB: string;
  villageB_centroid: [number, number];
  orgProvince: string;
  orgA: string;
  orgB: string;
  otherOrgInCountyA: string;
  me: Record<Exclude<Who, 'anonymous'>, Me>;
  /** The scope (null = platform) and the codes of its ancestors, per account. */
  scope: Record<Exclude<Who, 'anonymous'>, { code: string | null; prefix: string; ancestors: Set<string> }>;
  /** Platform-wide viewers made by sysadmin, for the grant cases. */
  grantTargets: string[];
  villageAFeature: Feature;
  villageAName: string;
};

type Case = {
  name: string;
  who: Who;
  req: (f: Fixture) => Req;
  status: number;
  code?: string;
  check?: (res: TestResponse, f: Fixture) => void;
};

let p: TestPlatform;
let F: Fixture;
const cookies = new Map<Exclude<Who, 'anonymous'>, string>();
/** Every 403 the matrix saw, with the request id it sent: the audit log must hold each of them. */
const denials: { requestId: string; code: string; name: string; accountChange: boolean }[] = [];
let requestCounter = 0;

async function as(who: Exclude<Who, 'anonymous'>): Promise<string> {
  const known = cookies.get(who);
  if (known) return known;
  const cookie = who === 'county-admin' ? await p.login('county-admin', COUNTY_ADMIN_PASSWORD) : await p.login(who);
  cookies.set(who, cookie);
  return cookie;
}

async function send(who: Who, req: Req): Promise<TestResponse> {
  const requestId = `authz-${++requestCounter}`;
  const headers = { 'x-request-id': requestId, ...(req.headers ?? {}) };
  const res = await p.call(req.method, req.url, { ...(who === 'anonymous' ? {} : { as: await as(who) }), body: req.body, headers });
  return res;
}

function expectProblem(res: TestResponse, status: number, code?: string): void {
  expect(res.status, `${res.status} ${res.text.slice(0, 300)}`).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const parsed = Problem.safeParse(res.body);
  expect(parsed.success, res.text).toBe(true);
  if (code && parsed.success) expect(parsed.data.code).toBe(code);
}

async function run(c: Case): Promise<TestResponse> {
  const requestId = `authz-${requestCounter + 1}`;
  const req = c.req(F);
  const res = await send(c.who, req);
  if (c.status >= 400) expectProblem(res, c.status, c.code);
  else expect(res.status, `${c.name}: ${res.status} ${res.text.slice(0, 300)}`).toBe(c.status);
  if (res.status === 403) {
    const accountChange = (req.method === 'POST' && req.url === '/api/users') || (req.method === 'PATCH' && req.url.startsWith('/api/users/'));
    denials.push({ requestId, code: (res.body as Problem).code, name: c.name, accountChange });
  }
  c.check?.(res, F);
  return res;
}

/** The region (or platform) an account acts in, for the "own scope" cases: platform-wide accounts use the province. */
const own = (f: Fixture, who: Exclude<Who, 'anonymous'>) => f.scope[who].code ?? f.province;
/** A county outside the account's scope (where it has one). */
const otherCounty = (f: Fixture, who: Exclude<Who, 'anonymous'>) => (who === 'operator-b' ? f.countyA : f.countyB);
/** A village inside the account's scope. */
const ownVillage = (f: Fixture, who: Exclude<Who, 'anonymous'>) => (who === 'operator-b' ? f.villageB : f.villageA);
/** The region an account sees when listing: inside its scope, or an ancestor of the scope. */
function visibleTo(f: Fixture, who: Exclude<Who, 'anonymous'>, code: string): boolean {
  const s = f.scope[who];
  return code.startsWith(s.prefix) || s.ancestors.has(code);
}
/** The leading digits every code in the subtree of `code` starts with. */
const significantPrefix = (code: string) => scopePrefixOf(code);

/** One case per account from a table of expected statuses. */
function perAccount(
  label: string,
  expected: Partial<Record<Exclude<Who, 'anonymous'>, number>>,
  req: (f: Fixture, who: Exclude<Who, 'anonymous'>) => Req,
  extra: { code?: (status: number) => string | undefined; check?: (res: TestResponse, f: Fixture, who: Exclude<Who, 'anonymous'>) => void } = {},
): Case[] {
  return (Object.entries(expected) as [Exclude<Who, 'anonymous'>, number][]).map(([who, status]) => ({
    name: `${who} ${label} → ${status}`,
    who,
    req: (f) => req(f, who),
    status,
    ...(extra.code?.(status) ? { code: extra.code(status) } : {}),
    ...(extra.check ? { check: (res: TestResponse, f: Fixture) => extra.check?.(res, f, who) } : {}),
  }));
}
const forbiddenCode = (s: number) => (s === 403 ? 'forbidden' : s === 404 ? 'not-found' : undefined);
/** Every account with the same expectation, except those listed. */
function all(status: number, except: Partial<Record<Exclude<Who, 'anonymous'>, number>> = {}, withCountyAdmin = true): Partial<Record<Exclude<Who, 'anonymous'>, number>> {
  const out: Partial<Record<Exclude<Who, 'anonymous'>, number>> = {};
  for (const a of [...ACCOUNTS, ...(withCountyAdmin ? (['county-admin'] as const) : [])]) out[a] = except[a] ?? status;
  return out;
}

beforeAll(async () => {
  p = await createTestPlatform();
  const sys = await p.login('sysadmin');
  const get = async <T>(url: string): Promise<T> => {
    const res = await p.call('GET', url, { as: sys });
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text}`);
    return res.body as T;
  };
  const scopeOf = (a: Account) => p.account(a).scope;
  const province = scopeOf('province-admin') as string;
  const countyA = scopeOf('operator-a') as string;
  const countyB = scopeOf('operator-b') as string;
  const cityA = scopeOf('dispatcher') as string;
  const township = scopeOf('task-handler') as string;
  const cities = (await get<{ items: Region[] }>(`/api/regions/${province}/children`)).items;
  const townships = (await get<{ items: Region[] }>(`/api/regions/${countyA}/children`)).items;
  const siblingTownship = townships.find((t) => t.code !== township)?.code as string;
  const villageA = (await get<{ items: Region[] }>(`/api/regions/${township}/children`)).items[0] as Region;
  const villageSibling = (await get<{ items: Region[] }>(`/api/regions/${siblingTownship}/children`)).items[0]?.code as string;
  const villageB = (await get<Page<Region>>(`/api/regions/${countyB}/subtree?level=village&limit=1`)).items[0] as Region;
  const orgs = (await get<Page<Organization>>('/api/organizations?limit=1000')).items;
  const orgIn = (code: string) => orgs.find((o) => o.regionCode === code && o.kind === 'government')?.id as string;
  const geo = await get<{ features: Feature[] }>(`/api/regions/${township}/geojson?level=village`);

  // A region administrator of one county, to check region:write and org:write outside a scope narrower than the province.
  const made = await p.call('POST', '/api/users', {
    as: sys,
    body: { username: 'county-admin', displayName: '县级区域管理员', organizationId: orgIn(countyA), roles: ['region-admin'], scopeCode: countyA, password: COUNTY_ADMIN_PASSWORD },
  });
  if (made.status !== 201) throw new Error(`county-admin: ${made.status} ${made.text}`);
  const grantTargets: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const res = await p.call('POST', '/api/users', {
      as: sys,
      body: { username: `grant-target-${i}`, displayName: `授权对象${i}`, organizationId: orgIn(province), roles: ['viewer'], scopeCode: null, password: TEST_PASSWORD },
    });
    if (res.status !== 201) throw new Error(`grant-target-${i}: ${res.status} ${res.text}`);
    grantTargets.push((res.body as User).id);
  }

  const me = {} as Fixture['me'];
  const scope = {} as Fixture['scope'];
  for (const who of [...ACCOUNTS, 'county-admin'] as const) {
    const res = await p.call('GET', '/api/auth/me', { as: await as(who) });
    me[who] = res.body as Me;
    const code = me[who].scopeCode;
    const ancestors = code ? new Set((await get<{ items: Region[] }>(`/api/regions/${code}/ancestors`)).items.map((r) => r.code)) : new Set<string>();
    scope[who] = { code, prefix: code ? significantPrefix(code) : '', ancestors };
  }
  const socialOrg = me['social-member'].organizationId;
  F = {
    province,
    cityA,
    otherCity: cities.find((c) => c.code !== cityA)?.code as string,
    countyA,
    countyB,
    township,
    siblingTownship,
    villageA: villageA.code,
    villageAName: villageA.name,
    villageSibling,
    villageB: villageB.code,
    villageB_centroid: villageB.centroid as [number, number],
    orgProvince: orgIn(province),
    orgA: orgIn(countyA),
    orgB: orgIn(countyB),
    otherOrgInCountyA: orgs.find((o) => o.regionCode === countyA && o.id !== socialOrg)?.id as string,
    me,
    scope,
    grantTargets,
    villageAFeature: geo.features.find((x) => x.properties.code === villageA.code) as Feature,
  };
});
afterAll(async () => {
  await p?.stop();
});

describe('the demo accounts', () => {
  it('are the ones this matrix is written for, with the scopes it assumes', () => {
    expect(p.accounts.map((a) => a.username).sort()).toEqual([...ACCOUNTS].sort());
    expect(F.scope.sysadmin.code).toBeNull();
    expect(F.scope.secadmin.code).toBeNull();
    expect(F.scope.auditadmin.code).toBeNull();
    expect(F.scope['province-admin'].code).toBe(F.province);
    expect(F.scope.viewer.code).toBe(F.province);
    expect(F.countyA.startsWith(significantPrefix(F.cityA))).toBe(true);
    expect(F.countyB.startsWith(significantPrefix(F.cityA))).toBe(false);
    expect(F.township.startsWith(significantPrefix(F.countyA))).toBe(true);
    expect(F.scope['social-member'].code).toBe(F.countyA);
  });
});

// ---------------------------------------------------------------------------------------------
// Regions: reads are limited to the scope and its ancestors; anything else is denied (403).
// ---------------------------------------------------------------------------------------------

const SCOPED: Exclude<Who, 'anonymous'>[] = ['operator-a', 'operator-b', 'dispatcher', 'task-handler', 'social-member', 'county-admin'];
const OUT_OF_SCOPE_COUNTY = all(200, { 'operator-a': 403, 'operator-b': 403, dispatcher: 403, 'task-handler': 403, 'social-member': 403, 'county-admin': 403 });
const expectDenied = { code: forbiddenCode };

const regionReadCases: Case[] = [
  ...perAccount('GET /api/regions/{own scope}', all(200), (f, who) => ({ method: 'GET', url: `/api/regions/${own(f, who)}` }), {
    check: (res, f, who) => expect((res.body as Region).code).toBe(own(f, who)),
  }),
  ...perAccount('GET /api/regions/{another county}', OUT_OF_SCOPE_COUNTY, (f, who) => ({ method: 'GET', url: `/api/regions/${otherCounty(f, who)}` }), expectDenied),
  ...perAccount(
    'GET /api/regions/{parent of own scope} (an ancestor is visible)',
    Object.fromEntries(SCOPED.map((w) => [w, 200])),
    (f, who) => ({ method: 'GET', url: `/api/regions/${[...f.scope[who].ancestors].sort().at(-2)}` }),
  ),
  ...perAccount('GET /api/regions/{province} (the root of every scope)', all(200), (f) => ({ method: 'GET', url: `/api/regions/${f.province}` })),
  { name: 'task-handler GET /api/regions/{sibling township} → 403', who: 'task-handler', req: (f) => ({ method: 'GET', url: `/api/regions/${f.siblingTownship}` }), status: 403, code: 'forbidden' },
  { name: 'task-handler GET /api/regions/{village of a sibling township} → 403', who: 'task-handler', req: (f) => ({ method: 'GET', url: `/api/regions/${f.villageSibling}` }), status: 403, code: 'forbidden' },
  { name: 'dispatcher GET /api/regions/{another city} → 403', who: 'dispatcher', req: (f) => ({ method: 'GET', url: `/api/regions/${f.otherCity}` }), status: 403, code: 'forbidden' },
  { name: 'operator-a GET /api/regions/{another city} → 403', who: 'operator-a', req: (f) => ({ method: 'GET', url: `/api/regions/${f.otherCity}` }), status: 403, code: 'forbidden' },
  ...perAccount('GET /api/regions/{no such region}', all(404), () => ({ method: 'GET', url: '/api/regions/110000000000' }), { code: () => 'not-found' }),
  ...perAccount(
    'GET /api/regions/{own scope}/children (all inside the scope)',
    all(200),
    (f, who) => ({ method: 'GET', url: `/api/regions/${own(f, who)}/children` }),
    {
      check: (res, f, who) => {
        const items = (res.body as { items: Region[] }).items;
        expect(items.length).toBeGreaterThan(0);
        for (const r of items) expect(r.code.startsWith(f.scope[who].prefix), r.code).toBe(true);
      },
    },
  ),
  ...perAccount('GET /api/regions/{another county}/children', OUT_OF_SCOPE_COUNTY, (f, who) => ({ method: 'GET', url: `/api/regions/${otherCounty(f, who)}/children` }), expectDenied),
  ...perAccount(
    'GET /api/regions/{parent of own scope}/children (only the own branch)',
    Object.fromEntries(SCOPED.map((w) => [w, 200])),
    (f, who) => ({ method: 'GET', url: `/api/regions/${[...f.scope[who].ancestors].sort().at(-2)}/children` }),
    { check: (res, f, who) => expect((res.body as { items: Region[] }).items.map((r) => r.code)).toEqual([f.scope[who].code]) },
  ),
  ...perAccount('GET /api/regions/{another county}/ancestors', OUT_OF_SCOPE_COUNTY, (f, who) => ({ method: 'GET', url: `/api/regions/${otherCounty(f, who)}/ancestors` }), expectDenied),
  ...perAccount('GET /api/regions/{another county}/subtree', OUT_OF_SCOPE_COUNTY, (f, who) => ({ method: 'GET', url: `/api/regions/${otherCounty(f, who)}/subtree` }), expectDenied),
  ...perAccount('GET /api/regions/{another county}/geojson', OUT_OF_SCOPE_COUNTY, (f, who) => ({ method: 'GET', url: `/api/regions/${otherCounty(f, who)}/geojson` }), expectDenied),
  ...perAccount('GET /api/regions?within={another county}', OUT_OF_SCOPE_COUNTY, (f, who) => ({ method: 'GET', url: `/api/regions?within=${otherCounty(f, who)}` }), expectDenied),
  ...perAccount(
    'GET /api/regions/locate {a point in a village of another county} (null outside the scope)',
    all(200),
    (f) => ({ method: 'GET', url: `/api/regions/locate?lon=${f.villageB_centroid[0]}&lat=${f.villageB_centroid[1]}` }),
    {
      check: (res, f, who) => {
        const hit = (res.body as { region: Region | null }).region;
        if (who === 'operator-b' || f.scope[who].prefix === '' || f.scope[who].prefix === significantPrefix(f.province)) expect(hit?.code.startsWith(f.villageB.slice(0, 12))).toBe(true);
        else expect(hit).toBeNull();
      },
    },
  ),
];

describe('region reads by scope', () => {
  for (const c of regionReadCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

/** Every list a region reader can ask for; each must hold only regions in the scope or its ancestors. */
const REGION_LISTS: ((f: Fixture) => string)[] = [
  () => '/api/regions?level=county&limit=1000',
  () => '/api/regions?level=township&limit=1000',
  () => '/api/regions?level=village&limit=1000',
  () => '/api/regions?limit=1000',
  () => `/api/regions?q=${encodeURIComponent('村')}&limit=1000`,
  () => '/api/regions/roots',
  (f) => `/api/regions/${f.province}/children`,
  (f) => `/api/regions/${f.cityA}/children`,
  (f) => `/api/regions/${f.province}/subtree?limit=1000`,
  (f) => `/api/regions/${f.province}/subtree?level=county&limit=1000`,
  (f) => `/api/regions/${f.province}/geojson?level=county`,
  (f) => `/api/regions/${f.province}/geojson?level=village`,
];

describe('region lists never show a region outside the scope', () => {
  it.each([...ACCOUNTS, 'county-admin'] as const)('%s', async (who) => {
    for (const url of REGION_LISTS.map((u) => u(F))) {
      const res = await send(who, { method: 'GET', url });
      if (url.endsWith(`${F.cityA}/children`) && !visibleTo(F, who, F.cityA)) {
        expectProblem(res, 403, 'forbidden');
        continue;
      }
      expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBe(200);
      const body = res.body as { items?: Region[]; features?: Feature[] };
      const codes = body.items ? body.items.map((r) => r.code) : (body.features ?? []).map((x) => x.properties.code);
      const outside = codes.filter((c) => !visibleTo(F, who, c));
      expect(outside, `${who} ${url} shows regions outside ${F.scope[who].code ?? 'the platform'}`).toEqual([]);
    }
    // …and not fewer than it should: the scoped search holds exactly the regions under the scope.
    const mine = (await send(who, { method: 'GET', url: '/api/regions?limit=1000' })).body as Page<Region>;
    const everything = (await p.call('GET', '/api/regions?limit=1000', { as: await as('sysadmin') })).body as Page<Region>;
    expect(mine.total).toBe(everything.items.filter((r) => r.code.startsWith(F.scope[who].prefix)).length);
    const levelCounty = (await send(who, { method: 'GET', url: '/api/regions?level=county&limit=1000' })).body as Page<Region>;
    if (who === 'operator-a' || who === 'social-member' || who === 'county-admin') expect(levelCounty.items.map((r) => r.code)).toEqual([F.countyA]);
    if (who === 'operator-b') expect(levelCounty.items.map((r) => r.code)).toEqual([F.countyB]);
    if (who === 'task-handler') expect(levelCounty.items).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Organizations
// ---------------------------------------------------------------------------------------------

describe('organization lists stay in scope', () => {
  it.each([...ACCOUNTS, 'county-admin'] as const)('%s', async (who) => {
    const res = await send(who, { method: 'GET', url: '/api/organizations?limit=1000' });
    if (who === 'auditadmin') {
      // the audit administrator reads the audit log and nothing else
      expectProblem(res, 403, 'forbidden');
      return;
    }
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    const page = res.body as Page<Organization>;
    if (who === 'social-member') {
      expect(page.items.map((o) => o.id)).toEqual([F.me['social-member'].organizationId]);
      expect(page.total).toBe(1);
      return;
    }
    const prefix = F.scope[who].prefix;
    expect(page.items.filter((o) => !o.regionCode.startsWith(prefix)).map((o) => `${o.regionCode} ${o.name}`)).toEqual([]);
    const everything = (await p.call('GET', '/api/organizations?limit=1000', { as: await as('sysadmin') })).body as Page<Organization>;
    expect(page.total).toBe(everything.items.filter((o) => o.regionCode.startsWith(prefix)).length);
    // a filter cannot widen the scope either
    const widened = (await send(who, { method: 'GET', url: `/api/organizations?regionCode=${F.province}&limit=1000` })).body as Page<Organization>;
    expect(widened.items.every((o) => o.regionCode.startsWith(prefix))).toBe(true);
  });
});

const orgBody = (who: string, regionCode: string) => ({ kind: 'government', name: `授权矩阵-${who}-${regionCode}`, regionCode, departmentType: 'health' });
const ORG_WRITERS = { sysadmin: 201, 'province-admin': 201, 'county-admin': 201 } as const;
const organizationCases: Case[] = [
  { name: 'operator-a GET /api/organizations/{org of another county} → 403', who: 'operator-a', req: (f) => ({ method: 'GET', url: `/api/organizations/${f.orgB}` }), status: 403, code: 'forbidden' },
  { name: 'operator-a GET /api/organizations/{no such organization} → 404', who: 'operator-a', req: () => ({ method: 'GET', url: `/api/organizations/${NIL}` }), status: 404, code: 'not-found' },
  { name: 'operator-a GET /api/organizations/{org in own county} → 200', who: 'operator-a', req: (f) => ({ method: 'GET', url: `/api/organizations/${f.orgA}` }), status: 200 },
  { name: 'social-member GET /api/organizations/{own organization} → 200', who: 'social-member', req: (f) => ({ method: 'GET', url: `/api/organizations/${f.me['social-member'].organizationId}` }), status: 200 },
  { name: 'social-member GET /api/organizations/{another org of the same county} → 403', who: 'social-member', req: (f) => ({ method: 'GET', url: `/api/organizations/${f.otherOrgInCountyA}` }), status: 403 },
  { name: 'auditadmin GET /api/organizations/{any} → 403', who: 'auditadmin', req: (f) => ({ method: 'GET', url: `/api/organizations/${f.orgA}` }), status: 403, code: 'forbidden' },
  ...perAccount('POST /api/organizations in own scope', all(403, ORG_WRITERS), (f, who) => ({ method: 'POST', url: '/api/organizations', body: orgBody(who, who === 'operator-b' ? f.countyB : f.scope[who].code ?? f.countyA) }), { code: forbiddenCode }),
  { name: 'county-admin POST /api/organizations in another county → 403', who: 'county-admin', req: (f) => ({ method: 'POST', url: '/api/organizations', body: orgBody('county-admin', f.countyB) }), status: 403, code: 'forbidden' },
  { name: 'province-admin POST /api/organizations outside the province → 403', who: 'province-admin', req: () => ({ method: 'POST', url: '/api/organizations', body: orgBody('province-admin', '110000000000') }), status: 403, code: 'forbidden' },
  ...perAccount('PATCH /api/organizations/{org in county A}', all(403, { sysadmin: 200, 'province-admin': 200, 'county-admin': 200 }), (f) => ({ method: 'PATCH', url: `/api/organizations/${f.orgA}`, body: { contactName: '王伟' } }), { code: forbiddenCode }),
  { name: 'county-admin PATCH /api/organizations/{org of another county} → 403', who: 'county-admin', req: (f) => ({ method: 'PATCH', url: `/api/organizations/${f.orgB}`, body: { contactName: '李强' } }), status: 403, code: 'forbidden' },
  { name: 'sysadmin PATCH /api/organizations/{no such organization} → 404', who: 'sysadmin', req: () => ({ method: 'PATCH', url: `/api/organizations/${NIL}`, body: { contactName: '李强' } }), status: 404, code: 'not-found' },
];

describe('organizations', () => {
  for (const c of organizationCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Users and grants (three-role separation: 三员分立)
// ---------------------------------------------------------------------------------------------

describe('user lists stay in scope', () => {
  it.each([...ACCOUNTS, 'county-admin'] as const)('%s', async (who) => {
    const res = await send(who, { method: 'GET', url: '/api/users?limit=1000' });
    if (!['sysadmin', 'secadmin', 'province-admin', 'county-admin'].includes(who)) {
      expectProblem(res, 403, 'forbidden');
      return;
    }
    expect(res.status).toBe(200);
    const page = res.body as Page<User>;
    const prefix = F.scope[who].prefix;
    if (prefix !== '') {
      // platform-wide accounts (scope null) are visible to the platform only
      expect(page.items.filter((u) => u.scopeCode === null || !u.scopeCode.startsWith(prefix)).map((u) => u.username)).toEqual([]);
    }
    const everything = (await p.call('GET', '/api/users?limit=1000', { as: await as('sysadmin') })).body as Page<User>;
    expect(page.total).toBe(everything.items.filter((u) => prefix === '' || (u.scopeCode ?? '').startsWith(prefix)).length);
    if (who === 'county-admin') expect(page.items.map((u) => u.username)).not.toContain('operator-b');
  });
});

const userBody = (username: string, roles: string[], scopeCode: string | null, organizationId: string) => ({
  username,
  displayName: username,
  organizationId,
  roles,
  scopeCode,
  password: TEST_PASSWORD,
});

const userCases: Case[] = [
  { name: 'sysadmin POST /api/users with a business role → 201', who: 'sysadmin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-op-1', ['operator'], f.countyA, f.orgA) }), status: 201 },
  { name: 'sysadmin POST /api/users with region-admin + viewer → 201', who: 'sysadmin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-ra-1', ['region-admin', 'viewer'], f.countyB, f.orgB) }), status: 201 },
  ...(['security-admin', 'audit-admin', 'system-admin'] as const).map(
    (role): Case => ({
      name: `sysadmin POST /api/users with ${role} → 403 role-not-grantable`,
      who: 'sysadmin',
      req: (f) => ({ method: 'POST', url: '/api/users', body: userBody(`m-sep-${role}`, [role], null, f.orgProvince) }),
      status: 403,
      code: 'role-not-grantable',
    }),
  ),
  ...(
    [
      ['system-admin', 'audit-admin'],
      ['system-admin', 'security-admin'],
      ['security-admin', 'audit-admin'],
      ['system-admin', 'security-admin', 'audit-admin'],
    ] as const
  ).map(
    (roles): Case => ({
      name: `sysadmin POST /api/users with ${roles.join(' + ')} → 400 role-separation`,
      who: 'sysadmin',
      req: (f) => ({ method: 'POST', url: '/api/users', body: userBody(`m-two-${roles.length}`, [...roles], null, f.orgProvince) }),
      status: 400,
      code: 'role-separation',
    }),
  ),
  { name: 'province-admin POST /api/users with a business role in scope → 201', who: 'province-admin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-op-2', ['operator'], f.countyA, f.orgA) }), status: 201 },
  { name: 'province-admin POST /api/users platform-wide (scope null) → 403', who: 'province-admin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-op-3', ['viewer'], null, f.orgProvince) }), status: 403 },
  { name: 'province-admin POST /api/users with security-admin → 403 role-not-grantable', who: 'province-admin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-sep-p', ['security-admin'], f.province, f.orgProvince) }), status: 403, code: 'role-not-grantable' },
  { name: 'province-admin POST /api/users with system-admin + audit-admin → 400 role-separation', who: 'province-admin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-two-p', ['system-admin', 'audit-admin'], f.province, f.orgProvince) }), status: 400, code: 'role-separation' },
  { name: 'county-admin POST /api/users in own county → 201', who: 'county-admin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-op-4', ['task-handler'], f.township, f.orgA) }), status: 201 },
  { name: 'county-admin POST /api/users in another county → 403', who: 'county-admin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-op-5', ['operator'], f.countyB, f.orgA) }), status: 403, code: 'forbidden' },
  // Accounts are created by the system administrator; the security administrator grants (PATCH below).
  { name: 'secadmin POST /api/users → 403 (creating accounts is the system administrator\'s)', who: 'secadmin', req: (f) => ({ method: 'POST', url: '/api/users', body: userBody('m-sec-1', ['audit-admin'], null, f.orgProvince) }), status: 403, code: 'forbidden' },
  ...perAccount(
    'POST /api/users (no user:write) ',
    { auditadmin: 403, 'operator-a': 403, 'operator-b': 403, dispatcher: 403, 'task-handler': 403, 'social-member': 403, viewer: 403 },
    (f, who) => ({ method: 'POST', url: '/api/users', body: userBody(`m-deny-${who}`, ['viewer'], f.countyA, f.orgA) }),
    { code: forbiddenCode },
  ),

  // Grants: nobody changes their own; the security administrator grants the separated roles.
  ...perAccount('PATCH /api/users/{own id} roles', all(403), (f, who) => ({ method: 'PATCH', url: `/api/users/${f.me[who].id}`, body: { roles: ['viewer'] } }), { code: () => 'self-grant' }),
  ...perAccount('PATCH /api/users/{own id} scopeCode', { 'operator-a': 403, 'province-admin': 403, secadmin: 403 }, (f, who) => ({ method: 'PATCH', url: `/api/users/${f.me[who].id}`, body: { scopeCode: null } }), { code: () => 'self-grant' }),
  { name: 'secadmin PATCH /api/users/{own id} clearance → 403 self-grant', who: 'secadmin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me.secadmin.id}`, body: { clearance: 'core' } }), status: 403, code: 'self-grant' },
  {
    name: 'secadmin PATCH /api/users/{platform viewer} roles audit-admin → 200',
    who: 'secadmin',
    req: (f) => ({ method: 'PATCH', url: `/api/users/${f.grantTargets[0]}`, body: { roles: ['audit-admin'] } }),
    status: 200,
    check: (res) => expect((res.body as User).roles).toEqual(['audit-admin']),
  },
  {
    name: 'secadmin PATCH /api/users/{platform viewer} roles security-admin → 200',
    who: 'secadmin',
    req: (f) => ({ method: 'PATCH', url: `/api/users/${f.grantTargets[1]}`, body: { roles: ['security-admin'] } }),
    status: 200,
    check: (res) => expect((res.body as User).roles).toEqual(['security-admin']),
  },
  { name: 'secadmin PATCH /api/users/{user} roles security-admin + audit-admin → 400 role-separation', who: 'secadmin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.grantTargets[2]}`, body: { roles: ['security-admin', 'audit-admin'] } }), status: 400, code: 'role-separation' },
  { name: 'sysadmin PATCH /api/users/{user} roles security-admin → 403 role-not-grantable', who: 'sysadmin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.grantTargets[2]}`, body: { roles: ['security-admin'] } }), status: 403, code: 'role-not-grantable' },
  { name: 'sysadmin PATCH /api/users/{user} roles system-admin + audit-admin → 400 role-separation', who: 'sysadmin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.grantTargets[2]}`, body: { roles: ['system-admin', 'audit-admin'] } }), status: 400, code: 'role-separation' },
  { name: 'sysadmin PATCH /api/users/{secadmin} disabled → 403 (a separated administrator)', who: 'sysadmin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me.secadmin.id}`, body: { disabled: true } }), status: 403 },
  { name: 'sysadmin PATCH /api/users/{auditadmin} displayName → 403 (a separated administrator)', who: 'sysadmin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me.auditadmin.id}`, body: { displayName: '改名' } }), status: 403 },
  { name: 'sysadmin PATCH /api/users/{user} clearance → 403 clearance-not-grantable', who: 'sysadmin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.grantTargets[2]}`, body: { clearance: 'core' } }), status: 403, code: 'clearance-not-grantable' },
  { name: 'province-admin PATCH /api/users/{sysadmin} → 403 (platform accounts are outside a province)', who: 'province-admin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me.sysadmin.id}`, body: { displayName: 'x' } }), status: 403, code: 'forbidden' },
  { name: 'province-admin GET /api/users/{sysadmin} → 403', who: 'province-admin', req: (f) => ({ method: 'GET', url: `/api/users/${f.me.sysadmin.id}` }), status: 403, code: 'forbidden' },
  { name: 'sysadmin PATCH /api/users/{no such account} → 404', who: 'sysadmin', req: () => ({ method: 'PATCH', url: `/api/users/${NIL}`, body: { displayName: 'x' } }), status: 404, code: 'not-found' },
  { name: 'county-admin PATCH /api/users/{operator-a} displayName → 200', who: 'county-admin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me['operator-a'].id}`, body: { displayName: '县级操作员甲' } }), status: 200 },
  { name: 'county-admin PATCH /api/users/{operator-b} → 403', who: 'county-admin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me['operator-b'].id}`, body: { displayName: 'x' } }), status: 403, code: 'forbidden' },
  { name: 'county-admin GET /api/users/{operator-b} → 403', who: 'county-admin', req: (f) => ({ method: 'GET', url: `/api/users/${f.me['operator-b'].id}` }), status: 403, code: 'forbidden' },
  { name: 'county-admin PATCH /api/users/{operator-a} scopeCode → another county → 403', who: 'county-admin', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me['operator-a'].id}`, body: { scopeCode: f.countyB } }), status: 403 },
  { name: 'operator-a PATCH /api/users/{social-member} → 403', who: 'operator-a', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me['social-member'].id}`, body: { displayName: 'x' } }), status: 403, code: 'forbidden' },
  { name: 'operator-a PATCH /api/users/{operator-b} → 403', who: 'operator-a', req: (f) => ({ method: 'PATCH', url: `/api/users/${f.me['operator-b'].id}`, body: { displayName: 'x' } }), status: 403, code: 'forbidden' },
  ...perAccount(
    'POST /api/users/{operator-a}/unlock',
    all(403, { secadmin: 200 }),
    (f) => ({ method: 'POST', url: `/api/users/${f.me['operator-a'].id}/unlock` }),
    { code: forbiddenCode },
  ),
  ...perAccount('GET /api/users/{own id}', all(200), (f, who) => ({ method: 'GET', url: `/api/users/${f.me[who].id}` })),
];

describe('users and grants', () => {
  for (const c of userCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Audit log, classifications, region writes
// ---------------------------------------------------------------------------------------------

const AUDIT_ONLY = all(403, { auditadmin: 200 });
const newVillage = (() => {
  let n = 900;
  return (f: Fixture) => {
    n++;
    return { kind: 'create', effectiveDate: '2024-01-01', open: [{ code: `${f.township.slice(0, 9)}${n}`, level: 'village', parentCode: f.township, name: `新设村${n}` }] };
  };
})();

const adminCases: Case[] = [
  ...perAccount('GET /api/audit', AUDIT_ONLY, () => ({ method: 'GET', url: '/api/audit?limit=5' }), { code: forbiddenCode }),
  ...perAccount('GET /api/audit/verify', AUDIT_ONLY, () => ({ method: 'GET', url: '/api/audit/verify' }), {
    code: forbiddenCode,
    check: (res) => {
      if (res.status === 200) expect((res.body as { ok: boolean }).ok).toBe(true);
    },
  }),
  ...perAccount('GET /api/classifications', all(403, { secadmin: 200, 'province-admin': 200, 'county-admin': 200 }), () => ({ method: 'GET', url: '/api/classifications' }), { code: forbiddenCode }),
  ...perAccount(
    'PUT /api/classifications',
    all(403, { secadmin: 200 }),
    () => ({ method: 'PUT', url: '/api/classifications', body: { entity: 'organization', field: 'contactName', classification: 'internal', masking: 'name' } }),
    { code: forbiddenCode },
  ),
  ...perAccount(
    'PATCH /api/regions/{village in own scope}',
    all(403, { sysadmin: 200, 'province-admin': 200, 'county-admin': 200 }),
    (f, who) => ({ method: 'PATCH', url: `/api/regions/${ownVillage(f, who)}`, body: { population: 1234 } }),
    {
      code: forbiddenCode,
      check: (res) => {
        if (res.status === 200) expect((res.body as Region).population).toBe(1234);
      },
    },
  ),
  { name: 'county-admin PATCH /api/regions/{village of another county} → 403', who: 'county-admin', req: (f) => ({ method: 'PATCH', url: `/api/regions/${f.villageB}`, body: { population: 1 } }), status: 403, code: 'forbidden' },
  { name: 'county-admin PATCH /api/regions/{own county} → 200', who: 'county-admin', req: (f) => ({ method: 'PATCH', url: `/api/regions/${f.countyA}`, body: { nameEn: 'County A' } }), status: 200 },
  { name: 'county-admin PATCH /api/regions/{the province above} → 403', who: 'county-admin', req: (f) => ({ method: 'PATCH', url: `/api/regions/${f.province}`, body: { population: 1 } }), status: 403, code: 'forbidden' },
  { name: 'province-admin PATCH /api/regions/{outside the province} → 403', who: 'province-admin', req: () => ({ method: 'PATCH', url: '/api/regions/110000000000', body: { population: 1 } }), status: 403, code: 'forbidden' },
  { name: 'sysadmin PATCH /api/regions/{no such region} → 404', who: 'sysadmin', req: () => ({ method: 'PATCH', url: '/api/regions/110000000000', body: { population: 1 } }), status: 404 },
  ...perAccount('POST /api/regions/changes', all(403, { sysadmin: 201 }), (f) => ({ method: 'POST', url: '/api/regions/changes', body: newVillage(f) }), { code: forbiddenCode }),
  ...perAccount(
    'POST /api/regions/import',
    all(403, { sysadmin: 200 }),
    (f) => ({ method: 'POST', url: '/api/regions/import', body: `code,name,level,parent\n${f.villageA},${f.villageAName},village,${f.township}\n`, headers: { 'content-type': 'text/csv' } }),
    {
      code: forbiddenCode,
      check: (res) => {
        if (res.status === 200) expect(res.body).toEqual({ inserted: 0, updated: 1, total: 1 });
      },
    },
  ),
  ...perAccount(
    'POST /api/regions/boundaries',
    all(403, { sysadmin: 200 }),
    (f) => ({ method: 'POST', url: '/api/regions/boundaries', body: { type: 'FeatureCollection', features: [f.villageAFeature] } }),
    { code: forbiddenCode },
  ),
];

describe('audit log, classifications and region writes', () => {
  for (const c of adminCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Back-flow data sets: each region reads its own rows of the province's data set; corrections go up
// ---------------------------------------------------------------------------------------------

const DEMO_DATASET = '/api/datasets/village-population';
const DATASET_READERS = all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 });
const datasetCases: Case[] = [
  ...perAccount('GET /api/datasets/{province data set}', DATASET_READERS, () => ({ method: 'GET', url: DEMO_DATASET }), { code: forbiddenCode }),
  ...perAccount('GET /api/datasets/{province data set}/rows (only rows in scope)', DATASET_READERS, () => ({ method: 'GET', url: `${DEMO_DATASET}/rows?limit=1000` }), {
    code: forbiddenCode,
    check: (res, f, who) => {
      if (res.status !== 200) return;
      const items = (res.body as { items: { regionCode: string }[] }).items;
      expect(items.length).toBeGreaterThan(0);
      expect(items.filter((r) => !r.regionCode.startsWith(f.scope[who].prefix)).map((r) => r.regionCode)).toEqual([]);
    },
  }),
  ...perAccount(
    'POST /api/datasets/{province data set}/corrections {a village of county A}',
    all(201, { secadmin: 403, auditadmin: 403, 'social-member': 403, 'operator-b': 403 }),
    (f) => ({ method: 'POST', url: `${DEMO_DATASET}/corrections`, body: { key: f.villageA, changes: { population: 987_654 }, reason: '授权矩阵' } }),
    { code: forbiddenCode },
  ),
  // Authorization comes before the upload is read: only the owner's side gets to the 400 of an empty upload.
  ...perAccount('POST /api/datasets/{province data set}/versions {no rows}', all(403, { sysadmin: 400, 'province-admin': 400 }), () => ({
    method: 'POST', url: `${DEMO_DATASET}/versions?source=matrix`, body: 'villageCode,villageName,population,households\n', headers: { 'content-type': 'text/csv' },
  }), { code: forbiddenCode }),
  ...perAccount('POST /api/datasets/{province data set}/corrections/{no such id}/accept', all(403, { sysadmin: 404, 'province-admin': 404 }), () => ({
    method: 'POST', url: `${DEMO_DATASET}/corrections/999999/accept`, body: {},
  }), { code: forbiddenCode }),
];

describe('back-flow data sets', () => {
  for (const c of datasetCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Dispatchable resources: read in scope; writers register and update; dispatchers reserve
// ---------------------------------------------------------------------------------------------

const resourceCases: Case[] = [
  ...perAccount('GET /api/resources (only in scope)', all(200, { secadmin: 403, auditadmin: 403 }), () => ({ method: 'GET', url: '/api/resources?limit=1000' }), {
    code: forbiddenCode,
    check: (res, f, who) => {
      if (res.status !== 200) return;
      const items = (res.body as { items: { regionCode: string }[] }).items;
      expect(items.filter((r) => !r.regionCode.startsWith(f.scope[who].prefix)).map((r) => r.regionCode)).toEqual([]);
    },
  }),
  // Authorization comes before the items are looked up: only those who may dispatch get to the 400.
  ...perAccount('POST /api/resources/reservations {no such resource}', all(403, { dispatcher: 400, 'province-admin': 400, 'county-admin': 400 }), () => ({
    method: 'POST', url: '/api/resources/reservations', body: { requestRef: 'matrix', items: [{ resourceId: NIL }] },
  }), { code: forbiddenCode }),
  ...perAccount('POST /api/resources/positions {no such resource}', all(400, { secadmin: 403, auditadmin: 403, dispatcher: 403, 'task-handler': 403, viewer: 403 }), () => ({
    method: 'POST', url: '/api/resources/positions', body: { items: [{ id: NIL, location: [113.5, 28.5] }] },
  }), { code: forbiddenCode }),
  ...perAccount('POST /api/resource-types {a new type}', all(403, { sysadmin: 201 }), (_f, who) => ({
    method: 'POST', url: '/api/resource-types', body: { code: `matrix-${who}`, category: 'vehicle', nameZh: '矩阵', nameEn: 'Matrix', unit: '辆', speedKmh: 30 },
  }), { code: forbiddenCode }),
];

describe('dispatchable resources', () => {
  for (const c of resourceCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Incidents: read in scope; operators and social members report; dispatchers and region admins manage
// ---------------------------------------------------------------------------------------------

const incidentCases: Case[] = [
  ...perAccount('GET /api/incidents (only in scope)', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/incidents?limit=1000' }), {
    code: forbiddenCode,
    check: (res, f, who) => {
      if (res.status !== 200) return;
      const items = (res.body as { items: { regionCode: string }[] }).items;
      expect(items.filter((r) => !r.regionCode.startsWith(f.scope[who].prefix)).map((r) => r.regionCode)).toEqual([]);
    },
  }),
  ...perAccount(
    'POST /api/incidents {a village of county A}',
    all(201, { secadmin: 403, auditadmin: 403, 'operator-b': 403, 'task-handler': 403, viewer: 403 }),
    (f) => ({ method: 'POST', url: '/api/incidents', body: { typeCode: 'garbage', regionCode: f.villageA, description: '授权矩阵' } }),
    { code: forbiddenCode },
  ),
  // Authorization comes before the incident is looked up: only those who may manage get to the 404.
  ...perAccount('POST /api/incidents/{no such id}/actions', all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404, dispatcher: 404 }), () => ({
    method: 'POST', url: `/api/incidents/${NIL}/actions`, body: { action: 'verify' },
  }), { code: forbiddenCode }),
];

describe('incidents', () => {
  for (const c of incidentCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Public warnings (CAP): incident readers read; those who manage incidents issue, in scope
// ---------------------------------------------------------------------------------------------

const warningBody = (regionCode: string) => ({
  categories: ['Met'], urgency: 'Expected', severity: 'Moderate', certainty: 'Likely',
  zh: { event: '暴雨', headline: '授权矩阵预警', description: '测试' }, en: { event: 'Rainstorm', headline: 'Matrix warning', description: 'Test' },
  area: { regionCodes: [regionCode] },
});
const warningCases: Case[] = [
  ...perAccount('GET /api/warnings (only in scope)', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/warnings?limit=1000' }), {
    code: forbiddenCode,
    check: (res, f, who) => {
      if (res.status !== 200) return;
      const items = (res.body as { items: { regionCode: string }[] }).items;
      expect(items.filter((r) => !r.regionCode.startsWith(f.scope[who].prefix)).map((r) => r.regionCode)).toEqual([]);
    },
  }),
  ...perAccount(
    'POST /api/warnings {a village of county A}',
    all(403, { sysadmin: 201, 'province-admin': 201, 'county-admin': 201, dispatcher: 201 }),
    (f) => ({ method: 'POST', url: '/api/warnings', body: warningBody(f.villageA) }),
    { code: forbiddenCode },
  ),
  { name: 'dispatcher POST /api/warnings {county B} → 403', who: 'dispatcher', req: (f) => ({ method: 'POST', url: '/api/warnings', body: warningBody(f.countyB) }), status: 403, code: 'forbidden' },
  { name: 'county-admin POST /api/warnings {county B} → 403', who: 'county-admin', req: (f) => ({ method: 'POST', url: '/api/warnings', body: warningBody(f.countyB) }), status: 403, code: 'forbidden' },
  // Authorization comes before the warning is looked up: only those who may issue get to the 404.
  ...perAccount('POST /api/warnings/{no such id}/cancel', all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404, dispatcher: 404 }), () => ({
    method: 'POST', url: `/api/warnings/${NIL}/cancel`, body: {},
  }), { code: forbiddenCode }),
];

describe('warnings', () => {
  for (const c of warningCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Contingency plans: business roles read; region administrators and dispatchers write and publish, in scope
// ---------------------------------------------------------------------------------------------

const planBody = (code: string, regionCode: string) => ({
  code, name: '授权矩阵预案', scenarioType: 'flood', regionCode, applicableRegions: [regionCode],
  levels: [{ level: 'IV', steps: [{ key: 'watch', title: '值守', roleKey: 'county-emergency-bureau', deadlineMinutes: 30 }] }],
});
const planCases: Case[] = [
  ...perAccount('GET /api/plans', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/plans' }), { code: forbiddenCode }),
  ...perAccount('GET /api/tasks', all(200, { secadmin: 403, auditadmin: 403 }), () => ({ method: 'GET', url: '/api/tasks' }), { code: forbiddenCode }),
  ...perAccount(
    'POST /api/tasks {no such organization}',
    all(403, { sysadmin: 400, 'province-admin': 400, dispatcher: 400 }, false),
    (f) => ({ method: 'POST', url: '/api/tasks', body: { title: 'matrix', regionCode: f.countyA, organizationId: NIL } }),
    { code: forbiddenCode },
  ),
  ...perAccount('GET /api/intake-rules', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/intake-rules' }), { code: forbiddenCode }),
  ...perAccount(
    'PATCH /api/intake-rules/{none}',
    all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404, dispatcher: 404 }),
    () => ({ method: 'PATCH', url: `/api/intake-rules/${NIL}`, body: { active: false } }),
    { code: forbiddenCode },
  ),
  ...perAccount('GET /api/simulations', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/simulations' }), { code: forbiddenCode }),
  ...perAccount('GET /api/activations', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/activations' }), { code: forbiddenCode }),
  ...perAccount('GET /api/dispatch-orders', all(200, { secadmin: 403, auditadmin: 403 }), () => ({ method: 'GET', url: '/api/dispatch-orders' }), { code: forbiddenCode }),
  ...perAccount(
    'POST /api/incidents/{none}/activations',
    all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404, dispatcher: 404 }),
    () => ({ method: 'POST', url: `/api/incidents/${NIL}/activations`, body: {} }),
    { code: forbiddenCode },
  ),
  ...perAccount('GET /api/plan-roles', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/plan-roles' }), { code: forbiddenCode }),
  ...perAccount(
    'POST /api/plans {county A}',
    all(403, { sysadmin: 201, 'province-admin': 201, 'county-admin': 201, dispatcher: 201 }),
    (f, who) => ({ method: 'POST', url: '/api/plans', body: planBody(`matrix-${who}`, f.countyA) }),
    { code: forbiddenCode },
  ),
  { name: 'dispatcher POST /api/plans {county B} → 403', who: 'dispatcher', req: (f) => ({ method: 'POST', url: '/api/plans', body: planBody('matrix-b', f.countyB) }), status: 403, code: 'forbidden' },
  // Indicators: every business role but social-organization members reads; region administrators, dispatchers
  // and system administrators define, compute and handle alerts; operators and task handlers report values.
  ...perAccount('GET /api/indicators', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/indicators' }), { code: forbiddenCode }),
  ...perAccount('GET /api/indicator-alerts', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/indicator-alerts' }), { code: forbiddenCode }),
  ...perAccount('GET /api/cockpit', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/cockpit' }), { code: forbiddenCode }),
  ...perAccount(
    'POST /api/indicators {no such organization}',
    all(403, { sysadmin: 400, 'province-admin': 400, 'county-admin': 400, dispatcher: 400 }),
    () => ({ method: 'POST', url: '/api/indicators', body: { code: 'matrix.x', name: 'x', ownerOrganizationId: NIL, numerator: { kind: 'incidents' } } }),
    { code: forbiddenCode },
  ),
  { name: 'dispatcher POST /api/indicators {owned in county B} → 403', who: 'dispatcher', req: (f) => ({ method: 'POST', url: '/api/indicators', body: { code: 'matrix.b', name: 'x', ownerOrganizationId: f.orgB, numerator: { kind: 'incidents' } } }), status: 403, code: 'forbidden' },
  ...perAccount(
    'POST /api/indicators {owned in county A}',
    all(403, { sysadmin: 201, 'province-admin': 201, 'county-admin': 201, dispatcher: 201 }),
    (f, who) => ({ method: 'POST', url: '/api/indicators', body: { code: `matrix.${who}`, name: 'x', ownerOrganizationId: f.orgA, numerator: { kind: 'incidents' } } }),
    { code: forbiddenCode },
  ),
  ...perAccount(
    'POST /api/indicator-alerts/{none}/actions',
    all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404, dispatcher: 404 }),
    () => ({ method: 'POST', url: `/api/indicator-alerts/${NIL}/actions`, body: { action: 'acknowledge' } }),
    { code: forbiddenCode },
  ),
  // Policies: indicator readers read them; region and system administrators issue them and set their goals.
  ...perAccount('GET /api/policies', all(200, { secadmin: 403, auditadmin: 403, 'social-member': 403 }), () => ({ method: 'GET', url: '/api/policies' }), { code: forbiddenCode }),
  ...perAccount(
    'POST /api/policies {county A}',
    all(403, { sysadmin: 201, 'province-admin': 201, 'county-admin': 201 }),
    (f, who) => ({ method: 'POST', url: '/api/policies', body: { code: `MATRIX-${who}`, title: 'x', issuerOrganizationId: f.orgA, regionCode: f.countyA, issuedOn: '2026-01-01', clauses: [{ number: '1', text: 'x' }] } }),
    { code: forbiddenCode },
  ),
  { name: 'county-admin POST /api/policies {issued by county B} → 403', who: 'county-admin', req: (f) => ({ method: 'POST', url: '/api/policies', body: { code: 'MATRIX-B', title: 'x', issuerOrganizationId: f.orgB, regionCode: f.countyB, issuedOn: '2026-01-01', clauses: [{ number: '1', text: 'x' }] } }), status: 403, code: 'forbidden' },
  ...perAccount(
    'POST /api/goals/{none}/decompose',
    all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404 }),
    () => ({ method: 'POST', url: `/api/goals/${NIL}/decompose`, body: { title: 't', departmentType: 'health', deadline: '2099-01-01T00:00:00Z' } }),
    { code: forbiddenCode },
  ),
  // Service tasks: task managers publish and award; everyone with tasks reads the market.
  ...perAccount('GET /api/service-tasks', all(200, { secadmin: 403, auditadmin: 403 }), () => ({ method: 'GET', url: '/api/service-tasks' }), { code: forbiddenCode }),
  ...perAccount(
    'POST /api/service-tasks/{none}/award',
    all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404, dispatcher: 404 }),
    () => ({ method: 'POST', url: `/api/service-tasks/${NIL}/award`, body: { bidId: NIL } }),
    { code: forbiddenCode },
  ),
  // Authorization comes before the plan is looked up: only those who may publish get to the 404.
  ...perAccount('POST /api/plans/{no such id}/versions/1/transitions {publish}', all(403, { sysadmin: 404, 'province-admin': 404, 'county-admin': 404, dispatcher: 404 }), () => ({
    method: 'POST', url: `/api/plans/${NIL}/versions/1/transitions`, body: { action: 'publish' },
  }), { code: forbiddenCode }),
];

describe('plans', () => {
  for (const c of planCases) {
    it(c.name, async () => {
      await run(c);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// API tokens
// ---------------------------------------------------------------------------------------------

describe('API tokens', () => {
  let token = '';
  let tokenId = '';

  it('operator-a issues a token from a session → 201 with the secret', async () => {
    const res = await send('operator-a', { method: 'POST', url: '/api/tokens', body: { name: 'ci-export' } });
    expect(res.status, res.text).toBe(201);
    const t = res.body as ApiToken & { token: string };
    expect(t.token).toMatch(/^yzt_/);
    expect(t.roles).toEqual(['operator']);
    expect(t.scopeCode).toBe(F.countyA);
    token = t.token;
    tokenId = t.id;
    const listed = (await send('operator-a', { method: 'GET', url: '/api/tokens' })).body as { items: ApiToken[] };
    expect(listed.items.map((x) => x.id)).toContain(tokenId);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('the token works as a bearer within the owner\'s scope', async () => {
    const me = await p.call('GET', '/api/auth/me', { as: token });
    expect(me.status).toBe(200);
    expect((me.body as Me).via).toBe('token');
    const roots = await p.call('GET', '/api/regions/roots', { as: token });
    expect(roots.status).toBe(200);
    expect((roots.body as { items: Region[] }).items.map((r) => r.code)).toEqual([F.countyA]);
    expectProblem(await p.call('GET', `/api/regions/${F.countyB}`, { as: token }), 403, 'forbidden');
    const list = (await p.call('GET', '/api/regions?limit=1000', { as: token })).body as Page<Region>;
    expect(list.items.every((r) => r.code.startsWith(significantPrefix(F.countyA)))).toBe(true);
  });

  it('the token carries no authority its owner lacks', async () => {
    expectProblem(await p.call('GET', '/api/users', { as: token }), 403, 'forbidden');
    expectProblem(await p.call('POST', '/api/organizations', { as: token, body: orgBody('token', F.countyA) }), 403, 'forbidden');
    expectProblem(await p.call('GET', '/api/audit', { as: token }), 403, 'forbidden');
  });

  it('a token cannot issue tokens (session required) nor change the password', async () => {
    expectProblem(await p.call('POST', '/api/tokens', { as: token, body: { name: 'child' } }), 403, 'session-required');
    expectProblem(await p.call('POST', '/api/auth/password', { as: token, body: { currentPassword: 'x', newPassword: 'Another-Passw0rd!' } }), 401);
  });

  it.each([
    ['a role the owner lacks', { roles: ['system-admin'] }, 'body.roles'],
    ['an extra role beside its own', { roles: ['operator', 'region-admin'] }, 'body.roles'],
    ['the separated administrator roles', { roles: ['security-admin'] }, 'body.roles'],
    ['a scope in another county', { scopeCode: 'B' }, 'body.scopeCode'],
    ['a wider scope (the province)', { scopeCode: 'P' }, 'body.scopeCode'],
    ['the platform-wide scope (null)', { scopeCode: null }, 'body.scopeCode'],
  ] as const)('operator-a cannot widen a token: %s → 400', async (_label, extra, field) => {
    const scopeCode = 'scopeCode' in extra ? (extra.scopeCode === 'B' ? F.countyB : extra.scopeCode === 'P' ? F.province : null) : undefined;
    const body = { name: 'wider', ...('roles' in extra ? { roles: extra.roles } : {}), ...('scopeCode' in extra ? { scopeCode } : {}) };
    const res = await send('operator-a', { method: 'POST', url: '/api/tokens', body });
    expectProblem(res, 400);
    const fields = ((res.body as Problem).errors ?? []).map((e) => e.field.replace(/^body\./, ''));
    expect(fields).toContain(field.replace(/^body\./, ''));
  });

  it('a token narrowed to a township sees only that township (and its ancestors)', async () => {
    const res = await send('operator-a', { method: 'POST', url: '/api/tokens', body: { name: 'township-only', scopeCode: F.township, expiresInDays: 7 } });
    expect(res.status, res.text).toBe(201);
    const narrow = (res.body as { token: string }).token;
    expect((await p.call('GET', `/api/regions/${F.township}`, { as: narrow })).status).toBe(200);
    expect((await p.call('GET', `/api/regions/${F.countyA}`, { as: narrow })).status).toBe(200);
    expectProblem(await p.call('GET', `/api/regions/${F.siblingTownship}`, { as: narrow }), 403, 'forbidden');
    const list = (await p.call('GET', '/api/regions?limit=1000', { as: narrow })).body as Page<Region>;
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((r) => r.code.startsWith(significantPrefix(F.township)))).toBe(true);
  });

  it('another account cannot revoke the token (404), its owner can (204), and then it is refused (401)', async () => {
    expectProblem(await send('operator-b', { method: 'DELETE', url: `/api/tokens/${tokenId}` }), 404, 'not-found');
    expect((await p.call('GET', '/api/auth/me', { as: token })).status).toBe(200);
    const revoked = await send('operator-a', { method: 'DELETE', url: `/api/tokens/${tokenId}` });
    expect(revoked.status, revoked.text).toBe(204);
    expectProblem(await p.call('GET', '/api/regions/roots', { as: token }), 401, 'invalid-token');
    expectProblem(await p.call('GET', '/api/auth/me', { as: token }), 401, 'invalid-token');
    expectProblem(await send('operator-a', { method: 'DELETE', url: `/api/tokens/${tokenId}` }), 404, 'not-found');
  });

  it('unknown or malformed bearer credentials → 401', async () => {
    expectProblem(await p.call('GET', '/api/regions/roots', { as: 'yzt_not-a-real-token' }), 401, 'invalid-token');
    expectProblem(await p.call('GET', '/api/regions/roots', { headers: { authorization: 'Basic c3lzYWRtaW46eA==' } }), 401, 'invalid-token');
    expectProblem(await p.call('GET', '/api/regions/roots', { headers: { authorization: 'Bearer' } }), 401, 'invalid-token');
    expectProblem(await p.call('GET', '/api/regions/roots', { headers: { cookie: 'yz_session=forged' } }), 401, 'unauthenticated');
  });
});

// ---------------------------------------------------------------------------------------------
// Anonymous callers
// ---------------------------------------------------------------------------------------------

/** One well-formed request per operation of the API; without credentials each must answer 401. */
const PROTECTED: Record<string, Req> = {
  'get /api/auth/me': { method: 'GET', url: '/api/auth/me' },
  'post /api/auth/password': { method: 'POST', url: '/api/auth/password', body: { currentPassword: 'a', newPassword: 'Some-Passw0rd!' } },
  'get /api/tokens': { method: 'GET', url: '/api/tokens' },
  'post /api/tokens': { method: 'POST', url: '/api/tokens', body: { name: 'x' } },
  'delete /api/tokens/{id}': { method: 'DELETE', url: `/api/tokens/${NIL}` },
  'get /api/organizations': { method: 'GET', url: '/api/organizations' },
  'post /api/organizations': { method: 'POST', url: '/api/organizations', body: orgBody('anon', '990101000000') },
  'get /api/organizations/{id}': { method: 'GET', url: `/api/organizations/${NIL}` },
  'patch /api/organizations/{id}': { method: 'PATCH', url: `/api/organizations/${NIL}`, body: { name: 'x' } },
  'get /api/users': { method: 'GET', url: '/api/users' },
  'post /api/users': { method: 'POST', url: '/api/users', body: userBody('anon-user', ['viewer'], '990101000000', NIL) },
  'get /api/users/{id}': { method: 'GET', url: `/api/users/${NIL}` },
  'patch /api/users/{id}': { method: 'PATCH', url: `/api/users/${NIL}`, body: { displayName: 'x' } },
  'post /api/users/{id}/unlock': { method: 'POST', url: `/api/users/${NIL}/unlock` },
  'get /api/classifications': { method: 'GET', url: '/api/classifications' },
  'put /api/classifications': { method: 'PUT', url: '/api/classifications', body: { entity: 'user', field: 'phone', classification: 'public', masking: 'full' } },
  'get /api/regions': { method: 'GET', url: '/api/regions' },
  'get /api/regions/roots': { method: 'GET', url: '/api/regions/roots' },
  'get /api/regions/locate': { method: 'GET', url: '/api/regions/locate?lon=114&lat=29' },
  'get /api/regions/changes': { method: 'GET', url: '/api/regions/changes' },
  'post /api/regions/changes': { method: 'POST', url: '/api/regions/changes', body: { kind: 'abolish', effectiveDate: '2030-01-01', close: ['990101001001'] } },
  'post /api/regions/import': { method: 'POST', url: '/api/regions/import', body: 'code,name,level,parent\n', headers: { 'content-type': 'text/csv' } },
  'post /api/regions/boundaries': { method: 'POST', url: '/api/regions/boundaries', body: { type: 'FeatureCollection', features: [] } },
  'get /api/regions/{code}': { method: 'GET', url: '/api/regions/990000000000' },
  'patch /api/regions/{code}': { method: 'PATCH', url: '/api/regions/990000000000', body: { population: 1 } },
  'get /api/regions/{code}/children': { method: 'GET', url: '/api/regions/990000000000/children' },
  'get /api/regions/{code}/ancestors': { method: 'GET', url: '/api/regions/990000000000/ancestors' },
  'get /api/regions/{code}/subtree': { method: 'GET', url: '/api/regions/990000000000/subtree' },
  'get /api/regions/{code}/geojson': { method: 'GET', url: '/api/regions/990000000000/geojson' },
  'get /api/audit': { method: 'GET', url: '/api/audit' },
  'get /api/audit/verify': { method: 'GET', url: '/api/audit/verify' },
  'get /api/datasets': { method: 'GET', url: '/api/datasets' },
  'post /api/datasets': { method: 'POST', url: '/api/datasets', body: { code: 'anon-set', name: 'x', keyField: 'k', regionField: 'k', fields: [{ name: 'k', type: 'string' }] } },
  'get /api/datasets/{code}': { method: 'GET', url: '/api/datasets/village-population' },
  'get /api/datasets/{code}/versions': { method: 'GET', url: '/api/datasets/village-population/versions' },
  'post /api/datasets/{code}/versions': { method: 'POST', url: '/api/datasets/village-population/versions?source=x', body: 'villageCode\n', headers: { 'content-type': 'text/csv' } },
  'get /api/datasets/{code}/rows': { method: 'GET', url: '/api/datasets/village-population/rows' },
  'get /api/datasets/{code}/rows/{key}': { method: 'GET', url: '/api/datasets/village-population/rows/990101001001' },
  'get /api/datasets/{code}/corrections': { method: 'GET', url: '/api/datasets/village-population/corrections' },
  'post /api/datasets/{code}/corrections': { method: 'POST', url: '/api/datasets/village-population/corrections', body: { key: '990101001001', changes: { population: 1 }, reason: 'x' } },
  'post /api/datasets/{code}/corrections/{id}/accept': { method: 'POST', url: '/api/datasets/village-population/corrections/1/accept', body: {} },
  'post /api/datasets/{code}/corrections/{id}/reject': { method: 'POST', url: '/api/datasets/village-population/corrections/1/reject', body: { note: 'x' } },
  'get /api/incident-types': { method: 'GET', url: '/api/incident-types' },
  'get /api/incidents': { method: 'GET', url: '/api/incidents' },
  'post /api/incidents': { method: 'POST', url: '/api/incidents', body: { typeCode: 'garbage', regionCode: '990101001001' } },
  'get /api/incidents/{id}': { method: 'GET', url: `/api/incidents/${NIL}` },
  'post /api/incidents/{id}/actions': { method: 'POST', url: `/api/incidents/${NIL}/actions`, body: { action: 'verify' } },
  'get /api/warnings': { method: 'GET', url: '/api/warnings' },
  'post /api/warnings': { method: 'POST', url: '/api/warnings', body: warningBody('990101001001') },
  'get /api/warnings/{id}': { method: 'GET', url: `/api/warnings/${NIL}` },
  'patch /api/warnings/{id}': { method: 'PATCH', url: `/api/warnings/${NIL}`, body: { severity: 'Minor' } },
  'post /api/warnings/{id}/cancel': { method: 'POST', url: `/api/warnings/${NIL}/cancel`, body: {} },
  'post /ngsi-ld/v1/entities': { method: 'POST', url: '/ngsi-ld/v1/entities', body: { id: 'urn:ngsi-ld:T:1', type: 'T' } },
  'get /ngsi-ld/v1/entities': { method: 'GET', url: '/ngsi-ld/v1/entities?type=T' },
  'get /ngsi-ld/v1/entities/{entityId}': { method: 'GET', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:T:1' },
  'delete /ngsi-ld/v1/entities/{entityId}': { method: 'DELETE', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:T:1' },
  'post /ngsi-ld/v1/entities/{entityId}/attrs': { method: 'POST', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:T:1/attrs', body: { a: 1 } },
  'patch /ngsi-ld/v1/entities/{entityId}/attrs': { method: 'PATCH', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:T:1/attrs', body: { a: 1 } },
  'patch /ngsi-ld/v1/entities/{entityId}/attrs/{attrId}': { method: 'PATCH', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:T:1/attrs/a', body: { value: 1 } },
  'delete /ngsi-ld/v1/entities/{entityId}/attrs/{attrId}': { method: 'DELETE', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:T:1/attrs/a' },
  'post /ngsi-ld/v1/subscriptions': { method: 'POST', url: '/ngsi-ld/v1/subscriptions', body: { type: 'Subscription' } },
  'get /ngsi-ld/v1/subscriptions': { method: 'GET', url: '/ngsi-ld/v1/subscriptions' },
  'get /ngsi-ld/v1/subscriptions/{subscriptionId}': { method: 'GET', url: '/ngsi-ld/v1/subscriptions/urn:s:1' },
  'patch /ngsi-ld/v1/subscriptions/{subscriptionId}': { method: 'PATCH', url: '/ngsi-ld/v1/subscriptions/urn:s:1', body: { isActive: false } },
  'delete /ngsi-ld/v1/subscriptions/{subscriptionId}': { method: 'DELETE', url: '/ngsi-ld/v1/subscriptions/urn:s:1' },
  'get /ngsi-ld/v1/temporal/entities': { method: 'GET', url: '/ngsi-ld/v1/temporal/entities?type=T' },
  'get /ngsi-ld/v1/temporal/entities/{entityId}': { method: 'GET', url: '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:T:1' },
  'post /ngsi-ld/v1/entityOperations/create': { method: 'POST', url: '/ngsi-ld/v1/entityOperations/create', body: [{ id: 'urn:ngsi-ld:T:1', type: 'T' }] },
  'post /ngsi-ld/v1/entityOperations/upsert': { method: 'POST', url: '/ngsi-ld/v1/entityOperations/upsert', body: [{ id: 'urn:ngsi-ld:T:1', type: 'T' }] },
  'post /ngsi-ld/v1/entityOperations/update': { method: 'POST', url: '/ngsi-ld/v1/entityOperations/update', body: [{ id: 'urn:ngsi-ld:T:1', a: 1 }] },
  'post /ngsi-ld/v1/entityOperations/delete': { method: 'POST', url: '/ngsi-ld/v1/entityOperations/delete', body: ['urn:ngsi-ld:T:1'] },
  'post /ngsi-ld/v1/entityOperations/query': { method: 'POST', url: '/ngsi-ld/v1/entityOperations/query', body: { type: 'Query', entities: [{ type: 'T' }] } },
  'get /api/twin/types': { method: 'GET', url: '/api/twin/types' },
  'get /api/twin/rollup': { method: 'GET', url: '/api/twin/rollup?type=T' },
  'get /api/twin/rollup/h3': { method: 'GET', url: '/api/twin/rollup/h3?type=T' },
  'get /api/twin/graph': { method: 'GET', url: '/api/twin/graph?id=urn:ngsi-ld:T:1' },
  'get /api/resource-types': { method: 'GET', url: '/api/resource-types' },
  'post /api/resource-types': { method: 'POST', url: '/api/resource-types', body: { code: 'anon-type', category: 'vehicle', nameZh: 'x', nameEn: 'x', unit: 'x', speedKmh: 10 } },
  'get /api/resources': { method: 'GET', url: '/api/resources' },
  'post /api/resources': { method: 'POST', url: '/api/resources', body: { name: 'x', type: 'pump-truck', location: [113.5, 28.5] } },
  'get /api/resources/nearest': { method: 'GET', url: '/api/resources/nearest?type=pump-truck&lon=113.5&lat=28.5' },
  'post /api/resources/positions': { method: 'POST', url: '/api/resources/positions', body: { items: [{ id: NIL, location: [113.5, 28.5] }] } },
  'get /api/resources/reservations': { method: 'GET', url: '/api/resources/reservations' },
  'post /api/resources/reservations': { method: 'POST', url: '/api/resources/reservations', body: { requestRef: 'x', items: [{ resourceId: NIL }] } },
  'post /api/resources/reservations/{id}/release': { method: 'POST', url: `/api/resources/reservations/${NIL}/release`, body: {} },
  'get /api/incidents/{id}/activation-preview': { method: 'GET', url: `/api/incidents/${NIL}/activation-preview` },
  'post /api/incidents/{id}/activations': { method: 'POST', url: `/api/incidents/${NIL}/activations`, body: {} },
  'get /api/activations': { method: 'GET', url: '/api/activations' },
  'get /api/activations/{id}': { method: 'GET', url: `/api/activations/${NIL}` },
  'post /api/activations/{id}/stand-down': { method: 'POST', url: `/api/activations/${NIL}/stand-down`, body: { note: 'x' } },
  'get /api/dispatch-orders': { method: 'GET', url: '/api/dispatch-orders' },
  'post /api/dispatch-orders/{id}/actions': { method: 'POST', url: `/api/dispatch-orders/${NIL}/actions`, body: { action: 'acknowledge' } },
  'get /api/intake-rules': { method: 'GET', url: '/api/intake-rules' },
  'post /api/intake-rules': { method: 'POST', url: '/api/intake-rules', body: { name: 'x', regionCode: '990000000000', entityType: 'T', attribute: 'a', threshold: 1, incidentType: 'flood' } },
  'patch /api/intake-rules/{id}': { method: 'PATCH', url: `/api/intake-rules/${NIL}`, body: { active: false } },
  'post /api/simulations': { method: 'POST', url: '/api/simulations', body: { regionCode: '990000000000' } },
  'get /api/simulations': { method: 'GET', url: '/api/simulations' },
  'get /api/simulations/{id}': { method: 'GET', url: `/api/simulations/${NIL}` },
  'get /api/tasks': { method: 'GET', url: '/api/tasks' },
  'post /api/tasks': { method: 'POST', url: '/api/tasks', body: { title: 'x', regionCode: '990000000000', organizationId: NIL } },
  'get /api/tasks/{id}': { method: 'GET', url: `/api/tasks/${NIL}` },
  'post /api/tasks/{id}/actions': { method: 'POST', url: `/api/tasks/${NIL}/actions`, body: { action: 'accept' } },
  'get /api/indicators': { method: 'GET', url: '/api/indicators' },
  'post /api/indicators': { method: 'POST', url: '/api/indicators', body: { code: 'x.y' } },
  'get /api/indicators/{code}': { method: 'GET', url: '/api/indicators/x.y' },
  'put /api/indicators/{code}': { method: 'PUT', url: '/api/indicators/x.y', body: { code: 'x.y' } },
  'get /api/indicators/{code}/values': { method: 'GET', url: '/api/indicators/x.y/values' },
  'post /api/indicators/{code}/compute': { method: 'POST', url: '/api/indicators/x.y/compute', body: {} },
  'post /api/indicators/{code}/reports': { method: 'POST', url: '/api/indicators/x.y/reports', body: { items: [] } },
  'put /api/indicators/{code}/targets': { method: 'PUT', url: '/api/indicators/x.y/targets', body: { items: [] } },
  'get /api/indicator-alerts': { method: 'GET', url: '/api/indicator-alerts' },
  'get /api/indicator-alerts/{id}': { method: 'GET', url: `/api/indicator-alerts/${NIL}` },
  'post /api/indicator-alerts/{id}/actions': { method: 'POST', url: `/api/indicator-alerts/${NIL}/actions`, body: { action: 'acknowledge' } },
  'get /api/cockpit': { method: 'GET', url: '/api/cockpit' },
  'get /api/policies': { method: 'GET', url: '/api/policies' },
  'post /api/policies': { method: 'POST', url: '/api/policies', body: { code: 'x' } },
  'get /api/policies/{code}': { method: 'GET', url: '/api/policies/X-1' },
  'patch /api/policies/{code}': { method: 'PATCH', url: '/api/policies/X-1', body: { status: 'expired' } },
  'get /api/policies/{code}/goals': { method: 'GET', url: '/api/policies/X-1/goals' },
  'post /api/policies/{code}/goals': { method: 'POST', url: '/api/policies/X-1/goals', body: {} },
  'get /api/policies/{code}/linkage': { method: 'GET', url: '/api/policies/X-1/linkage' },
  'post /api/goals/{id}/decompose': { method: 'POST', url: `/api/goals/${NIL}/decompose`, body: {} },
  'get /api/linkage': { method: 'GET', url: `/api/linkage?task=${NIL}` },
  'post /api/service-tasks': { method: 'POST', url: '/api/service-tasks', body: {} },
  'get /api/service-tasks': { method: 'GET', url: '/api/service-tasks' },
  'post /api/service-tasks/{id}/bids': { method: 'POST', url: `/api/service-tasks/${NIL}/bids`, body: { amount: 1, proposal: 'x' } },
  'get /api/service-tasks/{id}/bids': { method: 'GET', url: `/api/service-tasks/${NIL}/bids` },
  'post /api/service-tasks/{id}/bids/withdraw': { method: 'POST', url: `/api/service-tasks/${NIL}/bids/withdraw` },
  'post /api/service-tasks/{id}/withdraw': { method: 'POST', url: `/api/service-tasks/${NIL}/withdraw`, body: { note: 'x' } },
  'post /api/service-tasks/{id}/award': { method: 'POST', url: `/api/service-tasks/${NIL}/award`, body: { bidId: NIL } },
  'post /api/tasks/{id}/evidence': { method: 'POST', url: `/api/tasks/${NIL}/evidence?name=x.txt`, body: 'x', headers: { 'content-type': 'text/plain' } },
  'get /api/tasks/{id}/evidence/{evidenceId}/file': { method: 'GET', url: `/api/tasks/${NIL}/evidence/${NIL}/file` },
  'get /api/resources/{id}': { method: 'GET', url: `/api/resources/${NIL}` },
  'patch /api/resources/{id}': { method: 'PATCH', url: `/api/resources/${NIL}`, body: { name: 'x' } },
  'post /api/resources/{id}/status': { method: 'POST', url: `/api/resources/${NIL}/status`, body: { status: 'unavailable' } },
  'get /api/plan-roles': { method: 'GET', url: '/api/plan-roles' },
  'get /api/plans': { method: 'GET', url: '/api/plans' },
  'post /api/plans': { method: 'POST', url: '/api/plans', body: { code: 'anon-plan' } },
  'get /api/plans/active': { method: 'GET', url: '/api/plans/active?typeCode=flood&grade=IV&regionCode=990101000000' },
  'post /api/plans/import': { method: 'POST', url: '/api/plans/import?regionCode=990101000000', body: 'format: x\n', headers: { 'content-type': 'application/yaml' } },
  'get /api/plans/{id}': { method: 'GET', url: `/api/plans/${NIL}` },
  'get /api/plans/{id}/diff': { method: 'GET', url: `/api/plans/${NIL}/diff?from=1&to=2` },
  'get /api/plans/{id}/versions/{version}': { method: 'GET', url: `/api/plans/${NIL}/versions/1` },
  'put /api/plans/{id}/versions/{version}': { method: 'PUT', url: `/api/plans/${NIL}/versions/1`, body: { name: 'x' } },
  'post /api/plans/{id}/versions/{version}/transitions': { method: 'POST', url: `/api/plans/${NIL}/versions/1/transitions`, body: { action: 'review' } },
  'get /api/plans/{id}/versions/{version}/binding': { method: 'GET', url: `/api/plans/${NIL}/versions/1/binding` },
  'put /api/plans/{id}/versions/{version}/binding': { method: 'PUT', url: `/api/plans/${NIL}/versions/1/binding`, body: { auto: true } },
  'get /api/plans/{id}/versions/{version}/export': { method: 'GET', url: `/api/plans/${NIL}/versions/1/export?format=yaml` },
};
const PUBLIC = ['post /api/auth/login', 'post /api/auth/logout'];
// Open311 GeoReport v2 authenticates by api_key itself and answers in the standard's error list (a 403
// without a key): test/api/open311.test.ts covers it.
const OPEN311 = [
  'get /open311/v2/services.json', 'get /open311/v2/services/{service_code}.json', 'post /open311/v2/requests.json', 'get /open311/v2/requests.json',
  'get /open311/v2/requests/{service_request_id}.json', 'get /open311/v2/tokens/{token}.json',
];
// The public CAP feed and documents need no credentials at all (as public alerting feeds do):
// test/api/warnings.test.ts covers them; here they must answer anonymous callers.
const CAP_PUBLIC = ['get /cap/alerts', 'get /cap/alerts/{identifier}.xml'];

describe('anonymous callers', () => {
  it('the table below covers every operation the API documents', async () => {
    const res = await p.call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const paths = (res.body as { paths: Record<string, Record<string, unknown>> }).paths;
    const operations = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(operations.filter((o) => !PUBLIC.includes(o) && !OPEN311.includes(o) && !CAP_PUBLIC.includes(o) && !(o in PROTECTED))).toEqual([]);
  });

  it.each(Object.entries(PROTECTED))('%s without credentials → 401', async (_op, req) => {
    expectProblem(await send('anonymous', req), 401, 'unauthenticated');
  });

  it.each(Object.entries(PROTECTED))('%s with an unknown session cookie → 401', async (_op, req) => {
    expectProblem(await send('anonymous', { ...req, headers: { ...(req.headers ?? {}), cookie: 'yz_session=expired-or-forged' } }), 401, 'unauthenticated');
  });

  // Credentials are checked before the request is validated: an anonymous caller learns nothing about
  // the shape an endpoint expects and cannot make the server parse large bodies.
  it.each([
    ['POST /api/users with an empty object', { method: 'POST', url: '/api/users', body: {} }],
    ['POST /api/organizations without a body', { method: 'POST', url: '/api/organizations' }],
    ['PUT /api/classifications with wrong types', { method: 'PUT', url: '/api/classifications', body: { entity: 1 } }],
    ['POST /api/regions/changes with malformed JSON', { method: 'POST', url: '/api/regions/changes', body: '{"kind":' }],
    ['GET /api/regions/{not a code}', { method: 'GET', url: '/api/regions/not-a-code' }],
    ['PATCH /api/users/{not a uuid}', { method: 'PATCH', url: '/api/users/42', body: { displayName: 'x' } }],
    ['GET /api/audit?limit=0', { method: 'GET', url: '/api/audit?limit=0' }],
  ] as [string, Req][])('%s without credentials → 401, not a validation error', async (_label, req) => {
    expectProblem(await send('anonymous', req), 401, 'unauthenticated');
  });

  it('the public routes answer without credentials', async () => {
    expectProblem(await send('anonymous', { method: 'POST', url: '/api/auth/login', body: { username: 'nobody-at-all', password: 'wrong' } }), 401, 'invalid-credentials');
    expect((await send('anonymous', { method: 'POST', url: '/api/auth/logout' })).status).toBe(204);
    expect((await send('anonymous', { method: 'GET', url: '/api/openapi.json' })).status).toBe(200);
    expect((await send('anonymous', { method: 'GET', url: '/cap/alerts' })).status).toBe(200);
    expectProblem(await send('anonymous', { method: 'GET', url: '/cap/alerts/yz-none.xml' }), 404, 'not-found');
  });
});

// ---------------------------------------------------------------------------------------------
// Denials are audited (runs last: it reads back the denials of every case above)
// ---------------------------------------------------------------------------------------------

describe('denials in the audit log', () => {
  async function deniedRecords(): Promise<AuditRecord[]> {
    const res = await p.call('GET', '/api/audit?outcome=denied&limit=1000', { as: await as('auditadmin') });
    expect(res.status).toBe(200);
    return (res.body as Page<AuditRecord>).items;
  }

  it('a denied request writes an access.denied record the audit administrator can read', async () => {
    const res = await send('operator-a', { method: 'GET', url: '/api/users', headers: { 'x-request-id': 'denied-probe-operator-a' } });
    expectProblem(res, 403, 'forbidden');
    const list = await p.call('GET', '/api/audit?action=access.denied&limit=1000', { as: await as('auditadmin') });
    expect(list.status).toBe(200);
    const rec = (list.body as Page<AuditRecord>).items.find((r) => r.requestId === 'denied-probe-operator-a');
    expect(rec).toBeDefined();
    expect(rec).toMatchObject({ action: 'access.denied', actorName: 'operator-a', actorId: F.me['operator-a'].id, outcome: 'denied', details: { requested: 'user:read' } });
    expect(rec?.reason).toMatch(/user:read/);
    // the chain stays intact with the denials in it
    expect(((await p.call('GET', '/api/audit/verify', { as: await as('auditadmin') })).body as { ok: boolean }).ok).toBe(true);
  });

  it('a denial through an API token is recorded against the token\'s owner', async () => {
    const issued = await send('viewer', { method: 'POST', url: '/api/tokens', body: { name: 'denial-probe' } });
    const bearer = (issued.body as { token: string }).token;
    const res = await p.call('GET', '/api/audit', { as: bearer, headers: { 'x-request-id': 'denied-probe-token' } });
    expectProblem(res, 403, 'forbidden');
    const rec = (await deniedRecords()).find((r) => r.requestId === 'denied-probe-token');
    expect(rec).toMatchObject({ action: 'access.denied', actorName: 'viewer', details: { requested: 'audit:read' } });
  });

  it('every denial of the matrix outside account changes is an access.denied record', async () => {
    const byRequest = new Map((await deniedRecords()).map((r) => [r.requestId, r]));
    const policyDenials = denials.filter((d) => !d.accountChange);
    expect(policyDenials.length).toBeGreaterThan(100);
    expect(policyDenials.filter((d) => !byRequest.has(d.requestId)).map((d) => d.name)).toEqual([]);
    for (const d of policyDenials) expect(byRequest.get(d.requestId)?.action).toBe('access.denied');
  });

  // Refused account changes are the privilege-escalation attempts an auditor most wants to see:
  // granting oneself roles, granting a separated administrator role, managing a separated administrator.
  it('every refused account change (POST/PATCH /api/users → 403) is in the audit log too', async () => {
    const byRequest = new Map((await deniedRecords()).map((r) => [r.requestId, r]));
    const refused = denials.filter((d) => d.accountChange);
    expect(refused.length).toBeGreaterThan(20);
    expect(refused.filter((d) => !byRequest.has(d.requestId)).map((d) => `${d.code}: ${d.name}`)).toEqual([]);
  });
});
