// SPDX-License-Identifier: Apache-2.0
// Plan activation and dispatch orders: the preview, activation (plan version recorded, steps as tasks for the
// bound organizations, requests matched by travel time with borrowing across counties, orders sent, the
// incident responding), the order lifecycle and stock consumption, tasks carried out in dependency order,
// stand-down, drills kept apart, permissions and bad input with nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationDetail, ActivationPreview, DispatchOrder } from '../../contracts/dispatch-activations.ts';
import type { Incident, IncidentDetail, IntakeRule, ReportOutcome } from '../../contracts/dispatch-incidents.ts';
import type { Resource } from '../../contracts/dispatch-resources.ts';
import type { Organization } from '../../contracts/identity.ts';
import type { Region } from '../../contracts/regions.ts';
import type { TaskDetail } from '../../contracts/tasks.ts';
import { seedDemoPlans, seedDemoResources } from '../../server/modules/dispatch/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import { expectProblem, ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let province: string;
let countyA: string;
let centreA: [number, number];

const as = (who: string) => p.login(who);
const post = async (who: string, url: string, body: unknown) => p.call('POST', url, { as: await as(who), body });
const get = async (who: string, url: string) => p.call('GET', url, { as: await as(who) });

async function report(body: Record<string, unknown>): Promise<Incident> {
  return ok<ReportOutcome>(await post('dispatcher', '/api/incidents', { typeCode: 'flood', grade: 'III', lon: centreA[0], lat: centreA[1], ...body }), 201).incident;
}
const count = async (sql: string, values: unknown[] = []) => (await p.deps.db.pool.query<{ n: number }>(sql, values)).rows[0]?.n ?? -1;

beforeAll(async () => {
  p = await createTestPlatform();
  countyA = p.account('operator-a').scope as string;
  province = `${countyA.slice(0, 2)}0000000000`;
  const sys = await as('sysadmin');
  centreA = ok<Region>(await p.call('GET', `/api/regions/${countyA}`, { as: sys })).centroid as [number, number];
  const orgs = ok<Page<Organization>>(await p.call('GET', `/api/organizations?regionCode=${province}&limit=1000`, { as: sys })).items;
  const owner = orgs.find((o) => o.regionCode === province && o.departmentType === 'emergency-management') as Organization;
  await seedDemoResources(p.deps, systemContext('test'), { seed: 11, provinceCode: province });
  await seedDemoPlans(p.deps, systemContext('test'), { provinceCode: province, ownerOrganizationId: owner.id, bindRegions: [countyA] });
  // the county keeps only one pump truck available: the rest of the request is borrowed from around it
  const trucks = ok<Page<Resource>>(await get('sysadmin', `/api/resources?type=pump-truck&regionCode=${countyA}&status=available&limit=1000`)).items;
  for (const t of trucks.slice(1)) ok(await post('sysadmin', `/api/resources/${t.id}/status`, { status: 'unavailable', note: 'maintenance' }));
});
afterAll(async () => {
  await p?.stop();
});

