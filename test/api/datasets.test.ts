// SPDX-License-Identifier: Apache-2.0
// Back-flow (数据回流): a data set held at a higher level is published down; every region reads exactly its own
// rows with lineage; versions diff against the current rows and stay readable; corrections go back up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contracts/audit.ts';
import type { Correction, Dataset, DatasetRow, DatasetRowHistory, DatasetRowPage, DatasetVersion } from '../../contracts/datasets.ts';
import { scopePrefixOf } from '../../contracts/region-codes.ts';
import type { Region } from '../../contracts/regions.ts';
import type { DeliveredEvent } from '../../server/platform/outbox.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { expectProblem, ok } from '../helpers/expect.ts';
import { TEST_VILLAGES } from '../helpers/template.ts';

type Page<T> = { items: T[]; total: number };
const DEMO = 'village-population';

let p: TestPlatform;
let countyA: string;
let countyB: string;
let province: string;
let villagesA: Region[];
let villagesB: Region[];

async function as(username: string): Promise<string> {
  return p.login(username);
}

async function rows(who: string, code: string, query = ''): Promise<DatasetRowPage> {
  return ok<DatasetRowPage>(await p.call('GET', `/api/datasets/${code}/rows?limit=1000${query}`, { as: await as(who) }));
}

async function versionCount(code: string): Promise<number> {
  return ok<Page<DatasetVersion>>(await p.call('GET', `/api/datasets/${code}/versions`, { as: await as('sysadmin') })).total;
}

beforeAll(async () => {
  p = await createTestPlatform();
  const sys = await as('sysadmin');
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  province = p.account('province-admin').scope as string;
  villagesA = ok<Page<Region>>(await p.call('GET', `/api/regions/${countyA}/subtree?level=village&limit=1000`, { as: sys })).items;
  villagesB = ok<Page<Region>>(await p.call('GET', `/api/regions/${countyB}/subtree?level=village&limit=1000`, { as: sys })).items;
});
afterAll(async () => {
  await p?.stop();
});

describe('the demo data set (行政村人口登记)', () => {
  it('is published twice by the province and concerns every village', async () => {
    const ds = ok<Dataset>(await p.call('GET', `/api/datasets/${DEMO}`, { as: await as('province-admin') }));
    expect(ds).toMatchObject({ code: DEMO, ownerRegionCode: province, keyField: 'villageCode', regionField: 'villageCode', currentVersion: 2, isOwner: true, rowCount: TEST_VILLAGES });
    const versions = ok<Page<DatasetVersion>>(await p.call('GET', `/api/datasets/${DEMO}/versions`, { as: await as('province-admin') }));
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.items[1]).toMatchObject({ added: TEST_VILLAGES, changed: 0, removed: 0, total: TEST_VILLAGES });
    expect(versions.items[0]?.changed).toBeGreaterThan(0);
    expect(versions.items[0]?.added).toBe(0);
  });

  it('shows a county operator exactly the villages of their county, with lineage', async () => {
    const list = ok<Page<Dataset>>(await p.call('GET', '/api/datasets', { as: await as('operator-a') }));
    const demo = list.items.find((d) => d.code === DEMO);
    expect(demo).toMatchObject({ rowCount: villagesA.length, isOwner: false });
    const page = await rows('operator-a', DEMO);
    expect(page.version).toBe(2);
    expect(page.total).toBe(villagesA.length);
    expect(page.items.map((r) => r.key).sort()).toEqual(villagesA.map((v) => v.code).sort());
    for (const r of page.items) {
      expect(r.regionCode.startsWith(scopePrefixOf(countyA))).toBe(true);
      expect(r.lineage.dataset).toBe(DEMO);
      expect([1, 2]).toContain(r.lineage.version);
      expect(r.lineage.source).toMatch(/省人口综合库/);
      expect(Number.isNaN(Date.parse(r.lineage.publishedAt))).toBe(false);
      expect(r.regionName).toBe(villagesA.find((v) => v.code === r.key)?.name);
    }
    // the other county's operator sees its own villages and none of these
    const other = await rows('operator-b', DEMO);
    expect(other.items.map((r) => r.key).sort()).toEqual(villagesB.map((v) => v.code).sort());
    // the province sees them all
    expect((await rows('viewer', DEMO)).total).toBe(TEST_VILLAGES);
    // a township's task handler sees only the villages of the township
    const township = p.account('task-handler').scope as string;
    const mine = await rows('task-handler', DEMO);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((r) => r.regionCode.startsWith(scopePrefixOf(township)))).toBe(true);
  });

  it('reads an earlier version with asOf, filters by region and searches', async () => {
    const v1 = await rows('province-admin', DEMO, '&asOf=1');
    const v2 = await rows('province-admin', DEMO);
    expect(v1.version).toBe(1);
    expect(v1.items.every((r) => r.lineage.version === 1)).toBe(true);
    const changed = v2.items.filter((r) => r.lineage.version === 2);
    expect(changed.length).toBeGreaterThan(0);
    const before = v1.items.find((r) => r.key === changed[0]?.key) as DatasetRow;
    expect(before.data).not.toEqual(changed[0]?.data);
    const inA = await rows('province-admin', DEMO, `&regionCode=${countyA}`);
    expect(inA.total).toBe(villagesA.length);
    // a filter never widens the scope
    expect((await rows('operator-a', DEMO, `&regionCode=${countyB}`)).total).toBe(0);
    const name = villagesA[0]?.name as string;
    const found = await rows('operator-a', DEMO, `&q=${encodeURIComponent(name)}`);
    expect(found.items.map((r) => r.key)).toContain(villagesA[0]?.code);
    const byKey = await rows('operator-a', DEMO, `&q=${villagesA[0]?.code}`);
    expect(byKey.items.map((r) => r.key)).toEqual([villagesA[0]?.code]);
    const paged = ok<DatasetRowPage>(await p.call('GET', `/api/datasets/${DEMO}/rows?limit=2&offset=1`, { as: await as('operator-a') }));
    expect(paged.items.map((r) => r.key)).toEqual(inA.items.slice(1, 3).map((r) => r.key));
    expect(paged.total).toBe(villagesA.length);
  });
});

