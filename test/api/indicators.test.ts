// SPDX-License-Identifier: Apache-2.0
// Indicators (指标): a ratio over incidents computed for every region and rolled up from its components,
// a reported indicator with missing reports, late data, targets and gaps, threshold crossing → alert →
// analysis plan tasks and an incident, alerts closing, the cockpit, permissions and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodAt, previousPeriod } from '../../contracts/indicator-periods.ts';
import type { Cockpit, ComputeResult, Indicator, IndicatorAlert, IndicatorSummary, IndicatorValue } from '../../contracts/indicators.ts';
import type { Organization } from '../../contracts/identity.ts';
import type { Task } from '../../contracts/tasks.ts';
import type { Incident } from '../../contracts/dispatch-incidents.ts';
import { runIndicatorSchedule } from '../../server/modules/indicators/index.ts';
import { expectProblem, ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let countyB: string;
let city: string;
let province: string;
let villagesA: string[];
let villagesB: string[];
let emergencyProvince: string;
const month = periodAt('month', new Date());
const lastMonth = previousPeriod('month', month);

const as = (who: string) => p.login(who);
const call = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => p.call(method, url, { as: await as(who), ...(body === undefined ? {} : { body }) });
const get = (who: string, url: string) => call(who, 'GET', url);
const count = async (table: string) => (await p.deps.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;
const valueOf = async (code: string, region: string, period = month) =>
  ok<Page<IndicatorValue>>(await get('sysadmin', `/api/indicators/${code}/values?region=${region}&period=${period}`)).items[0];

async function report(typeCode: string, regionCode: string, resolve: boolean): Promise<string> {
  const r = ok<{ incident: Incident }>(await call('province-admin', 'POST', '/api/incidents', { typeCode, grade: 'IV', regionCode, title: `${typeCode} ${regionCode}` }), 201);
  if (resolve) {
    for (const action of ['verify', 'respond', 'resolve']) ok(await call('province-admin', 'POST', `/api/incidents/${r.incident.id}/actions`, { action, note: 'done' }));
  }
  return r.incident.id;
}

const resolvedShare = (ownerOrganizationId: string) => ({
  code: 'incident.resolved-share',
  name: '事件办结率',
  unit: '%',
  ownerOrganizationId,
  numerator: { kind: 'incidents', type: 'urban-management', measure: 'resolved' },
  denominator: { kind: 'incidents', type: 'urban-management' },
  factor: 100,
  period: 'month',
  direction: 'higher_better',
  warn: 90,
  alarm: 80,
  alertLevels: ['county'],
  key: true,
  analysisPlan: {
    on: 'alarm',
    checks: ['未办结事件的原因', '处置力量是否不足'],
    tasks: [{ title: '分析事件办结率偏低原因', departmentType: 'emergency-management', deadlineHours: 48 }],
    incident: { type: 'garbage', grade: 'IV' },
  },
});

beforeAll(async () => {
  p = await createTestPlatform();
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  city = p.account('dispatcher').scope as string;
  province = p.account('province-admin').scope as string;
  expect(countyA.slice(0, 4)).toBe(city.slice(0, 4));
  expect(countyB.slice(0, 4)).not.toBe(city.slice(0, 4));
  const villages = async (county: string) =>
    (await p.deps.db.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'village' AND valid_to IS NULL AND code LIKE $1 ORDER BY code`, [`${county.slice(0, 6)}%`])).rows.map((r) => r.code);
  villagesA = await villages(countyA);
  villagesB = await villages(countyB);
  const orgs = ok<Page<Organization>>(await get('sysadmin', `/api/organizations?regionCode=${province}&limit=1000`)).items;
  emergencyProvince = (orgs.find((o) => o.regionCode === province && o.departmentType === 'emergency-management') as Organization).id;
});
afterAll(async () => {
  await p?.stop();
});

describe('a ratio indicator over incidents', () => {
  it('is defined, computed for every region and rolled up from its components', async () => {
    const ind = ok<Indicator>(await call('province-admin', 'POST', '/api/indicators', resolvedShare(emergencyProvince)), 201);
    expect(ind).toMatchObject({ code: 'incident.resolved-share', version: 1, status: 'active', lastComputedAt: null, aggregation: 'recompute' });
    // county A: 4 reported, 3 resolved (75 %); county B: 1 reported and resolved (100 %)
    for (const [i, resolve] of [true, true, true, false].entries()) await report('garbage', villagesA[i % villagesA.length] as string, resolve);
    await report('garbage', villagesB[0] as string, true);
    // a drill is not counted
    ok(await call('dispatcher', 'POST', '/api/incidents', { typeCode: 'garbage', regionCode: villagesA[0], exercise: true }), 201);

    const r = ok<ComputeResult>(await call('province-admin', 'POST', '/api/indicators/incident.resolved-share/compute', {}));
    expect(r.periods).toEqual([lastMonth, month]);
    expect(r.values).toBeGreaterThan(0);
    expect(await valueOf(ind.code, countyA)).toMatchObject({ numerator: 3, denominator: 4, value: 75, status: 'alarm', level: 'county' });
    expect(await valueOf(ind.code, countyB)).toMatchObject({ numerator: 1, denominator: 1, value: 100, status: 'normal' });
    // the province (counties A and B are in two cities): 4 / 5 = 80 %, recomputed — not the mean of 75 and 100
    expect(await valueOf(ind.code, province)).toMatchObject({ numerator: 4, denominator: 5, value: 80, status: 'warn', level: 'province' });
    expect(await valueOf(ind.code, city)).toMatchObject({ numerator: 3, denominator: 4, value: 75, level: 'city' });
    // a county with no incidents has no value
    const empty = ok<Page<IndicatorValue>>(await get('sysadmin', `/api/indicators/${ind.code}/values?level=county&period=${month}&status=none&limit=1`));
    expect(empty.items[0]).toMatchObject({ value: null, denominator: 0, status: 'none' });
  });

  it('raises an alert past the alarm threshold that opens the analysis plan: routed tasks and an incident', async () => {
    const alerts = ok<Page<IndicatorAlert>>(await get('sysadmin', `/api/indicator-alerts?indicator=incident.resolved-share&open=true`));
    // only county-level regions raise alerts for this indicator: county A (alarm); its city's alarm does not
    expect(alerts.items.map((a) => [a.regionCode, a.level])).toEqual([[countyA, 'alarm']]);
    const alert = alerts.items[0] as IndicatorAlert;
    expect(alert).toMatchObject({ value: 75, threshold: 80, status: 'open', planOpened: true, period: month });
    expect(alert.taskIds).toHaveLength(1);
    expect(alert.incidentId).toBeTruthy();
    const task = ok<Task>(await get('sysadmin', `/api/tasks/${alert.taskIds[0]}`));
    expect(task).toMatchObject({ title: '分析事件办结率偏低原因', regionCode: countyA, source: { kind: 'indicator_alert', ref: alert.id }, priority: 'high' });
    expect(task.organizationName).toContain('应急管理局');
    expect(task.description).toContain('未办结事件的原因');
    const incident = ok<Incident>(await get('sysadmin', `/api/incidents/${alert.incidentId}`));
    expect(incident).toMatchObject({ source: 'indicator', typeCode: 'garbage', regionCode: countyA });
    // computing again does not raise it twice nor open the plan again
    ok(await call('province-admin', 'POST', '/api/indicators/incident.resolved-share/compute', {}));
    const again = ok<Page<IndicatorAlert>>(await get('sysadmin', `/api/indicator-alerts?indicator=incident.resolved-share`));
    expect(again.total).toBe(1);
    expect((again.items[0] as IndicatorAlert).taskIds).toEqual(alert.taskIds);
  });

  it('closes the alert when the value is back within its thresholds', async () => {
    // the incident the alert reported counts too (urban management): county A is now 3 of 5; resolve the open ones
    const open = ok<Page<Incident>>(await get('sysadmin', `/api/incidents?region=${countyA}&status=reported&limit=100`)).items.filter((i) => !i.exercise);
    for (const i of open) for (const action of ['verify', 'respond', 'resolve']) ok(await call('province-admin', 'POST', `/api/incidents/${i.id}/actions`, { action, note: '已处置' }));
    ok(await call('province-admin', 'POST', '/api/indicators/incident.resolved-share/compute', {}));
    expect((await valueOf('incident.resolved-share', countyA))?.value).toBe(100);
    const closed = ok<Page<IndicatorAlert>>(await get('sysadmin', `/api/indicator-alerts?indicator=incident.resolved-share`)).items[0] as IndicatorAlert;
    expect(closed).toMatchObject({ status: 'closed', closedReason: 'back within thresholds' });
    expect(closed.notes.map((n) => n.action)).toEqual(['plan-opened', 'incident-reported', 'closed']);
  });

  it('sets targets and measures the gap; the cockpit shows it with the lagging regions', async () => {
    ok(await call('province-admin', 'PUT', '/api/indicators/incident.resolved-share/targets', { items: [{ regionCode: countyB, period: month, target: 99 }, { regionCode: city, period: month, target: 95 }] }));
    expect(await valueOf('incident.resolved-share', countyB)).toMatchObject({ target: 99, gap: 1, onTarget: true });
    const c = ok<Cockpit>(await get('dispatcher', '/api/cockpit'));
    expect(c.region.code).toBe(city);
    const key = c.indicators.find((i) => i.code === 'incident.resolved-share');
    expect(key?.current).toMatchObject({ regionCode: city, target: 95 });
    expect(key?.trend.at(-1)).toMatchObject({ period: month });
    expect(key?.trend).toHaveLength(12);
    expect(key?.lagging.map((l) => l.level)).toEqual(expect.arrayContaining(['county']));
    expect(c.children.length).toBeGreaterThan(1);
    expect(c.incidents.byStatus.resolved).toBeGreaterThan(0);
    // drilling down to county A; a county operator's cockpit is their county and cannot look at the city
    const down = ok<Cockpit>(await get('dispatcher', `/api/cockpit?region=${countyA}`));
    expect(down.path.map((x) => x.code)).toEqual([city]);
    expect(ok<Cockpit>(await get('operator-a', '/api/cockpit')).region.code).toBe(countyA);
    expectProblem(await get('operator-a', `/api/cockpit?region=${city}`), 403);
  });
});

describe('a reported indicator', () => {
  const coverage = (owner: string) => ({
    code: 'health.checkup-coverage', name: '老年人健康体检覆盖率', unit: '%', ownerOrganizationId: owner,
    numerator: { kind: 'reported', level: 'village' }, denominator: { kind: 'reported', level: 'village' }, factor: 100, warn: 60, alertLevels: ['county'],
  });

  it('pairs the reports of each village, counts the villages missing, and takes late reports on the next run', async () => {
    ok(await call('province-admin', 'POST', '/api/indicators', coverage(emergencyProvince)), 201);
    const [v1, v2, v3] = villagesA as [string, string, string];
    // village 3 reports only its denominator: it is missing, and its 1,000 people do not dilute the ratio
    ok(await call('operator-a', 'POST', '/api/indicators/health.checkup-coverage/reports', {
      items: [
        { regionCode: v1, period: lastMonth, value: 90 }, { regionCode: v1, period: lastMonth, component: 'denominator', value: 100 },
        { regionCode: v2, period: lastMonth, value: 30 }, { regionCode: v2, period: lastMonth, component: 'denominator', value: 100 },
        { regionCode: v3, period: lastMonth, component: 'denominator', value: 1000 },
      ],
    }));
    const first = await runIndicatorSchedule(p.deps);
    expect(first.find((r) => r.indicator === 'health.checkup-coverage')?.periods).toEqual([lastMonth, month]);
    expect(await valueOf('health.checkup-coverage', countyA, lastMonth)).toMatchObject({ numerator: 120, denominator: 200, value: 60, missing: villagesA.length - 2 });
    expect(await valueOf('health.checkup-coverage', v3, lastMonth)).toMatchObject({ value: null, missing: 1 });
    expect(await valueOf('health.checkup-coverage', countyB, lastMonth)).toMatchObject({ value: null, missing: villagesB.length });

    // a late report for a period two months back is picked up by the next scheduled run
    const older = previousPeriod('month', lastMonth);
    ok(await call('operator-a', 'POST', '/api/indicators/health.checkup-coverage/reports', {
      items: [{ regionCode: v1, period: older, value: 10 }, { regionCode: v1, period: older, component: 'denominator', value: 20 }],
    }));
    const second = await runIndicatorSchedule(p.deps);
    expect(second.find((r) => r.indicator === 'health.checkup-coverage')?.periods).toEqual([older, lastMonth, month]);
    expect(await valueOf('health.checkup-coverage', countyA, older)).toMatchObject({ value: 50 });
    // nothing changed: only the recent periods are computed
    const third = await runIndicatorSchedule(p.deps);
    expect(third.find((r) => r.indicator === 'health.checkup-coverage')?.periods).toEqual([lastMonth, month]);
  });

  it('refuses reports for the wrong level, period, component or region, writing nothing', async () => {
    const before = await count('indicator_report');
    const bad = async (who: string, item: Record<string, unknown>, status: number) =>
      expectProblem(await call(who, 'POST', '/api/indicators/health.checkup-coverage/reports', { items: [{ regionCode: villagesA[0], period: month, value: 1 }, item] }), status);
    await bad('operator-a', { regionCode: countyA, period: month, value: 1 }, 400);
    await bad('operator-a', { regionCode: villagesA[0], period: '2026-13', value: 1 }, 400);
    await bad('operator-a', { regionCode: villagesA[0], period: '2026-W01', value: 1 }, 400);
    await bad('operator-a', { regionCode: '990000000999', period: month, value: 1 }, 400);
    await bad('operator-a', { regionCode: villagesB[0], period: month, value: 1 }, 403);
    await bad('viewer', { regionCode: villagesA[0], period: month, value: 1 }, 403);
    expectProblem(await call('operator-a', 'POST', '/api/indicators/incident.resolved-share/reports', { items: [{ regionCode: villagesA[0], period: month, value: 1 }] }), 400);
    expectProblem(await call('operator-a', 'POST', '/api/indicators/health.checkup-coverage/reports', { items: [] }), 400);
    expectProblem(await call('operator-a', 'POST', '/api/indicators/nope/reports', { items: [{ regionCode: villagesA[0], period: month, value: 1 }] }), 404);
    expect(await count('indicator_report')).toBe(before);
  });
});

describe('definitions', () => {
  it('lists the catalog with the latest value in your region, filtered', async () => {
    const all = ok<Page<IndicatorSummary>>(await get('operator-a', '/api/indicators'));
    expect(all.items.map((i) => i.code)).toEqual(expect.arrayContaining(['incident.resolved-share', 'health.checkup-coverage']));
    expect(all.items.find((i) => i.code === 'incident.resolved-share')?.latest).toMatchObject({ regionCode: countyA, period: month });
    expect(ok<Page<IndicatorSummary>>(await get('viewer', '/api/indicators?q=体检')).items.map((i) => i.code)).toEqual(['health.checkup-coverage']);
    expect(ok<Page<IndicatorSummary>>(await get('viewer', '/api/indicators?key=true')).items.map((i) => i.code)).toEqual(['incident.resolved-share']);
  });

  it('replaces a definition as a new version and retires it', async () => {
    const cur = ok<Indicator>(await get('viewer', '/api/indicators/health.checkup-coverage'));
    const { id: _id, ownerOrganizationName: _o, ownerRegionCode: _r, status: _s, version: _v, lastComputedAt: _l, createdAt: _c, modifiedAt: _m, ...input } = cur;
    const next = ok<Indicator>(await call('province-admin', 'PUT', '/api/indicators/health.checkup-coverage', { ...input, warn: 70, status: 'retired' }));
    expect(next).toMatchObject({ version: 2, warn: 70, status: 'retired', lastComputedAt: null });
    expectProblem(await call('province-admin', 'POST', '/api/indicators/health.checkup-coverage/compute', {}), 409, 'indicator-retired');
    expectProblem(await call('province-admin', 'PUT', '/api/indicators/health.checkup-coverage', { ...input, code: 'other.code' }), 400);
  });

  it('refuses unsound definitions and those it cannot place, writing nothing', async () => {
    const before = await count('indicator');
    const base = resolvedShare(emergencyProvince);
    const bad = async (body: unknown, status = 400, who = 'province-admin') => expectProblem(await call(who, 'POST', '/api/indicators', body), status);
    await bad({ ...base, code: 'x.sum', aggregation: 'sum' });
    await bad({ ...base, code: 'x.avg', aggregation: 'weighted_average', denominator: null });
    await bad({ ...base, code: 'x.thr', warn: 70, alarm: 90 });
    await bad({ ...base, code: 'x.type', numerator: { kind: 'incidents', type: 'no-such-type' } });
    await bad({ ...base, code: 'x.kind', numerator: { kind: 'weather' } });
    await bad({ ...base, code: 'x.level', numerator: { kind: 'reported', level: 'grid' } });
    await bad({ ...base, code: 'x.pop', numerator: { kind: 'population' }, denominator: { kind: 'regions' } });
    await bad({ ...base, code: 'x.factor', factor: 0 });
    await bad({ ...base, code: 'X Bad' });
    await bad({ ...base, code: 'x.extra', colour: 'red' });
    await bad({ ...base, code: 'x.org', ownerOrganizationId: '00000000-0000-4000-8000-000000000000' });
    await bad({ ...base, code: 'x.plan', analysisPlan: { tasks: [{ title: 't', departmentType: 'no-such-dept' }] } });
    await bad(base, 409);
    await bad({ ...base, code: 'x.viewer' }, 403, 'viewer');
    // a county operator cannot define an indicator owned by the province
    await bad({ ...base, code: 'x.scope' }, 403, 'operator-a');
    expect(await count('indicator')).toBe(before);
  });

  it('refuses bad value queries and computations', async () => {
    expectProblem(await get('viewer', '/api/indicators/incident.resolved-share/values?period=2026-W01'), 400);
    expectProblem(await get('viewer', '/api/indicators/incident.resolved-share/values?sort=colour'), 400);
    expectProblem(await get('viewer', '/api/indicators/nope/values'), 404);
    expectProblem(await call('province-admin', 'POST', '/api/indicators/incident.resolved-share/compute', { from: '2020-01', to: '2059-12' }), 400);
    expectProblem(await call('province-admin', 'POST', '/api/indicators/incident.resolved-share/compute', { from: '2026-05', to: '2026-02' }), 400);
    expectProblem(await call('province-admin', 'POST', '/api/indicators/incident.resolved-share/compute', { from: 'May' }), 400);
    expectProblem(await call('viewer', 'POST', '/api/indicators/incident.resolved-share/compute', {}), 403);
    expectProblem(await call('province-admin', 'PUT', '/api/indicators/incident.resolved-share/targets', { items: [{ regionCode: countyA, period: 'soon', target: 1 }] }), 400);
    expectProblem(await call('operator-b', 'PUT', '/api/indicators/incident.resolved-share/targets', { items: [{ regionCode: countyA, period: month, target: 1 }] }), 403);
    expectProblem(await call('province-admin', 'POST', '/api/indicator-alerts/00000000-0000-4000-8000-000000000000/actions', { action: 'acknowledge' }), 404);
  });
});

describe('visibility', () => {
  it('shows each reader only the values and alerts of their region', async () => {
    const values = ok<Page<IndicatorValue>>(await get('operator-b', `/api/indicators/incident.resolved-share/values?period=${month}&limit=1000`));
    expect(values.total).toBeGreaterThan(0);
    expect(values.items.every((v) => v.regionCode.startsWith(countyB.slice(0, 6)))).toBe(true);
    expect(ok<Page<IndicatorAlert>>(await get('operator-b', '/api/indicator-alerts')).total).toBe(0);
    expectProblem(await get('operator-b', `/api/indicators/incident.resolved-share/values?region=${countyA}`), 403);
    const ranking = ok<Page<IndicatorValue>>(await get('dispatcher', `/api/indicators/incident.resolved-share/values?parent=${city}&period=${month}&sort=-value`));
    expect(ranking.items.every((v) => v.level === 'county')).toBe(true);
    // a social organization's member has no indicators
    expectProblem(await get('social-member', '/api/indicators'), 403);
    expectProblem(await get('social-member', '/api/cockpit'), 403);
  });

  it('lets a writer acknowledge and comment on an alert in their region only', async () => {
    // a lower-is-better count indicator whose county A value is over the alarm
    ok(await call('province-admin', 'POST', '/api/indicators', {
      code: 'incident.count', name: '事件数', ownerOrganizationId: emergencyProvince, numerator: { kind: 'incidents' }, direction: 'lower_better', alarm: 1, alertLevels: ['county'],
    }), 201);
    ok(await call('province-admin', 'POST', '/api/indicators/incident.count/compute', {}));
    const a = ok<Page<IndicatorAlert>>(await get('dispatcher', `/api/indicator-alerts?indicator=incident.count&region=${countyA}`)).items[0] as IndicatorAlert;
    expect(a).toMatchObject({ level: 'alarm', planOpened: false, taskIds: [] });
    expect(a.actions).toEqual(['acknowledge', 'close', 'comment']);
    expect(ok<IndicatorAlert>(await get('operator-a', `/api/indicator-alerts/${a.id}`)).actions).toEqual([]);
    expectProblem(await call('operator-a', 'POST', `/api/indicator-alerts/${a.id}/actions`, { action: 'acknowledge' }), 403);
    expectProblem(await call('dispatcher', 'POST', `/api/indicator-alerts/${a.id}/actions`, { action: 'comment' }), 400);
    expect(ok<IndicatorAlert>(await call('dispatcher', 'POST', `/api/indicator-alerts/${a.id}/actions`, { action: 'acknowledge', note: '已安排分析' })).status).toBe('acknowledged');
    expectProblem(await call('dispatcher', 'POST', `/api/indicator-alerts/${a.id}/actions`, { action: 'acknowledge' }), 409);
    expect(ok<IndicatorAlert>(await call('dispatcher', 'POST', `/api/indicator-alerts/${a.id}/actions`, { action: 'close', note: '季节性' })).status).toBe('closed');
    expectProblem(await get('operator-b', `/api/indicator-alerts/${a.id}`), 404);
  });
});