describe('the closed loop: a flood incident activates the flood plan at level III', () => {
  let incident: Incident;
  let activation: ActivationDetail;

  it('previews the plan, the level, who takes each step and the resources proposed', async () => {
    incident = await report({ title: '甲县河段洪水漫堤' });
    const preview = ok<ActivationPreview>(await get('dispatcher', `/api/incidents/${incident.id}/activation-preview`));
    expect(preview).toMatchObject({ plan: { code: 'flood-response' }, version: 1, level: 'III', requestedLevel: 'III', bindingRegionCode: countyA, exercise: false, unboundRoles: [] });
    expect(preview.steps.map((s) => s.key)).toEqual(['monitor', 'consult', 'patrol', 'rescue-standby', 'shelters']);
    expect(preview.steps.every((s) => s.organizationId && s.assignedBy === 'binding')).toBe(true);
    const trucks = preview.requests.find((r) => r.resourceType === 'pump-truck');
    expect(trucks?.quantity).toBe(3);
    expect(trucks?.proposal.proposals.some((x) => x.borrowed)).toBe(true);
    // ranked by travel time within the county, then what is borrowed
    const local = trucks?.proposal.proposals.filter((x) => !x.borrowed) ?? [];
    expect(local).toHaveLength(1);
    expect(preview.notifications[0]?.headlineZh).toBe('洪水黄色预警');
    // nothing was written by the preview
    expect(await count('SELECT count(*)::int AS n FROM activation')).toBe(0);
  });

  it('activates: the version is recorded, steps become tasks, resources are reserved and orders sent across counties', async () => {
    activation = ok<ActivationDetail>(await post('dispatcher', `/api/incidents/${incident.id}/activations`, { level: 'III', issueWarnings: true, note: '上游水位超警' }), 201);
    expect(activation).toMatchObject({ incidentId: incident.id, plan: { code: 'flood-response' }, version: 1, level: 'III', status: 'active', exercise: false });
    expect(activation.tasks).toHaveLength(5);
    const byKey = new Map(activation.tasks.map((t) => [t.source.key, t]));
    expect(byKey.get('consult')?.dependsOn).toEqual([byKey.get('monitor')?.id]);
    expect(byKey.get('consult')?.waitingOn).toEqual([byKey.get('monitor')?.id]);
    expect(activation.tasks.every((t) => t.status === 'assigned' && t.incidentId === incident.id && t.source.ref === activation.id && t.deadline)).toBe(true);
    // each request reserved (in full where the pool allows) with one order per resource
    const trucks = activation.requests.find((r) => r.resourceType === 'pump-truck');
    expect(trucks).toMatchObject({ quantity: 3, reserved: 3, shortfall: 0 });
    expect(trucks?.borrowed).toBeGreaterThanOrEqual(2);
    const reservedUnits = activation.orders.reduce((n, o) => n + o.quantity, 0);
    expect(reservedUnits).toBe(activation.requests.reduce((n, r) => n + r.reserved, 0));
    expect(activation.orders.every((o) => o.status === 'sent')).toBe(true);
    const counties = new Set(activation.orders.map((o) => o.regionCode.slice(0, 6)));
    expect(counties.size).toBeGreaterThanOrEqual(2);
    expect(activation.orders.some((o) => o.borrowed)).toBe(true);
    // the resources are dispatched, the incident responding with the activation in its timeline
    const truckOrder = activation.orders.find((o) => o.resourceType === 'pump-truck') as DispatchOrder;
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${truckOrder.resourceId}`)).status).toBe('dispatched');
    const detail = ok<IncidentDetail>(await get('dispatcher', `/api/incidents/${incident.id}`));
    expect(detail.status).toBe('responding');
    expect(detail.timeline.map((e) => e.action)).toContain('activated');
    expect(await count('SELECT count(*)::int AS n FROM plan_activation_use WHERE incident_id = $1 AND version = 1', [incident.id])).toBe(1);
    // the level's public warning went out as CAP
    expect(activation.warnings).toHaveLength(1);
    expect(activation.warningErrors).toEqual([]);
    const audit = await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'plan.activated' AND resource_id = $1`, [incident.id]);
    expect(audit).toBe(1);
  });

  it('never activates twice for the same incident', async () => {
    expectProblem(await post('dispatcher', `/api/incidents/${incident.id}/activations`, {}), 409, 'already-activated');
    expect(await count('SELECT count(*)::int AS n FROM activation WHERE incident_id = $1', [incident.id])).toBe(1);
  });

  it('moves an order sent → acknowledged → en route → on scene → released, refusing steps out of turn', async () => {
    const order = activation.orders.find((o) => o.resourceType === 'pump-truck') as DispatchOrder;
    expect(order.actions).toEqual(['acknowledge', 'depart', 'release']);
    expectProblem(await post('dispatcher', `/api/dispatch-orders/${order.id}/actions`, { action: 'arrive' }), 409, 'invalid-transition');
    for (const [action, status] of [['acknowledge', 'acknowledged'], ['depart', 'en_route'], ['arrive', 'on_scene']] as const) {
      expect(ok<DispatchOrder>(await post('dispatcher', `/api/dispatch-orders/${order.id}/actions`, { action })).status).toBe(status);
    }
    expectProblem(await post('dispatcher', `/api/dispatch-orders/${order.id}/actions`, { action: 'release', consumed: 1 }), 400);
    const released = ok<DispatchOrder>(await post('dispatcher', `/api/dispatch-orders/${order.id}/actions`, { action: 'release', note: '排涝完成' }));
    expect(released).toMatchObject({ status: 'released', note: '排涝完成' });
    expect(released.acknowledgedAt && released.enRouteAt && released.onSceneAt && released.releasedAt).toBeTruthy();
    expect(ok<Resource>(await get('dispatcher', `/api/resources/${order.resourceId}`)).status).toBe('available');
    expectProblem(await post('dispatcher', `/api/dispatch-orders/${order.id}/actions`, { action: 'release' }), 409, 'invalid-transition');
  });

  it('releasing a stock order returns what was not consumed; the consumed part leaves the total', async () => {
    const order = activation.orders.find((o) => o.resourceType === 'sandbags') as DispatchOrder;
    const before = ok<Resource>(await get('dispatcher', `/api/resources/${order.resourceId}`));
    const used = Math.min(order.quantity, 100);
    ok(await post('dispatcher', `/api/dispatch-orders/${order.id}/actions`, { action: 'release', consumed: used }));
    const after = ok<Resource>(await get('dispatcher', `/api/resources/${order.resourceId}`));
    expect(after.quantityTotal).toBe((before.quantityTotal as number) - used);
    expect(after.quantityAvailable).toBe((before.quantityAvailable as number) + order.quantity - used);
  });

  it('tasks are carried out in dependency order by the organizations that took them', async () => {
    const byKey = new Map(activation.tasks.map((t) => [t.source.key, t]));
    const consult = byKey.get('consult') as TaskDetail;
    const monitor = byKey.get('monitor') as TaskDetail;
    // the county emergency bureau (operator-a's organization) takes the consultation
    expect(consult.organizationId).toBe(ok<{ organizationId: string }>(await get('operator-a', '/api/auth/me')).organizationId);
    ok(await post('operator-a', `/api/tasks/${consult.id}/actions`, { action: 'accept' }));
    expectProblem(await post('operator-a', `/api/tasks/${consult.id}/actions`, { action: 'start' }), 409, 'waiting-on-dependencies');
    // operator-a is not of the water resources bureau: they may not act on its task
    expectProblem(await post('operator-a', `/api/tasks/${monitor.id}/actions`, { action: 'accept' }), 403);
    // the commanding dispatcher manages every task of the activation
    for (const action of ['accept', 'start', 'submit', 'approve'] as const) ok(await post('dispatcher', `/api/tasks/${monitor.id}/actions`, { action }));
    ok(await post('operator-a', `/api/tasks/${consult.id}/actions`, { action: 'start' }));
    const submitted = ok<TaskDetail>(await post('operator-a', `/api/tasks/${consult.id}/actions`, { action: 'submit', evidence: [{ content: '会商纪要：启动Ⅲ级响应' }] }));
    expect(submitted.status).toBe('submitted');
    expect(submitted.evidence.map((e) => e.content)).toEqual(['会商纪要：启动Ⅲ级响应']);
    const done = ok<TaskDetail>(await post('dispatcher', `/api/tasks/${consult.id}/actions`, { action: 'approve' }));
    expect(done.status).toBe('done');
    expect(done.history.map((h) => h.action)).toEqual(['created', 'accept', 'start', 'submit', 'approve']);
  });

  it('stands down: orders still out are released, open tasks cancelled; then the incident is resolved and evaluated', async () => {
    const down = ok<ActivationDetail>(await post('dispatcher', `/api/activations/${activation.id}/stand-down`, { note: '水位回落，终止响应' }));
    expect(down.status).toBe('stood-down');
    expect(down.orders.every((o) => o.status === 'released')).toBe(true);
    expect(down.tasks.filter((t) => t.status !== 'done').every((t) => t.status === 'cancelled')).toBe(true);
    for (const o of down.orders.filter((x) => x.resourceType === 'pump-truck')) {
      expect(ok<Resource>(await get('dispatcher', `/api/resources/${o.resourceId}`)).status).toBe('available');
    }
    expectProblem(await post('dispatcher', `/api/activations/${activation.id}/stand-down`, { note: 'again' }), 409, 'already-stood-down');
    ok(await post('dispatcher', `/api/incidents/${incident.id}/actions`, { action: 'resolve', note: '险情排除' }));
    const evaluated = ok<IncidentDetail>(await post('dispatcher', `/api/incidents/${incident.id}/actions`, { action: 'evaluate', rating: 4 }));
    expect(evaluated.status).toBe('evaluated');
    expect(evaluated.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['activated', 'order-release', 'stood-down', 'resolve', 'evaluate']));
  });

  it('lists activations and orders in scope, with filters', async () => {
    const list = ok<Page<ActivationDetail>>(await get('dispatcher', `/api/activations?incidentId=${incident.id}`));
    expect(list.items.map((a) => a.id)).toEqual([activation.id]);
    expect(list.items[0]?.summary.openOrders).toBe(0);
    const orders = ok<Page<DispatchOrder>>(await get('dispatcher', `/api/dispatch-orders?activationId=${activation.id}&limit=500`));
    expect(orders.total).toBe(activation.orders.length);
    expect(ok<Page<DispatchOrder>>(await get('dispatcher', `/api/dispatch-orders?activationId=${activation.id}&status=open`)).total).toBe(0);
    // a social organization's member sees only the orders of its own organization's resources
    const social = ok<{ organizationId: string }>(await get('social-member', '/api/auth/me')).organizationId;
    const theirs = ok<Page<DispatchOrder>>(await get('social-member', `/api/dispatch-orders?activationId=${activation.id}&limit=500`)).items;
    const owners = await p.deps.db.pool.query<{ id: string }>('SELECT o.id FROM dispatch_order o JOIN resource r ON r.id = o.resource_id WHERE o.activation_id = $1 AND r.owner_organization_id = $2', [activation.id, social]);
    expect(theirs.map((o) => o.id).sort()).toEqual(owners.rows.map((r) => r.id).sort());
    // operator-b's county lends nothing here and lies outside the incident's county
    const b = ok<Page<DispatchOrder>>(await get('operator-b', `/api/dispatch-orders?activationId=${activation.id}&limit=500`)).items;
    const scopeB = p.account('operator-b').scope as string;
    expect(b.every((o) => o.regionCode.startsWith(scopeB.slice(0, 6)))).toBe(true);
  });
});