describe('publishing versions', () => {
  const CODE = 'test-shelters';
  const row = (code: string, n: number, extra: Record<string, unknown> = {}) => ({ shelterId: `S-${n}`, regionCode: code, name: `避难场所${n}`, capacity: 100 * n, open: true, ...extra });

  it('defines a data set and publishes a JSON version', async () => {
    const sys = await as('sysadmin');
    const made = await p.call('POST', '/api/datasets', {
      as: sys,
      body: {
        code: CODE, name: '应急避难场所', ownerRegionCode: province, ownerOrganizationId: await ownerOrg(),
        keyField: 'shelterId', regionField: 'regionCode',
        fields: [
          { name: 'shelterId', type: 'string', label: '编号' }, { name: 'regionCode', type: 'string' }, { name: 'name', type: 'string', required: true },
          { name: 'capacity', type: 'integer' }, { name: 'open', type: 'boolean' }, { name: 'area', type: 'number' },
        ],
      },
    });
    expect(ok<Dataset>(made, 201)).toMatchObject({ code: CODE, currentVersion: 0, rowCount: 0 });
    expect((await rows('sysadmin', CODE)).items).toEqual([]);
    const body = [row(villagesA[0]?.code as string, 1), row(villagesA[1]?.code as string, 2), row(villagesB[0]?.code as string, 3), row(countyA, 4)];
    const v1 = ok<DatasetVersion>(await p.call('POST', `/api/datasets/${CODE}/versions?source=${encodeURIComponent('省应急厅场所库')}`, { as: sys, body }), 201);
    expect(v1).toMatchObject({ version: 1, source: '省应急厅场所库', added: 4, changed: 0, removed: 0, total: 4, publishedBy: 'sysadmin' });
    const a = await rows('operator-a', CODE);
    expect(a.items.map((r) => r.key)).toEqual(['S-4', 'S-1', 'S-2'].filter((k) => a.items.some((r) => r.key === k)));
    expect(a.items.map((r) => r.key).sort()).toEqual(['S-1', 'S-2', 'S-4']);
    expect(a.items.find((r) => r.key === 'S-1')?.data).toEqual({ shelterId: 'S-1', regionCode: villagesA[0]?.code, name: '避难场所1', capacity: 100, open: true, area: null });
    expect((await rows('operator-b', CODE)).items.map((r) => r.key)).toEqual(['S-3']);
  });

  it('diffs a CSV version: unchanged rows keep their lineage, changed reopen, missing close', async () => {
    const sys = await as('sysadmin');
    const csv = [
      'shelterId,regionCode,name,capacity,open,area',
      `S-1,${villagesA[0]?.code},避难场所1,100,true,`,
      `S-2,${villagesA[1]?.code},"避难场所2, 扩建",250,是,1200.5`,
      `S-5,${villagesB[1]?.code},避难场所5,80,false,`,
      `S-4,${countyA},避难场所4,400,true,`,
      '',
    ].join('\n');
    const v2 = ok<DatasetVersion>(await p.call('POST', `/api/datasets/${CODE}/versions?source=csv-export&note=second`, { as: sys, body: csv, headers: { 'content-type': 'text/csv' } }), 201);
    expect(v2).toMatchObject({ version: 2, added: 1, changed: 1, removed: 1, total: 4, note: 'second' });
    const now = await rows('sysadmin', CODE);
    const lineage = Object.fromEntries(now.items.map((r) => [r.key, r.lineage.version]));
    expect(lineage).toEqual({ 'S-1': 1, 'S-2': 2, 'S-4': 1, 'S-5': 2 });
    expect(now.items.find((r) => r.key === 'S-2')?.data).toMatchObject({ name: '避难场所2, 扩建', capacity: 250, open: true, area: 1200.5 });
    // version 1 is still there as it was
    const old = await rows('sysadmin', CODE, '&asOf=1');
    expect(old.items.map((r) => r.key).sort()).toEqual(['S-1', 'S-2', 'S-3', 'S-4']);
    expect(old.items.find((r) => r.key === 'S-2')?.data.capacity).toBe(200);
    // the history of one row through the versions
    const history = ok<DatasetRowHistory>(await p.call('GET', `/api/datasets/${CODE}/rows/S-2`, { as: await as('operator-a') }));
    expect(history.items.map((h) => [h.lineage.version, h.validTo])).toEqual([[1, 2], [2, null]]);
    expectProblem(await p.call('GET', `/api/datasets/${CODE}/rows/S-3`, { as: await as('operator-a') }), 403, 'forbidden');
    expectProblem(await p.call('GET', `/api/datasets/${CODE}/rows/S-404`, { as: await as('operator-a') }), 404, 'not-found');
    // republishing the same rows changes nothing but records the version
    const same = ok<DatasetVersion>(await p.call('POST', `/api/datasets/${CODE}/versions?source=csv-export`, { as: sys, body: csv, headers: { 'content-type': 'text/csv' } }), 201);
    expect(same).toMatchObject({ version: 3, added: 0, changed: 0, removed: 0, total: 4 });
  });

  it.each([
    ['an unknown column', 'shelterId,regionCode,name,colour\nS-1,{A},x,red\n', 'header.colour'],
    ['a missing required column', 'shelterId,name\nS-1,x\n', 'header.regionCode'],
    ['a value of the wrong type', 'shelterId,regionCode,name,capacity\nS-1,{A},x,100\nS-2,{A},y,many\n', 'row 2.capacity'],
    ['a missing required value', 'shelterId,regionCode,name\nS-1,{A},\n', 'row 1.name'],
    ['a region that does not exist', 'shelterId,regionCode,name\nS-1,990999999999,x\n', 'row 1.regionCode'],
    ['a region outside the owner region', 'shelterId,regionCode,name\nS-1,110101000000,x\n', 'row 1.regionCode'],
    ['a malformed region code', 'shelterId,regionCode,name\nS-1,12AB,x\n', 'row 1.regionCode'],
    ['a duplicate key', 'shelterId,regionCode,name\nS-1,{A},x\nS-1,{A},y\n', 'row 2.shelterId'],
    ['a row with too many cells', 'shelterId,regionCode,name\nS-1,{A},x,extra\n', 'row 1'],
    ['an unterminated quote', 'shelterId,regionCode,name\nS-1,{A},"x\n', 'line 2'],
    ['no rows', 'shelterId,regionCode,name\n', 'body'],
    ['an empty body', '', 'header'],
  ])('refuses a CSV with %s (400, nothing written)', async (_label, csv, field) => {
    const before = await versionCount(CODE);
    const beforeRows = await rows('sysadmin', CODE);
    const res = await p.call('POST', `/api/datasets/${CODE}/versions?source=bad`, { as: await as('sysadmin'), body: csv.replaceAll('{A}', villagesA[0]?.code as string), headers: { 'content-type': 'text/csv' } });
    const problem = expectProblem(res, 400);
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await versionCount(CODE)).toBe(before);
    expect(await rows('sysadmin', CODE)).toEqual(beforeRows);
  });

  it.each([
    ['an object instead of an array', { shelterId: 'S-1' }, 'body'],
    ['a row that is not an object', [['S-1']], 'row 1'],
    ['a number in a text field', [{ shelterId: 7, regionCode: '{A}', name: 'x' }], 'row 1.shelterId'],
    ['text in a number field', [{ shelterId: 'S-1', regionCode: '{A}', name: 'x', capacity: '100' }], 'row 1.capacity'],
    ['a fraction in a whole-number field', [{ shelterId: 'S-1', regionCode: '{A}', name: 'x', capacity: 1.5 }], 'row 1.capacity'],
    ['an unknown field', [{ shelterId: 'S-1', regionCode: '{A}', name: 'x', constructor: 1 }], 'row 1.constructor'],
    ['a nested value', [{ shelterId: 'S-1', regionCode: '{A}', name: { zh: 'x' } }], 'row 1.name'],
    ['an empty array', [], 'body'],
  ])('refuses JSON with %s (400, nothing written)', async (_label, body, field) => {
    const before = await versionCount(CODE);
    const json = JSON.stringify(body).replaceAll('{A}', villagesA[0]?.code as string);
    const res = await p.call('POST', `/api/datasets/${CODE}/versions?source=bad`, { as: await as('sysadmin'), body: json });
    const problem = expectProblem(res, 400);
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await versionCount(CODE)).toBe(before);
  });

  it('lists the first errors of a large bad upload, row by row, and writes nothing', async () => {
    const body = Array.from({ length: 500 }, (_, i) => ({ shelterId: `X-${i}`, regionCode: villagesA[0]?.code, name: 'x', capacity: i % 2 ? 'n/a' : i }));
    const problem = expectProblem(await p.call('POST', `/api/datasets/${CODE}/versions?source=bad`, { as: await as('sysadmin'), body }), 400, 'invalid');
    expect(problem.errors?.length).toBe(50);
    expect(problem.errors?.[0]).toEqual({ field: 'row 2.capacity', message: 'expected a whole number, got "n/a"' });
    expect(problem.detail).toMatch(/nothing was published/);
    expect((await rows('sysadmin', CODE)).items.some((r) => r.key.startsWith('X-'))).toBe(false);
  });

  it('answers other bad requests with a 4xx problem', async () => {
    const sys = await as('sysadmin');
    expectProblem(await p.call('POST', `/api/datasets/${CODE}/versions`, { as: sys, body: [] }), 400, 'invalid'); // no source
    expectProblem(await p.call('POST', `/api/datasets/${CODE}/versions?source=x`, { as: sys, body: '[{"shelterId":' }), 400, 'malformed-json');
    expectProblem(await p.call('POST', '/api/datasets/no-such-set/versions?source=x', { as: sys, body: [] }), 404, 'not-found');
    expectProblem(await p.call('GET', '/api/datasets/Not_A_Code', { as: sys }), 400, 'invalid');
    expectProblem(await p.call('GET', `/api/datasets/${CODE}/rows?asOf=99`, { as: sys }), 400, 'invalid');
    expectProblem(await p.call('GET', `/api/datasets/${CODE}/rows?asOf=0`, { as: sys }), 400, 'invalid');
    expectProblem(await p.call('GET', `/api/datasets/${CODE}/rows?asOf=two`, { as: sys }), 400, 'invalid');
    expectProblem(await p.call('GET', `/api/datasets/${CODE}/rows?regionCode=99`, { as: sys }), 400, 'invalid');
    expectProblem(await p.call('POST', '/api/datasets', { as: sys, body: { code: CODE, name: 'x', ownerRegionCode: province, keyField: 'k', regionField: 'k', fields: [{ name: 'k', type: 'string' }] } }), 409, 'conflict');
    const badDef = expectProblem(await p.call('POST', '/api/datasets', { as: sys, body: { code: 'bad-def', name: 'x', ownerRegionCode: province, keyField: 'k', regionField: 'r', fields: [{ name: 'k', type: 'integer' }, { name: 'k', type: 'string' }] } }), 400, 'invalid');
    expect(badDef.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['body.fields.1.name', 'body.regionField']));
    expectProblem(await p.call('POST', '/api/datasets', { as: sys, body: { code: 'no-owner', name: 'x', keyField: 'k', regionField: 'k', fields: [{ name: 'k', type: 'string' }] } }), 400, 'invalid');
    expectProblem(await p.call('POST', '/api/datasets', { as: sys, body: { code: 'no-region', name: 'x', ownerRegionCode: '990999000000', ownerOrganizationId: await ownerOrg(), keyField: 'k', regionField: 'k', fields: [{ name: 'k', type: 'string' }] } }), 400, 'invalid');
    expectProblem(await p.call('POST', '/api/datasets', { as: sys, body: { code: 'x', name: 'x', keyField: 'k', regionField: 'k', fields: [] } }), 400, 'invalid');
    expectProblem(await p.call('POST', '/api/datasets', { as: sys, body: { code: 'proto', name: 'x', ownerRegionCode: province, keyField: 'k', regionField: 'k', fields: [{ name: '__proto__', type: 'string' }, { name: 'k', type: 'string' }] } }), 400, 'invalid');
  });
});

