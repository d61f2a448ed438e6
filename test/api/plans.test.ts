// SPDX-License-Identifier: Apache-2.0
// Contingency plans (预案): structure validation (dependency cycles, unknown keys, catalogs), the lifecycle and
// immutability of published versions, the structured diff, role bindings with proposals, export → import
// into another county with a bind report, bad packages refused whole, which version applies, scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Problem } from '../../contracts/common.ts';
import type { ImportResult, Plan, PlanBinding, PlanDetail, PlanDiff, PlanPackage, PlanTransitionResult, PlanVersion } from '../../contracts/dispatch-plans.ts';
import { recordPlanVersionUse, seedDemoPlans } from '../../server/modules/dispatch/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import { withTransaction } from '../../server/platform/db.ts';
import type { DeliveredEvent } from '../../server/platform/outbox.ts';
import { createTestPlatform, type TestPlatform, type TestResponse } from '../helpers/platform.ts';
import { expectProblem, ok } from '../helpers/expect.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let countyB: string;
let province: string;
const events: DeliveredEvent[] = [];

const as = (username: string) => p.login(username);
async function count(): Promise<number> {
  const { rows } = await p.deps.db.pool.query<{ n: number }>(
    'SELECT (SELECT count(*) FROM plan) + (SELECT count(*) FROM plan_version) + (SELECT count(*) FROM plan_binding) + (SELECT count(*) FROM plan_version_event) AS n',
  );
  return Number(rows[0]?.n ?? 0);
}

const notice = {
  key: 'warn', audience: 'public', severity: 'Moderate', urgency: 'Expected', headlineZh: '洪水黄色预警', headlineEn: 'Yellow flood warning',
  textZh: '请远离河道。', textEn: 'Keep away from rivers.', area: { kind: 'incident-region' },
};
function planBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: 'test-flood',
    name: '测试防汛预案',
    scenarioType: 'flood',
    regionCode: countyA,
    applicableRegions: [countyA],
    triggers: [{ kind: 'incident', typeCode: 'flood', minGrade: 'III' }],
    levels: [{
      level: 'III',
      steps: [
        { key: 'monitor', title: '监测水情', roleKey: 'water-resources-bureau', deadlineMinutes: 30 },
        { key: 'consult', title: '会商研判', roleKey: 'county-emergency-bureau', deadlineMinutes: 60, dependsOn: ['monitor'] },
      ],
      resources: [{ resourceType: 'pump-truck', quantity: 2, maxTravelMinutes: 60 }],
      notifications: [notice],
    }],
    ...over,
  };
}
const contentOf = (b: Record<string, unknown>) => ({ name: b.name, applicableRegions: b.applicableRegions, triggers: b.triggers, levels: b.levels });

async function createPlan(who: string, body: Record<string, unknown>): Promise<PlanDetail> {
  return ok<PlanDetail>(await p.call('POST', '/api/plans', { as: await as(who), body }), 201);
}
async function transition(who: string, id: string, version: number, action: string, status = 200): Promise<TestResponse> {
  const res = await p.call('POST', `/api/plans/${id}/versions/${version}/transitions`, { as: await as(who), body: { action, note: `${action} by ${who}` } });
  if (status < 400) ok<PlanTransitionResult>(res, status);
  return res;
}

beforeAll(async () => {
  p = await createTestPlatform();
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  province = p.account('province-admin').scope as string;
  p.deps.outbox.subscribe('*', (e) => {
    if (e.topic.startsWith('plan.')) events.push(e);
  });
});
afterAll(async () => {
  await p?.stop();
});

describe('the role catalog', () => {
  it('lists roles with names and the department type and level they map to', async () => {
    const { items } = ok<{ items: { key: string; departmentType: string; level: string; name: string }[] }>(await p.call('GET', '/api/plan-roles', { as: await as('viewer') }));
    expect(items.find((r) => r.key === 'county-emergency-bureau')).toMatchObject({ departmentType: 'emergency-management', level: 'county' });
    expect(items.find((r) => r.key === 'township-head')).toMatchObject({ departmentType: 'government-office', level: 'township' });
    expectProblem(await p.call('GET', '/api/plan-roles', { as: await as('social-member') }), 403, 'forbidden');
  });
});