describe('automatic intake: a water-level reading over its warning level raises a flood incident', () => {
  const NGSI = '/ngsi-ld/v1/entities';
  const sensorId = 'urn:ngsi-ld:WaterLevelSensor:intake-test-1';
  let ruleId: string;

  it('a dispatcher sets a rule; readings below the station\'s warning level report nothing', async () => {
    const rule = ok<IntakeRule>(await post('dispatcher', '/api/intake-rules', {
      name: '水位超警戒', regionCode: countyA, entityType: 'WaterLevelSensor', attribute: 'waterLevel', comparison: 'gte', thresholdAttribute: 'warningLevel', incidentType: 'flood', grade: 'III',
    }), 201);
    ruleId = rule.id;
    expect(rule).toMatchObject({ active: true, fired: 0, grade: 'III', threshold: null, thresholdAttribute: 'warningLevel' });
    expectProblem(await post('dispatcher', '/api/intake-rules', { name: 'x', regionCode: countyA, entityType: 'T', attribute: 'a', incidentType: 'flood' }), 400);
    expectProblem(await post('dispatcher', '/api/intake-rules', { name: 'x', regionCode: countyA, entityType: 'T', attribute: 'a', threshold: 1, incidentType: 'natural-disaster' }), 400);
    expectProblem(await post('operator-a', '/api/intake-rules', { name: 'x', regionCode: countyA, entityType: 'T', attribute: 'a', threshold: 1, incidentType: 'flood' }), 403);
    const location = { type: 'GeoProperty', value: { type: 'Point', coordinates: [centreA[0] + 0.05, centreA[1] + 0.05] } };
    ok(await post('operator-a', NGSI, { id: sensorId, type: 'WaterLevelSensor', name: { type: 'Property', value: '测试水位站' }, warningLevel: { type: 'Property', value: 30 }, waterLevel: { type: 'Property', value: 29.1 }, location }), 201);
    await p.deps.outbox.drain();
    expect(await count(`SELECT count(*)::int AS n FROM incident WHERE source = 'twin'`)).toBe(0);
  });

  it('the reading over the warning level reports a flood incident of grade III; the next one does not report again', async () => {
    const patch = async (v: number) => p.call('PATCH', `${NGSI}/${sensorId}/attrs`, { as: await as('operator-a'), body: { waterLevel: { type: 'Property', value: v } } });
    expect((await patch(31.2)).status).toBe(204);
    await p.deps.outbox.drain();
    const found = ok<Page<Incident>>(await get('dispatcher', '/api/incidents?source=twin'));
    expect(found.total).toBe(1);
    const incident = found.items[0] as Incident;
    expect(incident).toMatchObject({ typeCode: 'flood', grade: 'III', source: 'twin', status: 'reported' });
    expect(incident.title).toContain('测试水位站');
    expect((await patch(31.8)).status).toBe(204);
    await p.deps.outbox.drain();
    expect(ok<Page<Incident>>(await get('dispatcher', '/api/incidents?source=twin')).total).toBe(1);
    const rule = ok<Page<IntakeRule>>(await get('dispatcher', '/api/intake-rules')).items.find((r) => r.id === ruleId);
    expect(rule?.fired).toBe(1);
    // the flood plan activates for it at level III, tasks and orders follow
    const a = ok<ActivationDetail>(await post('dispatcher', `/api/incidents/${incident.id}/activations`, { level: 'III' }), 201);
    expect(a.level).toBe('III');
    expect(a.tasks).toHaveLength(5);
    expect(a.orders.length).toBeGreaterThan(0);
    ok(await post('dispatcher', `/api/activations/${a.id}/stand-down`, { note: '测试结束' }));
    // switched off, a rule watches nothing
    expect(ok<IntakeRule>(await p.call('PATCH', `/api/intake-rules/${ruleId}`, { as: await as('dispatcher'), body: { active: false } })).active).toBe(false);
  });
});