/** The province's big-data bureau. */
async function ownerOrg(): Promise<string> {
  const orgs = ok<Page<{ id: string; name: string; regionCode: string }>>(await p.call('GET', `/api/organizations?regionCode=${province}&limit=1000`, { as: await as('sysadmin') }));
  return orgs.items.find((o) => o.regionCode === province && o.name.endsWith('大数据局'))?.id as string;
}

describe('corrections sent back up', () => {
  let mineKey: string;
  let corrected: Correction;

  it('a county operator proposes a correction to a row of their county', async () => {
    mineKey = villagesA[0]?.code as string;
    const current = (await rows('operator-a', DEMO, `&q=${mineKey}`)).items[0] as DatasetRow;
    const res = await p.call('POST', `/api/datasets/${DEMO}/corrections`, {
      as: await as('operator-a'),
      body: { key: mineKey, changes: { population: (current.data.population as number) + 17, lowIncomeHouseholds: 3 }, reason: '村委会 2025 年 7 月入户核实' },
    });
    corrected = ok<Correction>(res, 201);
    expect(corrected).toMatchObject({ dataset: DEMO, key: mineKey, regionCode: mineKey, status: 'pending', proposedBy: 'operator-a', mine: true, baseVersion: current.lineage.version });
    expect(corrected.before).toEqual({ population: current.data.population, lowIncomeHouseholds: current.data.lowIncomeHouseholds });
  });

  it('cannot propose on, nor see, another county\'s rows', async () => {
    const other = villagesB[0]?.code as string;
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections`, { as: await as('operator-a'), body: { key: other, changes: { population: 1 }, reason: 'x' } }), 403, 'forbidden');
    expectProblem(await p.call('GET', `/api/datasets/${DEMO}/rows/${other}`, { as: await as('operator-a') }), 403, 'forbidden');
    const seen = await rows('operator-a', DEMO, `&q=${other}`);
    expect(seen.total).toBe(0);
  });

  it('refuses bad proposals with a 4xx', async () => {
    const op = await as('operator-a');
    const bad = async (body: unknown, status: number, field?: string) => {
      const problem = expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections`, { as: op, body }), status);
      if (field) expect(problem.errors?.map((e) => e.field)).toContain(field);
    };
    await bad({ key: mineKey, changes: { colour: 'red' }, reason: 'x' }, 400, 'body.changes.colour');
    await bad({ key: mineKey, changes: { villageCode: '990101001999' }, reason: 'x' }, 400, 'body.changes.villageCode');
    await bad({ key: mineKey, changes: { population: 'many' }, reason: 'x' }, 400, 'body.changes.population');
    await bad({ key: mineKey, changes: {}, reason: 'x' }, 400, 'body.changes');
    await bad({ key: mineKey, changes: { population: 1 } }, 400, 'body.reason');
    await bad({ key: mineKey, changes: { population: 1 }, reason: 'x', extra: true }, 400);
    await bad({ key: '990000000001', changes: { population: 1 }, reason: 'x' }, 404);
    const current = (await rows('operator-a', DEMO, `&q=${villagesA[1]?.code}`)).items[0] as DatasetRow;
    await bad({ key: villagesA[1]?.code, changes: { population: current.data.population }, reason: 'x' }, 400, 'body.changes');
  });

  it('the county cannot decide it; the province accepts it into a new version', async () => {
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/${corrected.id}/accept`, { as: await as('operator-a'), body: {} }), 403, 'forbidden');
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/${corrected.id}/accept`, { as: await as('viewer'), body: {} }), 403, 'forbidden');
    const pending = ok<Page<Correction>>(await p.call('GET', `/api/datasets/${DEMO}/corrections?status=pending`, { as: await as('province-admin') }));
    expect(pending.items.map((c) => c.id)).toContain(corrected.id);
    const accepted = ok<Correction>(await p.call('POST', `/api/datasets/${DEMO}/corrections/${corrected.id}/accept`, { as: await as('province-admin'), body: { note: '已与公安户籍核对' } }));
    expect(accepted).toMatchObject({ status: 'accepted', decidedBy: 'province-admin', decisionNote: '已与公安户籍核对', resultingVersion: 3, mine: false });
    const row = (await rows('operator-a', DEMO, `&q=${mineKey}`)).items[0] as DatasetRow;
    expect(row.data).toMatchObject(corrected.changes);
    expect(row.lineage).toMatchObject({ version: 3, source: `correction #${corrected.id}` });
    const v3 = ok<Page<DatasetVersion>>(await p.call('GET', `/api/datasets/${DEMO}/versions?limit=1`, { as: await as('operator-a') })).items[0];
    expect(v3).toMatchObject({ version: 3, added: 0, changed: 1, removed: 0, total: TEST_VILLAGES, correctionId: corrected.id });
    // only that row changed: every other row keeps its lineage
    const all = await rows('province-admin', DEMO);
    expect(all.items.filter((r) => r.lineage.version === 3).map((r) => r.key)).toEqual([mineKey]);
    // the proposer sees the outcome among their own
    const own = ok<Page<Correction>>(await p.call('GET', `/api/datasets/${DEMO}/corrections?mine=true`, { as: await as('operator-a') }));
    expect(own.items.find((c) => c.id === corrected.id)).toMatchObject({ status: 'accepted', resultingVersion: 3, mine: true });
    // deciding twice is a conflict
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/${corrected.id}/reject`, { as: await as('province-admin'), body: { note: 'x' } }), 409, 'already-decided');
  });

  it('the province rejects a correction with a note; the county sees why', async () => {
    // the township's task handler proposes on a village of the township
    const key = villagesA.find((v) => v.code.startsWith(scopePrefixOf(p.account('task-handler').scope as string)))?.code as string;
    const made = ok<Correction>(await p.call('POST', `/api/datasets/${DEMO}/corrections`, { as: await as('task-handler'), body: { key, changes: { registeredEnterprises: 999 }, reason: '新设工业园' } }), 201);
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/${made.id}/reject`, { as: await as('province-admin'), body: {} }), 400, 'invalid');
    const rejected = ok<Correction>(await p.call('POST', `/api/datasets/${DEMO}/corrections/${made.id}/reject`, { as: await as('province-admin'), body: { note: '工业园企业登记在园区管委会，不计入村' } }));
    expect(rejected).toMatchObject({ status: 'rejected', resultingVersion: null, decisionNote: '工业园企业登记在园区管委会，不计入村' });
    expect(await versionCount(DEMO)).toBe(3);
    const seen = ok<Page<Correction>>(await p.call('GET', `/api/datasets/${DEMO}/corrections`, { as: await as('operator-a') }));
    expect(seen.items.find((c) => c.id === made.id)?.status).toBe('rejected');
    // the other county sees neither
    const otherSeen = ok<Page<Correction>>(await p.call('GET', `/api/datasets/${DEMO}/corrections`, { as: await as('operator-b') }));
    expect(otherSeen.items.filter((c) => c.regionCode.startsWith(scopePrefixOf(countyA)))).toEqual([]);
  });

  it('a correction made stale by a later version cannot be accepted', async () => {
    const key = villagesA[3]?.code as string;
    const made = ok<Correction>(await p.call('POST', `/api/datasets/${DEMO}/corrections`, { as: await as('operator-a'), body: { key, changes: { households: 1 }, reason: '核实' } }), 201);
    // the owner publishes a version that changes the row
    const all = (await rows('province-admin', DEMO)).items.map((r) => (r.key === key ? { ...r.data, households: 2 } : r.data));
    ok<DatasetVersion>(await p.call('POST', `/api/datasets/${DEMO}/versions?source=refresh`, { as: await as('province-admin'), body: all }), 201);
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/${made.id}/accept`, { as: await as('province-admin'), body: {} }), 409, 'stale-correction');
    ok<Correction>(await p.call('POST', `/api/datasets/${DEMO}/corrections/${made.id}/reject`, { as: await as('province-admin'), body: { note: '已在新版本中更新' } }));
  });

  it('nobody decides their own correction', async () => {
    const key = villagesB[1]?.code as string;
    const made = ok<Correction>(await p.call('POST', `/api/datasets/${DEMO}/corrections`, { as: await as('province-admin'), body: { key, changes: { households: 7 }, reason: '复核' } }), 201);
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/${made.id}/accept`, { as: await as('province-admin'), body: {} }), 403, 'forbidden');
    ok<Correction>(await p.call('POST', `/api/datasets/${DEMO}/corrections/${made.id}/accept`, { as: await as('sysadmin') }));
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/999999/accept`, { as: await as('sysadmin'), body: {} }), 404, 'not-found');
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/corrections/abc/accept`, { as: await as('sysadmin'), body: {} }), 400, 'invalid');
  });
});