describe('structure validation', () => {
  it('refuses dependency cycles, unknown keys, roles, resource and incident types, and foreign regions, writing nothing', async () => {
    const before = await count();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['cycle', planBody({ levels: [{ level: 'IV', steps: [
        { key: 'a', title: 'a', roleKey: 'fire-rescue', deadlineMinutes: 10, dependsOn: ['b'] },
        { key: 'b', title: 'b', roleKey: 'fire-rescue', deadlineMinutes: 10, dependsOn: ['a'] },
      ] }] }), /dependency cycle a → b → a/],
      ['unknown dependency', planBody({ levels: [{ level: 'IV', steps: [{ key: 'a', title: 'a', roleKey: 'fire-rescue', deadlineMinutes: 10, dependsOn: ['ghost'] }] }] }), /depends on ghost, which is no step/],
      ['unknown role', planBody({ levels: [{ level: 'IV', steps: [{ key: 'a', title: 'a', roleKey: 'chief-wizard', deadlineMinutes: 10 }] }] }), /no role chief-wizard/],
      ['unknown resource type', planBody({ levels: [{ level: 'IV', steps: [{ key: 'a', title: 'a', roleKey: 'fire-rescue', deadlineMinutes: 10 }], resources: [{ resourceType: 'hovercraft', quantity: 1, maxTravelMinutes: 5 }] }] }), /no resource type hovercraft/],
      ['unknown scenario', planBody({ scenarioType: 'alien-invasion' }), /no incident type alien-invasion/],
      ['region outside the owner region', planBody({ applicableRegions: [countyB] }), /outside the owner region/],
      ['duplicate level', planBody({ levels: [...(planBody().levels as unknown[]), ...(planBody().levels as unknown[])] }), /level III appears twice/],
    ];
    for (const [label, body, message] of cases) {
      const problem = expectProblem(await p.call('POST', '/api/plans', { as: await as('province-admin'), body }), 400, 'invalid');
      expect(problem.errors?.map((e) => e.message).join('; '), label).toMatch(message);
    }
    // shape errors at the edge: unknown fields, a bad key, a negative deadline
    expectProblem(await p.call('POST', '/api/plans', { as: await as('province-admin'), body: { ...planBody(), extra: 1 } }), 400);
    expectProblem(await p.call('POST', '/api/plans', { as: await as('province-admin'), body: planBody({ levels: [{ level: 'IV', steps: [{ key: 'Bad Key', title: 'a', roleKey: 'fire-rescue', deadlineMinutes: -1 }] }] }) }), 400);
    expectProblem(await p.call('POST', '/api/plans', { as: await as('province-admin'), body: '{"code":' }), 400);
    expect(await count()).toBe(before);
  });
});