describe('replication: a plan copied to a county of another city activates there', () => {
  it('exports the province flood plan, imports it into county B with a bind report, publishes it and activates it', async () => {
    const countyB = p.account('operator-b').scope as string;
    expect(countyB.slice(0, 4)).not.toBe(countyA.slice(0, 4));
    const flood = ok<Page<{ id: string; code: string }>>(await get('province-admin', '/api/plans?limit=100')).items.find((x) => x.code === 'flood-response') as { id: string };
    const pkg = await p.call('GET', `/api/plans/${flood.id}/versions/1/export?format=json`, { as: await as('province-admin') });
    expect(pkg.status).toBe(200);
    const imported = ok<{ plan: { id: string; code: string }; report: { unbound: string[] } }>(
      await p.call('POST', `/api/plans/import?regionCode=${countyB}&code=flood-county-b`, { as: await as('province-admin'), body: JSON.parse(pkg.text) }), 201);
    expect(imported.report.unbound).toEqual([]);
    for (const action of ['review', 'publish']) ok(await post('province-admin', `/api/plans/${imported.plan.id}/versions/1/transitions`, { action }));
    const centreB = ok<Region>(await get('sysadmin', `/api/regions/${countyB}`)).centroid as [number, number];
    const incident = ok<ReportOutcome>(await post('province-admin', '/api/incidents', { typeCode: 'flood', grade: 'III', lon: centreB[0], lat: centreB[1], title: '乙县洪水' }), 201).incident;
    // the county's own copy applies before the province's plan
    const preview = ok<ActivationPreview>(await get('province-admin', `/api/incidents/${incident.id}/activation-preview`));
    expect(preview.plan.code).toBe('flood-county-b');
    expect(preview.unboundRoles).toEqual([]);
    const a = ok<ActivationDetail>(await post('province-admin', `/api/incidents/${incident.id}/activations`, { level: 'III' }), 201);
    expect(a.plan).toMatchObject({ id: imported.plan.id, code: 'flood-county-b' });
    expect(a.tasks).toHaveLength(5);
    expect(a.tasks.every((t) => t.organizationName)).toBe(true);
    ok(await post('province-admin', `/api/activations/${a.id}/stand-down`, { note: '复制推广验证结束' }));
  });
});