describe('permissions', () => {
  it.each(['social-member', 'auditadmin', 'secadmin'])('%s has no data sets (403)', async (who) => {
    expectProblem(await p.call('GET', '/api/datasets', { as: await as(who) }), 403, 'forbidden');
    expectProblem(await p.call('GET', `/api/datasets/${DEMO}/rows`, { as: await as(who) }), 403, 'forbidden');
  });

  it('readers read and propose but do not publish or define', async () => {
    for (const who of ['viewer', 'dispatcher', 'task-handler']) {
      expect((await p.call('GET', `/api/datasets/${DEMO}/rows?limit=1`, { as: await as(who) })).status).toBe(200);
      expectProblem(await p.call('POST', `/api/datasets/${DEMO}/versions?source=x`, { as: await as(who), body: [{ villageCode: villagesA[0]?.code, villageName: 'x', population: 1, households: 1 }] }), 403, 'forbidden');
      expectProblem(await p.call('POST', '/api/datasets', { as: await as(who), body: { code: `by-${who}`, name: 'x', keyField: 'k', regionField: 'k', fields: [{ name: 'k', type: 'string' }] } }), 403, 'forbidden');
    }
  });

  it('a county operator publishes a county data set but not the province\'s', async () => {
    const op = await as('operator-a');
    expectProblem(await p.call('POST', `/api/datasets/${DEMO}/versions?source=x`, { as: op, body: [{ villageCode: villagesA[0]?.code, villageName: 'x', population: 1, households: 1 }] }), 403, 'forbidden');
    expectProblem(await p.call('POST', '/api/datasets', { as: op, body: { code: 'county-on-province', name: 'x', ownerRegionCode: province, keyField: 'k', regionField: 'k', fields: [{ name: 'k', type: 'string' }] } }), 403, 'forbidden');
    const made = await p.call('POST', '/api/datasets', { as: op, body: { code: 'county-wells', name: '机井台账', keyField: 'wellId', regionField: 'village', fields: [{ name: 'wellId', type: 'string' }, { name: 'village', type: 'string' }, { name: 'depth', type: 'number' }] } });
    expect(ok<Dataset>(made, 201)).toMatchObject({ ownerRegionCode: countyA, isOwner: true });
    ok(await p.call('POST', '/api/datasets/county-wells/versions?source=county', { as: op, body: [{ wellId: 'W1', village: villagesA[0]?.code, depth: 35.5 }] }), 201);
    // a row outside the county is refused
    expectProblem(await p.call('POST', '/api/datasets/county-wells/versions?source=county', { as: op, body: [{ wellId: 'W2', village: villagesB[0]?.code }] }), 400, 'invalid');
    // the other county neither lists nor reads it
    const list = ok<Page<Dataset>>(await p.call('GET', '/api/datasets', { as: await as('operator-b') }));
    expect(list.items.map((d) => d.code)).not.toContain('county-wells');
    expectProblem(await p.call('GET', '/api/datasets/county-wells/rows', { as: await as('operator-b') }), 403, 'forbidden');
    // the province above sees it
    expect((await rows('viewer', 'county-wells')).total).toBe(1);
  });

  it('a data set classified above a reader\'s clearance is neither listed nor readable', async () => {
    const body = { code: 'sensitive-set', name: '敏感数据', classification: 'sensitive', keyField: 'k', regionField: 'k', fields: [{ name: 'k', type: 'string' }] };
    // the system administrator's clearance is internal: they cannot define it either
    expectProblem(await p.call('POST', '/api/datasets', { as: await as('sysadmin'), body: { ...body, ownerRegionCode: province } }), 403, 'forbidden');
    ok(await p.call('POST', '/api/datasets', { as: await as('province-admin'), body }), 201);
    const list = ok<Page<Dataset>>(await p.call('GET', '/api/datasets', { as: await as('operator-a') }));
    expect(list.items.map((d) => d.code)).not.toContain('sensitive-set');
    expectProblem(await p.call('GET', '/api/datasets/sensitive-set', { as: await as('operator-a') }), 403, 'forbidden');
    // the province administrator is cleared for sensitive data
    expect(ok<Dataset>(await p.call('GET', '/api/datasets/sensitive-set', { as: await as('province-admin') })).classification).toBe('sensitive');
  });
});