describe('the lifecycle', () => {
  let plan: PlanDetail;

  it('creates version 1 as a draft; operators only read; out-of-scope writers are refused', async () => {
    expectProblem(await p.call('POST', '/api/plans', { as: await as('operator-a'), body: planBody() }), 403, 'forbidden');
    expectProblem(await p.call('POST', '/api/plans', { as: await as('dispatcher'), body: planBody({ regionCode: countyB, applicableRegions: [countyB] }) }), 403, 'forbidden');
    plan = await createPlan('province-admin', planBody());
    expect(plan).toMatchObject({ code: 'test-flood', status: 'draft', latestVersion: 1, publishedVersion: null, regionCode: countyA, scenarioName: '洪涝灾害' });
    expect(plan.versions.map((v) => [v.version, v.status])).toEqual([[1, 'draft']]);
    expectProblem(await p.call('POST', '/api/plans', { as: await as('province-admin'), body: planBody() }), 409, 'conflict');
    // operator-a reads it, operator-b (another county) does not
    ok<PlanDetail>(await p.call('GET', `/api/plans/${plan.id}`, { as: await as('operator-a') }));
    expectProblem(await p.call('GET', `/api/plans/${plan.id}`, { as: await as('operator-b') }), 403, 'forbidden');
    expectProblem(await p.call('GET', '/api/plans/00000000-0000-4000-8000-000000000000', { as: await as('operator-a') }), 404, 'not-found');
  });

  it('edits a draft, then refuses edits once reviewed and published; a revision is a new draft', async () => {
    const edited = planBody({ name: '测试防汛预案（草稿二）' });
    const v1 = ok<PlanVersion>(await p.call('PUT', `/api/plans/${plan.id}/versions/1`, { as: await as('dispatcher'), body: contentOf(edited) }));
    expect(v1).toMatchObject({ name: '测试防汛预案（草稿二）', editable: true, status: 'draft' });
    expectProblem(await p.call('PUT', `/api/plans/${plan.id}/versions/1`, { as: await as('operator-a'), body: contentOf(edited) }), 403, 'forbidden');
    expectProblem(await transition('dispatcher', plan.id, 1, 'drill', 409), 409, 'invalid-transition');
    expectProblem(await transition('operator-a', plan.id, 1, 'review', 403), 403, 'forbidden');
    await transition('dispatcher', plan.id, 1, 'review');
    expectProblem(await p.call('PUT', `/api/plans/${plan.id}/versions/1`, { as: await as('dispatcher'), body: contentOf(planBody()) }), 409, 'version-immutable');
    await transition('dispatcher', plan.id, 1, 'return');
    ok(await p.call('PUT', `/api/plans/${plan.id}/versions/1`, { as: await as('dispatcher'), body: contentOf(planBody()) }));
    await transition('dispatcher', plan.id, 1, 'review');
    await transition('province-admin', plan.id, 1, 'publish');
    expectProblem(await p.call('PUT', `/api/plans/${plan.id}/versions/1`, { as: await as('province-admin'), body: contentOf(planBody({ name: 'x' })) }), 409, 'version-immutable');
    // the database refuses it too
    await expect(p.deps.db.pool.query("UPDATE plan_version SET name = 'x' WHERE plan_id = $1 AND version = 1", [plan.id])).rejects.toThrow(/cannot change/);
    await transition('dispatcher', plan.id, 1, 'drill');
    await transition('dispatcher', plan.id, 1, 'evaluate');
    const revised = ok<PlanTransitionResult>(await p.call('POST', `/api/plans/${plan.id}/versions/1/transitions`, { as: await as('dispatcher'), body: { action: 'revise', note: '演练后修订' } }));
    expect(revised.version.status).toBe('evaluated');
    expect(revised.created).toMatchObject({ version: 2, status: 'draft', basedOn: 1, editable: true });
    expectProblem(await transition('dispatcher', plan.id, 1, 'revise', 409), 409, 'draft-exists');
    const detail = ok<PlanDetail>(await p.call('GET', `/api/plans/${plan.id}`, { as: await as('viewer') }));
    expect(detail).toMatchObject({ status: 'draft', latestVersion: 2, publishedVersion: 1 });
  });

  it('diffs two versions structurally', async () => {
    const base = planBody();
    const v2 = planBody({
      name: '测试防汛预案（修订）',
      triggers: [{ kind: 'incident', typeCode: 'flood', minGrade: 'IV' }],
      levels: [
        {
          level: 'III',
          steps: [
            { key: 'monitor', title: '监测水情', roleKey: 'water-resources-bureau', deadlineMinutes: 30 },
            { key: 'consult', title: '会商研判', roleKey: 'county-emergency-bureau', deadlineMinutes: 90, dependsOn: ['monitor'] },
            { key: 'patrol', title: '巡堤查险', roleKey: 'township-head', deadlineMinutes: 120, dependsOn: ['consult'] },
          ],
          resources: [{ resourceType: 'pump-truck', quantity: 3, maxTravelMinutes: 60 }, { resourceType: 'sandbags', quantity: 500, maxTravelMinutes: 120 }],
          notifications: [notice],
        },
        { level: 'IV', steps: [{ key: 'watch', title: '值班值守', roleKey: 'county-emergency-bureau', deadlineMinutes: 60 }] },
      ],
    });
    ok(await p.call('PUT', `/api/plans/${plan.id}/versions/2`, { as: await as('dispatcher'), body: contentOf(v2) }));
    const diff = ok<PlanDiff>(await p.call('GET', `/api/plans/${plan.id}/diff?from=1&to=2`, { as: await as('viewer') }));
    const none = { added: [], removed: [], changed: [] };
    expect(diff).toEqual({
      from: 1,
      to: 2,
      fields: [{ field: 'name', from: base.name, to: '测试防汛预案（修订）' }],
      triggers: { added: [{ kind: 'incident', typeCode: 'flood', minGrade: 'IV' }], removed: [{ kind: 'incident', typeCode: 'flood', minGrade: 'III' }] },
      levels: [
        {
          level: 'III',
          change: 'changed',
          steps: { added: ['patrol'], removed: [], changed: [{ key: 'consult', changes: [{ field: 'deadlineMinutes', from: 60, to: 90 }] }] },
          resources: { added: ['sandbags'], removed: [], changed: [{ key: 'pump-truck', changes: [{ field: 'quantity', from: 2, to: 3 }] }] },
          notifications: none,
        },
        { level: 'IV', change: 'added', steps: { added: ['watch'], removed: [], changed: [] }, resources: none, notifications: none },
      ],
    });
    // the reverse direction mirrors it
    const back = ok<PlanDiff>(await p.call('GET', `/api/plans/${plan.id}/diff?from=2&to=1`, { as: await as('viewer') }));
    expect(back.levels.map((l) => [l.level, l.change])).toEqual([['III', 'changed'], ['IV', 'removed']]);
    expectProblem(await p.call('GET', `/api/plans/${plan.id}/diff?from=1&to=9`, { as: await as('viewer') }), 404);
    expectProblem(await p.call('GET', `/api/plans/${plan.id}/diff?from=x&to=1`, { as: await as('viewer') }), 400);
  });

  it('publishing version 2 supersedes version 1 (revised); every change is audited with who, when and note', async () => {
    await transition('dispatcher', plan.id, 2, 'review');
    await transition('dispatcher', plan.id, 2, 'publish');
    const detail = ok<PlanDetail>(await p.call('GET', `/api/plans/${plan.id}`, { as: await as('viewer') }));
    expect(detail).toMatchObject({ status: 'published', latestVersion: 2, publishedVersion: 2 });
    expect(detail.versions.map((v) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'revised']]);
    const v1 = ok<PlanVersion>(await p.call('GET', `/api/plans/${plan.id}/versions/1`, { as: await as('viewer') }));
    expect(v1.events.map((e) => [e.action, e.fromStatus, e.toStatus, e.actor])).toEqual([
      ['create', null, 'draft', 'province-admin'],
      ['review', 'draft', 'reviewed', 'dispatcher'],
      ['return', 'reviewed', 'draft', 'dispatcher'],
      ['review', 'draft', 'reviewed', 'dispatcher'],
      ['publish', 'reviewed', 'published', 'province-admin'],
      ['drill', 'published', 'drilled', 'dispatcher'],
      ['evaluate', 'drilled', 'evaluated', 'dispatcher'],
      ['revise', 'evaluated', 'evaluated', 'dispatcher'],
      ['supersede', 'evaluated', 'revised', 'dispatcher'],
    ]);
    expect(v1.events[4]?.note).toBe('publish by province-admin');
    const audit = ok<Page<{ action: string; actorName: string }>>(await p.call('GET', `/api/audit?resourceId=${plan.id}&limit=100`, { as: await as('auditadmin') }));
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['plan.created', 'plan.version.updated', 'plan.version.review', 'plan.version.publish', 'plan.version.revise']));
    await p.deps.outbox.drain();
    expect(events.filter((e) => e.aggregateId === plan.id).map((e) => e.topic)).toEqual(expect.arrayContaining(['plan.created', 'plan.version.publish', 'plan.version.revise']));
  });

  it('lists with filters and pagination, within scope', async () => {
    const mine = ok<Page<Plan>>(await p.call('GET', '/api/plans?scenarioType=flood&status=published&q=修订&limit=1', { as: await as('operator-a') }));
    expect(mine.items.map((x) => x.id)).toEqual([plan.id]);
    expect(ok<Page<Plan>>(await p.call('GET', '/api/plans?status=draft&q=修订', { as: await as('operator-a') })).total).toBe(0);
    expect(ok<Page<Plan>>(await p.call('GET', '/api/plans?q=修订', { as: await as('operator-b') })).total).toBe(0);
    expect(ok<Page<Plan>>(await p.call('GET', `/api/plans?regionCode=${countyB}&q=修订`, { as: await as('province-admin') })).total).toBe(0);
    expectProblem(await p.call('GET', '/api/plans?status=bogus', { as: await as('viewer') }), 400);
    expectProblem(await p.call('GET', '/api/plans', { as: await as('social-member') }), 403, 'forbidden');
  });

  it('binds roles by proposal, overridable, answering the unbound roles', async () => {
    const url = `/api/plans/${plan.id}/versions/2/binding`;
    const fresh = ok<PlanBinding>(await p.call('GET', `${url}?regionCode=${countyA}`, { as: await as('operator-a') }));
    expect(fresh.roles.map((r) => r.key)).toEqual(['county-emergency-bureau', 'township-head', 'water-resources-bureau']);
    // version 2 was revised from version 1, which had no binding yet
    expect(fresh.unbound).toEqual(['county-emergency-bureau', 'township-head', 'water-resources-bureau']);
    expect(fresh.complete).toBe(false);
    const { rows: orgs } = await p.deps.db.pool.query<{ id: string; region_code: string; department_type: string }>(
      "SELECT id, region_code, department_type FROM organization WHERE region_code = ANY ($1) AND kind = 'government'", [[countyA, countyB]],
    );
    const orgOf = (region: string, dept: string) => orgs.find((o) => o.region_code === region && o.department_type === dept)?.id as string;
    expect(fresh.roles.find((r) => r.key === 'water-resources-bureau')?.proposedOrganizationId).toBe(orgOf(countyA, 'water-resources'));
    // a township head falls back to the county's government office when the township has no department
    expect(fresh.roles.find((r) => r.key === 'township-head')?.proposedOrganizationId).toBe(orgOf(countyA, 'government-office'));

    const before = await count();
    const bad = expectProblem(await p.call('PUT', url, { as: await as('province-admin'), body: { regionCode: countyA, bindings: [
      { roleKey: 'water-resources-bureau', organizationId: orgOf(countyB, 'water-resources') },
      { roleKey: 'fire-rescue', organizationId: orgOf(countyA, 'fire-rescue') },
    ] } }), 400, 'invalid');
    expect(bad.errors?.map((e) => e.field)).toEqual(['body.bindings[0].organizationId', 'body.bindings[1].roleKey']);
    expectProblem(await p.call('PUT', url, { as: await as('province-admin'), body: { regionCode: countyB, auto: true } }), 400, 'invalid');
    expectProblem(await p.call('PUT', url, { as: await as('operator-a'), body: { regionCode: countyA, auto: true } }), 403, 'forbidden');
    expect(await count()).toBe(before);

    const manual = ok<PlanBinding>(await p.call('PUT', url, { as: await as('dispatcher'), body: { regionCode: countyA, auto: true, bindings: [{ roleKey: 'township-head', organizationId: orgOf(countyA, 'emergency-management') }] } }));
    expect(manual.complete).toBe(true);
    expect(manual.roles.map((r) => [r.key, r.source])).toEqual([['county-emergency-bureau', 'auto'], ['township-head', 'manual'], ['water-resources-bureau', 'auto']]);
    expect(manual.roles.find((r) => r.key === 'township-head')?.organizationId).toBe(orgOf(countyA, 'emergency-management'));
    const unbound = ok<PlanBinding>(await p.call('PUT', url, { as: await as('dispatcher'), body: { regionCode: countyA, bindings: [{ roleKey: 'township-head', organizationId: null }] } }));
    expect(unbound).toMatchObject({ unbound: ['township-head'], complete: false });
  });

  it('records which version an activation used, only of an applying version', async () => {
    const ctx = systemContext('test-activation');
    const id = await withTransaction(p.deps.db, (tx) => recordPlanVersionUse(tx, ctx, p.deps.config, { planId: plan.id, version: 2, regionCode: countyA, level: 'III' }));
    const { rows } = await p.deps.db.pool.query<{ version: number }>('SELECT version FROM plan_activation_use WHERE id = $1', [id]);
    expect(rows).toEqual([{ version: 2 }]);
    await expect(withTransaction(p.deps.db, (tx) => recordPlanVersionUse(tx, ctx, p.deps.config, { planId: plan.id, version: 1, regionCode: countyA }))).rejects.toThrow(/only a published version/);
  });
});