describe('drills', () => {
  it('an exercise runs the same flow with its activation, orders, tasks and warnings marked', async () => {
    const drill = await report({ title: '防汛演练', exercise: true, lon: centreA[0] + 0.01 });
    const a = ok<ActivationDetail>(await post('dispatcher', `/api/incidents/${drill.id}/activations`, { issueWarnings: true }), 201);
    expect(a.exercise).toBe(true);
    expect(a.orders.length).toBeGreaterThan(0);
    expect(a.orders.every((o) => o.exercise)).toBe(true);
    expect(a.tasks.every((t) => t.exercise)).toBe(true);
    const w = await p.deps.db.pool.query<{ exercise: boolean }>('SELECT exercise FROM warning WHERE incident_id = $1', [drill.id]);
    expect(w.rows.map((r) => r.exercise)).toEqual([true]);
    expect(ok<Page<ActivationDetail>>(await get('dispatcher', '/api/activations?exercise=false')).items.every((x) => !x.exercise)).toBe(true);
    expect(ok<Page<ActivationDetail>>(await get('dispatcher', '/api/activations?exercise=true')).items.map((x) => x.id)).toContain(a.id);
    ok(await post('dispatcher', `/api/activations/${a.id}/stand-down`, { note: '演练结束' }));
  });
});