describe('audit and outbox', () => {
  it('every publish, proposal and decision is audited, and denials too', async () => {
    const res = ok<Page<AuditRecord>>(await p.call('GET', '/api/audit?action=dataset.&limit=1000', { as: await as('auditadmin') }));
    const actions = new Set(res.items.map((r) => r.action));
    for (const a of ['dataset.created', 'dataset.published', 'dataset.correction-proposed', 'dataset.correction-accepted', 'dataset.correction-rejected']) expect(actions).toContain(a);
    const published = res.items.find((r) => r.action === 'dataset.published' && r.resourceId === 'test-shelters');
    expect(published?.details).toMatchObject({ code: 'test-shelters', source: expect.any(String) });
    const denied = ok<Page<AuditRecord>>(await p.call('GET', '/api/audit?action=access.denied&limit=1000', { as: await as('auditadmin') }));
    expect(denied.items.some((r) => r.actorName === 'operator-a' && r.details.requested === 'dataset:propose')).toBe(true);
    expect(denied.items.some((r) => r.actorName === 'province-admin' && r.resourceType === 'dataset-correction')).toBe(true);
    expect(ok<{ ok: boolean }>(await p.call('GET', '/api/audit/verify', { as: await as('auditadmin') })).ok).toBe(true);
  });

  it('publishes versions and corrections to the outbox', async () => {
    const seen: DeliveredEvent[] = [];
    p.deps.outbox.subscribe('dataset.version.published', (e) => {
      seen.push(e);
    });
    p.deps.outbox.subscribe('dataset.correction.proposed', (e) => {
      seen.push(e);
    });
    const key = villagesA[4]?.code ?? (villagesA[0]?.code as string);
    ok(await p.call('POST', `/api/datasets/${DEMO}/corrections`, { as: await as('operator-a'), body: { key, changes: { elderlyShare: 0.5 }, reason: '核实' } }), 201);
    ok(await p.call('POST', '/api/datasets/test-shelters/versions?source=outbox', { as: await as('sysadmin'), body: [{ shelterId: 'S-9', regionCode: villagesB[0]?.code, name: 'x' }] }), 201);
    await p.deps.outbox.drain();
    const proposal = seen.find((e) => e.topic === 'dataset.correction.proposed' && e.payload.key === key);
    expect(proposal?.regionCode).toBe(key);
    const version = seen.find((e) => e.topic === 'dataset.version.published' && e.payload.source === 'outbox');
    expect(version?.payload).toMatchObject({ code: 'test-shelters', added: 1, removed: 4, regions: expect.arrayContaining([villagesB[0]?.code]) });
  });
});