describe('replication to another county (复制推广)', () => {
  let source: PlanDetail;
  let yamlText: string;

  beforeAll(async () => {
    source = await createPlan('province-admin', planBody({ code: 'replicate-me', name: '可复制预案' }));
    await transition('province-admin', source.id, 1, 'review');
    await transition('province-admin', source.id, 1, 'publish');
  });

  it('exports a self-contained package as YAML and JSON', async () => {
    const res = await p.call('GET', `/api/plans/${source.id}/versions/1/export?format=yaml`, { as: await as('operator-a') });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/yaml/);
    yamlText = res.text;
    expect(yamlText).toMatch(/^format: yunzheng\.plan-package\/1/m);
    const json = ok<PlanPackage>(await p.call('GET', `/api/plans/${source.id}/versions/1/export?format=json`, { as: await as('operator-a') }));
    expect(json.source).toEqual({ regionCode: countyA, code: 'replicate-me', version: 1 });
    expect(json.roles.map((r) => r.key)).toEqual(['county-emergency-bureau', 'water-resources-bureau']);
    expect(json.resourceTypes).toEqual([{ code: 'pump-truck', nameZh: '排涝泵车', nameEn: 'Pump truck', unit: '辆' }]);
    expectProblem(await p.call('GET', `/api/plans/${source.id}/versions/1/export?format=xml`, { as: await as('operator-a') }), 400);
  });

  it('imports into the other county as a new draft with a bind report', async () => {
    const headers = { 'content-type': 'application/yaml' };
    const dry = ok<ImportResult>(await p.call('POST', `/api/plans/import?regionCode=${countyB}&dryRun=true`, { as: await as('province-admin'), body: yamlText, headers }));
    expect(dry).toMatchObject({ importable: true, plan: null });
    expect(dry.report).toMatchObject({ regionCode: countyB, unbound: [], unknownRoles: [], unknownResourceTypes: [], unknownIncidentType: null });
    expect(dry.report.bound.map((b) => b.roleKey)).toEqual(['county-emergency-bureau', 'water-resources-bureau']);
    expectProblem(await p.call('POST', `/api/plans/import?regionCode=${countyB}`, { as: await as('operator-b'), body: yamlText, headers }), 403, 'forbidden');

    const done = ok<ImportResult>(await p.call('POST', `/api/plans/import?regionCode=${countyB}`, { as: await as('province-admin'), body: yamlText, headers }), 201);
    expect(done.plan).toMatchObject({ code: 'replicate-me', regionCode: countyB, status: 'draft', latestVersion: 1, importedFrom: { regionCode: countyA, code: 'replicate-me', version: 1 } });
    const id = done.plan?.id as string;
    const v1 = ok<PlanVersion>(await p.call('GET', `/api/plans/${id}/versions/1`, { as: await as('operator-b') }));
    expect(v1.applicableRegions).toEqual([countyB]);
    expect(v1.events[0]).toMatchObject({ action: 'import', toStatus: 'draft' });
    const binding = ok<PlanBinding>(await p.call('GET', `/api/plans/${id}/versions/1/binding?regionCode=${countyB}`, { as: await as('operator-b') }));
    expect(binding.complete).toBe(true);
    expect(binding.roles.every((r) => r.organizationName?.length)).toBe(true);
    // the same code again in the same region: listed as a problem, nothing written
    const before = await count();
    const again = expectProblem(await p.call('POST', `/api/plans/import?regionCode=${countyB}`, { as: await as('province-admin'), body: yamlText, headers }), 400, 'invalid-package');
    expect(again.errors?.map((e) => e.field)).toEqual(['querystring.code']);
    // a JSON body works as well, under another code
    const pkg = ok<PlanPackage>(await p.call('GET', `/api/plans/${source.id}/versions/1/export?format=json`, { as: await as('operator-a') }));
    expect(await count()).toBe(before);
    ok<ImportResult>(await p.call('POST', `/api/plans/import?regionCode=${countyB}&code=replicate-json`, { as: await as('province-admin'), body: pkg }), 201);
  });

  it('refuses bad packages with the list of problems, writing nothing', async () => {
    const pkg = ok<PlanPackage>(await p.call('GET', `/api/plans/${source.id}/versions/1/export?format=json`, { as: await as('operator-a') }));
    const url = `/api/plans/import?regionCode=${countyB}&code=bad-one`;
    const yamlHeaders = { 'content-type': 'application/yaml' };
    const before = await count();
    const unknowns: PlanPackage = {
      ...pkg,
      plan: {
        ...pkg.plan,
        scenarioType: 'volcano',
        levels: [{ ...(pkg.plan.levels[0] as PlanPackage['plan']['levels'][number]), resources: [{ resourceType: 'hovercraft', capability: null, quantity: 1, maxTravelMinutes: 10 }],
          steps: [{ key: 'a', title: 'a', roleKey: 'dragon-tamer', deadlineMinutes: 5, dependsOn: ['b'] }, { key: 'b', title: 'b', roleKey: 'fire-rescue', deadlineMinutes: 5, dependsOn: ['a'] }] }],
      },
    };
    const dry = ok<ImportResult>(await p.call('POST', `${url}&dryRun=true`, { as: await as('province-admin'), body: stringify(unknowns), headers: yamlHeaders }));
    expect(dry).toMatchObject({ importable: false, report: { unknownIncidentType: 'volcano', unknownResourceTypes: ['hovercraft'], unknownRoles: ['dragon-tamer'] } });
    const refused = expectProblem(await p.call('POST', url, { as: await as('province-admin'), body: stringify(unknowns), headers: yamlHeaders }), 400, 'invalid-package');
    const messages = refused.errors?.map((e) => `${e.field}: ${e.message}`).join('\n') ?? '';
    expect(messages).toMatch(/package\.plan\.scenarioType: no incident type volcano/);
    expect(messages).toMatch(/resourceType: no resource type hovercraft/);
    expect(messages).toMatch(/roleKey: no role dragon-tamer/);
    expect(messages).toMatch(/dependency cycle a → b → a/);

    const bodies: [string, string | object, Record<string, string>][] = [
      ['not YAML', 'format: [unclosed', yamlHeaders],
      ['a list', '- 1\n- 2\n', yamlHeaders],
      ['wrong format', { ...pkg, format: 'other/9' }, {}],
      ['unknown field', { ...pkg, extra: true }, {}],
      ['missing plan', { format: pkg.format, source: pkg.source, roles: [], resourceTypes: [] }, {}],
      ['alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`, yamlHeaders],
    ];
    for (const [label, body, headers] of bodies) {
      const res = await p.call('POST', url, { as: await as('province-admin'), body, headers });
      expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBe(400);
      expect(Problem.parse(res.body).code, label).toBe('invalid-package');
    }
    const huge = expectProblem(await p.call('POST', url, { as: await as('province-admin'), body: `x: "${'a'.repeat(600 * 1024)}"`, headers: yamlHeaders }), 413);
    expect(huge.status).toBe(413);
    expectProblem(await p.call('POST', `/api/plans/import?regionCode=12`, { as: await as('province-admin'), body: pkg }), 400);
    expect(await count()).toBe(before);
  });
});