describe('the dispatcher’s choices', () => {
  it('leaves out a resource the dispatcher unticked; orders carry where each resource is', async () => {
    const incident = await report({ title: '甲县低洼地带积水', grade: 'IV' });
    const preview = ok<ActivationPreview>(await get('dispatcher', `/api/incidents/${incident.id}/activation-preview`));
    const position = preview.requests.findIndex((r) => r.proposal.proposals.length > 0);
    const request = preview.requests[position];
    const nearest = request?.proposal.proposals[0]?.resource.id as string;
    const a = ok<ActivationDetail>(await post('dispatcher', `/api/incidents/${incident.id}/activations`, { requests: [{ position, resourceIds: [], excludeIds: [nearest] }] }), 201);
    expect(a.orders.map((o) => o.resourceId)).not.toContain(nearest);
    for (const o of a.orders) {
      const r = ok<Resource>(await get('dispatcher', `/api/resources/${o.resourceId}`));
      expect(o.position).toEqual(r.location);
    }
    ok(await post('dispatcher', `/api/activations/${a.id}/stand-down`, { note: '积水已退' }));
  });

  it('lists incidents most urgent first', async () => {
    const list = ok<Page<Incident>>(await get('dispatcher', '/api/incidents?sort=urgency&limit=100'));
    const grades = list.items.map((i) => ['I', 'II', 'III', 'IV'].indexOf(i.grade));
    expect(grades).toEqual([...grades].sort((x, y) => x - y));
    expectProblem(await get('dispatcher', '/api/incidents?sort=loudest'), 400);
  });
});

describe('permissions and bad input', () => {
  it('answers 403 to those who may not activate, 404 for what does not exist, 400 for bad bodies — and writes nothing', async () => {
    const incident = await report({ title: '权限测试', lon: centreA[0] + 0.02 });
    const before = await count('SELECT count(*)::int AS n FROM activation');
    const tasksBefore = await count('SELECT count(*)::int AS n FROM task');
    expectProblem(await post('viewer', `/api/incidents/${incident.id}/activations`, {}), 403);
    expectProblem(await post('operator-a', `/api/incidents/${incident.id}/activations`, {}), 403);
    expectProblem(await get('operator-b', `/api/incidents/${incident.id}/activation-preview`), 403);
    expectProblem(await post('dispatcher', '/api/incidents/00000000-0000-4000-8000-000000000000/activations', {}), 404);
    expectProblem(await post('dispatcher', `/api/incidents/${incident.id}/activations`, { level: 'V' }), 400);
    expectProblem(await post('dispatcher', `/api/incidents/${incident.id}/activations`, { surprise: true }), 400);
    expectProblem(await post('dispatcher', `/api/incidents/${incident.id}/activations`, { requests: [{ position: 42, resourceIds: [] }] }), 400);
    expectProblem(await post('dispatcher', `/api/incidents/${incident.id}/activations`, { planId: '00000000-0000-4000-8000-000000000000' }), 409, 'no-applicable-plan');
    const traffic = ok<ReportOutcome>(await post('dispatcher', '/api/incidents', { typeCode: 'traffic-accident', grade: 'IV', lon: centreA[0], lat: centreA[1] }), 201).incident;
    expectProblem(await post('dispatcher', `/api/incidents/${traffic.id}/activations`, {}), 409, 'no-applicable-plan');
    ok(await post('dispatcher', `/api/incidents/${incident.id}/actions`, { action: 'reject', note: '误报' }));
    expectProblem(await post('dispatcher', `/api/incidents/${incident.id}/activations`, {}), 409, 'incident-not-open');
    expect(await count('SELECT count(*)::int AS n FROM activation')).toBe(before);
    expect(await count('SELECT count(*)::int AS n FROM task')).toBe(tasksBefore);
    expectProblem(await post('dispatcher', '/api/dispatch-orders/00000000-0000-4000-8000-000000000000/actions', { action: 'acknowledge' }), 404);
    expectProblem(await post('dispatcher', '/api/dispatch-orders/not-an-id/actions', { action: 'acknowledge' }), 400);
    expectProblem(await get('dispatcher', '/api/activations/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await get('dispatcher', '/api/dispatch-orders?status=flying'), 400);
  });
});