describe('the version that applies (for activation)', () => {
  it('finds the published plan for a type, grade and region, the most specific region first', async () => {
    const { rows } = await p.deps.db.pool.query<{ id: string }>("SELECT id FROM organization WHERE region_code = $1 AND department_type = 'emergency-management'", [province]);
    const n = await seedDemoPlans(p.deps, systemContext('test-seed'), { provinceCode: province, ownerOrganizationId: rows[0]?.id as string, bindRegions: [countyA, countyB] });
    expect(n).toBe(3);
    const demo = ok<Page<Plan>>(await p.call('GET', `/api/plans?regionCode=${province}&status=published&limit=100`, { as: await as('viewer') }));
    expect(demo.items.filter((x) => x.regionCode === province).map((x) => x.code).sort()).toEqual(['flood-response', 'hazardous-chemicals', 'urban-waterlogging']);
    const flood = demo.items.find((x) => x.code === 'flood-response') as Plan;
    const bound = ok<PlanBinding>(await p.call('GET', `/api/plans/${flood.id}/versions/1/binding?regionCode=${countyB}`, { as: await as('operator-b') }));
    expect(bound.complete).toBe(true);

    type Active = { plan: Plan; version: PlanVersion; level: { level: string }; matchedRegionCode: string };
    const inB = ok<Active>(await p.call('GET', `/api/plans/active?typeCode=flood&grade=II&regionCode=${countyB}`, { as: await as('operator-b') }));
    expect(inB).toMatchObject({ plan: { code: 'flood-response' }, level: { level: 'II' }, matchedRegionCode: province });
    // county A has its own published flood plans: they win there; at grade IV only test-flood (version 2,
    // triggered from grade IV) admits it, replicate-me triggers from grade III
    const inA = ok<Active>(await p.call('GET', `/api/plans/active?typeCode=flood&grade=IV&regionCode=${countyA}`, { as: await as('operator-a') }));
    expect(inA).toMatchObject({ plan: { code: 'test-flood' }, version: { version: 2 }, level: { level: 'IV' }, matchedRegionCode: countyA });
    const inA2 = ok<Active>(await p.call('GET', `/api/plans/active?typeCode=flood&grade=II&regionCode=${countyA}`, { as: await as('operator-a') }));
    expect(inA2).toMatchObject({ plan: { code: 'replicate-me' }, level: { level: 'III' }, matchedRegionCode: countyA });
    // a leaf type under a plan's scenario; the waterlogging plan triggers on waterlogged streets from grade III only
    const street = ok<Active>(await p.call('GET', `/api/plans/active?typeCode=rainstorm-waterlogging&grade=IV&regionCode=${countyB}`, { as: await as('operator-b') }));
    expect(street).toMatchObject({ plan: { code: 'urban-waterlogging' }, level: { level: 'IV' } });
    expectProblem(await p.call('GET', `/api/plans/active?typeCode=earthquake&grade=I&regionCode=${countyB}`, { as: await as('operator-b') }), 404);
    expectProblem(await p.call('GET', `/api/plans/active?typeCode=flood&grade=I&regionCode=${countyA}`, { as: await as('operator-b') }), 403);
  });
});
