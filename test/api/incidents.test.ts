// SPDX-License-Identifier: Apache-2.0
// Incidents (事件): reports placed in regions, duplicates nearby linked, the lifecycle and its timeline,
// invalid transitions, SLA deadlines, supervision (督办) and escalation of command, scope, masking, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contracts/audit.ts';
import type { Incident, IncidentDetail, IncidentType, ReportOutcome } from '../../contracts/dispatch-incidents.ts';
import type { Region } from '../../contracts/regions.ts';
import { sweepOverdue } from '../../server/modules/dispatch/index.ts';
import type { DeliveredEvent } from '../../server/platform/outbox.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { expectProblem, ok } from '../helpers/expect.ts';

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let countyB: string;
let cityA: string;
let province: string;
let villagesA: Region[];
let villagesB: Region[];
const events: DeliveredEvent[] = [];

const as = (username: string) => p.login(username);
const centroid = (r: Region): [number, number] => r.centroid as [number, number];
/** A point `metres` east of `at`. */
const east = ([lon, lat]: [number, number], metres: number): [number, number] => [lon + metres / (111_320 * Math.cos((lat * Math.PI) / 180)), lat];

async function report(who: string, body: Record<string, unknown>, status = 201): Promise<ReportOutcome> {
  return ok<ReportOutcome>(await p.call('POST', '/api/incidents', { as: await as(who), body }), status);
}
async function act(who: string, id: string, body: Record<string, unknown>, status = 200): Promise<IncidentDetail> {
  return ok<IncidentDetail>(await p.call('POST', `/api/incidents/${id}/actions`, { as: await as(who), body }), status);
}
async function detail(who: string, id: string): Promise<IncidentDetail> {
  return ok<IncidentDetail>(await p.call('GET', `/api/incidents/${id}`, { as: await as(who) }));
}
async function count(): Promise<number> {
  const { rows } = await p.deps.db.pool.query<{ n: number }>('SELECT (SELECT count(*) FROM incident) + (SELECT count(*) FROM incident_timeline) AS n');
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  p = await createTestPlatform();
  const sys = await as('sysadmin');
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  cityA = p.account('dispatcher').scope as string;
  province = p.account('province-admin').scope as string;
  expect(countyA.startsWith(cityA.slice(0, 4))).toBe(true);
  villagesA = ok<Page<Region>>(await p.call('GET', `/api/regions/${countyA}/subtree?level=village&limit=1000`, { as: sys })).items;
  villagesB = ok<Page<Region>>(await p.call('GET', `/api/regions/${countyB}/subtree?level=village&limit=1000`, { as: sys })).items;
  p.deps.outbox.subscribe('*', (e) => {
    if (e.topic.startsWith('incident.')) events.push(e);
  });
});
afterAll(async () => {
  await p?.stop();
});

describe('the type catalogue', () => {
  it('lists categories and their types with zh-CN and English names and SLAs', async () => {
    const types = ok<IncidentType[]>(await p.call('GET', '/api/incident-types', { as: await as('viewer') }));
    const flood = types.find((t) => t.code === 'flood');
    expect(flood).toMatchObject({ parentCode: 'natural-disaster', name: '洪涝灾害', nameEn: 'Flood', leaf: true });
    expect(flood?.sla?.verifyMinutes).toBeGreaterThan(0);
    expect(types.find((t) => t.code === 'urban-management')).toMatchObject({ leaf: false, parentCode: null, sla: null });
    for (const code of ['rainstorm-waterlogging', 'landslide', 'earthquake', 'traffic-accident', 'fire', 'hazardous-chemicals', 'road-damage', 'manhole-cover-missing', 'illegal-construction', 'garbage', 'street-light-out', 'waterlogged-street']) {
      expect(types.map((t) => t.code)).toContain(code);
    }
    expect(types.find((t) => t.code === 'garbage')?.citizenReportable).toBe(true);
    // a reporter without read access may still see the catalogue; the audit administrator may not
    ok(await p.call('GET', '/api/incident-types', { as: await as('social-member') }));
    expectProblem(await p.call('GET', '/api/incident-types', { as: await as('auditadmin') }), 403, 'forbidden');
  });
});

describe('reporting', () => {
  it('places a report in the smallest region containing it, commands it from the county, sets its deadlines', async () => {
    const v = villagesA[0] as Region;
    const [lon, lat] = centroid(v);
    const before = Date.now();
    const { duplicate, incident } = await report('operator-a', { typeCode: 'road-damage', lon, lat, description: '路面塌陷约两平方米' });
    expect(duplicate).toBe(false);
    // the smallest region: the grid of the village when it has grids
    const smallest = ok<{ region: Region }>(await p.call('GET', `/api/regions/locate?lon=${lon}&lat=${lat}`, { as: await as('sysadmin') })).region;
    expect(smallest.code.startsWith(v.code)).toBe(true);
    expect(incident).toMatchObject({ status: 'reported', grade: 'IV', regionCode: smallest.code, regionName: smallest.name, commandRegionCode: countyA, typeName: '道路破损', typeNameEn: 'Road damage', source: 'console', exercise: false, categoryCode: 'urban-management', overdue: false });
    const reported = Date.parse(incident.reportedAt);
    expect(reported).toBeGreaterThanOrEqual(before - 1000);
    // road damage at grade IV: verify within 4 h, respond within a day, resolve within five
    expect(Date.parse(incident.dueVerifyAt) - reported).toBe(4 * 3_600_000);
    expect(Date.parse(incident.dueRespondAt) - reported).toBe(24 * 3_600_000);
    expect(Date.parse(incident.dueResolveAt) - reported).toBe(5 * 24 * 3_600_000);
    const d = await detail('operator-a', incident.id);
    expect(d.timeline.map((e) => e.action)).toEqual(['reported']);
    expect(d.timeline[0]).toMatchObject({ actor: 'operator-a', toStatus: 'reported', note: '路面塌陷约两平方米' });
  });

  it('takes an explicit region code, and commands grades III from the city and II and I from the province', async () => {
    const v = villagesA[1] as Region;
    const iii = await report('operator-a', { typeCode: 'fire', grade: 'III', regionCode: v.code, title: '厂房火灾' });
    expect(iii.incident).toMatchObject({ regionCode: v.code, commandRegionCode: cityA, lon: null, title: '厂房火灾' });
    const ii = await report('operator-a', { typeCode: 'flood', grade: 'II', regionCode: countyA });
    expect(ii.incident.commandRegionCode).toBe(province);
    // grade I deadlines are a quarter of grade IV's
    const reported = Date.parse(ii.incident.reportedAt);
    const i = await report('operator-a', { typeCode: 'flood', grade: 'I', regionCode: countyA });
    expect(Date.parse(i.incident.dueResolveAt) - Date.parse(i.incident.reportedAt)).toBe((Date.parse(ii.incident.dueResolveAt) - reported) / 2);
  });

  it('links a report of the same type within 200 m and 24 h of an open incident to it', async () => {
    const at = centroid(villagesA[2] as Region);
    const first = await report('operator-a', { typeCode: 'garbage', lon: at[0], lat: at[1], description: '垃圾堆积' });
    const near = east(at, 120);
    const again = await report('operator-a', { typeCode: 'garbage', lon: near[0], lat: near[1], description: '又有人报告', reporter: { name: '赵六', phone: '13900001111' } }, 200);
    expect(again.duplicate).toBe(true);
    expect(again.incident.id).toBe(first.incident.id);
    expect(again.incident.duplicateCount).toBe(1);
    const d = await detail('dispatcher', first.incident.id);
    const linked = d.timeline.find((e) => e.action === 'duplicate-linked');
    expect(linked).toMatchObject({ note: '又有人报告', details: { source: 'console', reporter: { name: '赵六', phone: '13900001111' } } });
    // masked for a reader without clearance
    const masked = (await detail('viewer', first.incident.id)).timeline.find((e) => e.action === 'duplicate-linked');
    expect(masked?.details.reporter).toMatchObject({ name: '赵*', phone: '139****1111' });
    // another type at the same place, or the same type further away, is another incident
    expect((await report('operator-a', { typeCode: 'street-light-out', lon: near[0], lat: near[1] })).incident.id).not.toBe(first.incident.id);
    const far = east(at, 400);
    expect((await report('operator-a', { typeCode: 'garbage', lon: far[0], lat: far[1] })).incident.id).not.toBe(first.incident.id);
    // a drill is never linked to a real incident
    expect((await report('operator-a', { typeCode: 'garbage', lon: near[0], lat: near[1], exercise: true })).duplicate).toBe(false);
    // a closed or rejected one is not linked to either
    await act('dispatcher', first.incident.id, { action: 'reject', note: '重复上报' });
    expect((await report('operator-a', { typeCode: 'garbage', lon: near[0], lat: near[1] })).duplicate).toBe(false);
  });
});

describe('the lifecycle', () => {
  it('goes reported → verified → responding → resolved → evaluated → closed, every step in the timeline', async () => {
    const { incident } = await report('operator-a', { typeCode: 'manhole-cover-missing', regionCode: (villagesA[3] as Region).code });
    await act('dispatcher', incident.id, { action: 'verify', note: '现场确认' });
    await act('dispatcher', incident.id, { action: 'respond' });
    await act('province-admin', incident.id, { action: 'resolve', note: '已补装井盖' });
    await act('dispatcher', incident.id, { action: 'evaluate', rating: 5, note: '满意' });
    const closed = await act('dispatcher', incident.id, { action: 'close' });
    expect(closed).toMatchObject({ status: 'closed', rating: 5, overdue: false });
    for (const k of ['verifiedAt', 'respondedAt', 'resolvedAt', 'evaluatedAt', 'closedAt'] as const) expect(closed[k]).not.toBeNull();
    expect(closed.timeline.map((e) => [e.action, e.fromStatus, e.toStatus, e.actor])).toEqual([
      ['reported', null, 'reported', 'operator-a'],
      ['verify', 'reported', 'verified', 'dispatcher'],
      ['respond', 'verified', 'responding', 'dispatcher'],
      ['resolve', 'responding', 'resolved', 'province-admin'],
      ['evaluate', 'resolved', 'evaluated', 'dispatcher'],
      ['close', 'evaluated', 'closed', 'dispatcher'],
    ]);
    expect(closed.timeline[3]?.note).toBe('已补装井盖');
    // a comment is always possible; another step is not
    const commented = await act('dispatcher', incident.id, { action: 'comment', note: '回访完成' });
    expect(commented.timeline.at(-1)).toMatchObject({ action: 'comment', note: '回访完成', fromStatus: null });
    expectProblem(await p.call('POST', `/api/incidents/${incident.id}/actions`, { as: await as('dispatcher'), body: { action: 'verify' } }), 409, 'invalid-transition');
  });

  it('refuses actions out of turn with 409 and changes nothing', async () => {
    const { incident } = await report('operator-a', { typeCode: 'traffic-accident', regionCode: countyA });
    const before = await count();
    for (const body of [{ action: 'resolve', note: 'x' }, { action: 'respond' }, { action: 'close' }, { action: 'evaluate', rating: 3 }]) {
      const prob = expectProblem(await p.call('POST', `/api/incidents/${incident.id}/actions`, { as: await as('dispatcher'), body }), 409, 'invalid-transition');
      expect(prob.detail).toMatch(/reported/);
    }
    await act('dispatcher', incident.id, { action: 'reject', note: '误报' });
    expectProblem(await p.call('POST', `/api/incidents/${incident.id}/actions`, { as: await as('dispatcher'), body: { action: 'verify' } }), 409, 'invalid-transition');
    expectProblem(await p.call('POST', `/api/incidents/${incident.id}/actions`, { as: await as('dispatcher'), body: { action: 'regrade', grade: 'I', note: 'x' } }), 409, 'invalid-transition');
    expect(await count()).toBe(before + 1); // the rejection's timeline entry only
    expect((await detail('viewer', incident.id)).status).toBe('rejected');
  });

  it('raising the grade escalates command one level up (timeline and event); lowering keeps it', async () => {
    const { incident } = await report('operator-a', { typeCode: 'hazardous-chemicals', regionCode: (villagesA[0] as Region).code });
    expect(incident.commandRegionCode).toBe(countyA);
    const raised = await act('dispatcher', incident.id, { action: 'regrade', grade: 'III', note: '泄漏范围扩大' });
    expect(raised).toMatchObject({ grade: 'III', commandRegionCode: cityA, escalations: 1 });
    expect(Date.parse(raised.dueResolveAt)).toBeLessThan(Date.parse(incident.dueResolveAt));
    expect(raised.timeline.filter((e) => e.action === 'regraded' || e.action === 'escalated').map((e) => [e.action, e.details])).toEqual([
      ['regraded', { from: 'IV', to: 'III' }],
      ['escalated', { from: countyA, to: cityA }],
    ]);
    const lowered = await act('dispatcher', incident.id, { action: 'regrade', grade: 'IV', note: '已控制' });
    expect(lowered).toMatchObject({ grade: 'IV', commandRegionCode: cityA });
    expectProblem(await p.call('POST', `/api/incidents/${incident.id}/actions`, { as: await as('dispatcher'), body: { action: 'regrade', grade: 'IV', note: 'x' } }), 400, 'invalid');
    // verifying at a higher grade raises it too
    const verified = await act('dispatcher', incident.id, { action: 'verify', grade: 'II' });
    expect(verified).toMatchObject({ status: 'verified', grade: 'II', commandRegionCode: province });
    await p.deps.outbox.drain();
    expect(events.some((e) => e.topic === 'incident.escalated' && e.aggregateId === incident.id && e.payload.to === cityA)).toBe(true);
  });
});

describe('SLA and supervision (督办)', () => {
  it('flags overdue work once per stage, escalates command, and filters the queue by overdue', async () => {
    const { incident } = await report('operator-a', { typeCode: 'street-light-out', regionCode: (villagesA[4] ?? villagesA[0] as Region).code });
    // not yet due
    expect((await sweepOverdue(p.deps, { now: new Date(Date.parse(incident.dueVerifyAt) - 60_000) })).ids).not.toContain(incident.id);
    const late = new Date(Date.parse(incident.dueVerifyAt) + 60_000);
    const swept = await sweepOverdue(p.deps, { now: late });
    expect(swept.ids).toContain(incident.id);
    let d = await detail('dispatcher', incident.id);
    expect(d).toMatchObject({ supervisedStage: 'reported', commandRegionCode: cityA, escalations: 1 });
    expect(d.timeline.slice(-2).map((e) => e.action)).toEqual(['supervised', 'escalated']);
    // the same stage is not flagged twice
    expect((await sweepOverdue(p.deps, { now: late })).ids).not.toContain(incident.id);
    // the next stage, when late too, is flagged again and command rises once more
    await act('dispatcher', incident.id, { action: 'verify' });
    expect((await sweepOverdue(p.deps, { now: new Date(Date.parse(incident.dueRespondAt) + 60_000) })).ids).toContain(incident.id);
    d = await detail('dispatcher', incident.id);
    expect(d).toMatchObject({ supervisedStage: 'verified', commandRegionCode: province, escalations: 2 });
    await p.deps.outbox.drain();
    const overdue = events.filter((e) => e.topic === 'incident.overdue' && e.aggregateId === incident.id);
    expect(overdue.map((e) => e.payload.stage)).toEqual(['reported', 'verified']);
    // the queue's overdue filter reads the clock: move this incident's deadline into the past
    await p.deps.db.pool.query(`UPDATE incident SET due_respond_at = now() - interval '1 hour' WHERE id = $1`, [incident.id]);
    const list = ok<Page<Incident>>(await p.call('GET', '/api/incidents?overdue=true&limit=1000', { as: await as('dispatcher') }));
    expect(list.items.find((i) => i.id === incident.id)?.overdue).toBe(true);
    expect(list.items.every((i) => i.overdue)).toBe(true);
    const notOverdue = ok<Page<Incident>>(await p.call('GET', '/api/incidents?overdue=false&limit=1000', { as: await as('dispatcher') }));
    expect(notOverdue.items.some((i) => i.id === incident.id)).toBe(false);
    const audit = ok<Page<AuditRecord>>(await p.call('GET', '/api/audit?action=incident.supervised&limit=100', { as: await as('auditadmin') }));
    expect(audit.items.some((r) => r.resourceId === incident.id && r.actorName === 'system')).toBe(true);
  });
});

describe('scope and masking', () => {
  it('shows each county its own incidents; the city and province see them all', async () => {
    const a = (await report('operator-a', { typeCode: 'illegal-construction', regionCode: (villagesA[0] as Region).code })).incident;
    const b = (await report('operator-b', { typeCode: 'illegal-construction', regionCode: (villagesB[0] as Region).code })).incident;
    const listOf = async (who: string) => ok<Page<Incident>>(await p.call('GET', '/api/incidents?type=illegal-construction&limit=1000', { as: await as(who) })).items.map((i) => i.id);
    expect(await listOf('operator-a')).toContain(a.id);
    expect(await listOf('operator-a')).not.toContain(b.id);
    expect(await listOf('operator-b')).toEqual([b.id]);
    expect(await listOf('viewer')).toEqual(expect.arrayContaining([a.id, b.id]));
    expectProblem(await p.call('GET', `/api/incidents/${a.id}`, { as: await as('operator-b') }), 403, 'forbidden');
    // a filter never widens the scope
    expect(ok<Page<Incident>>(await p.call('GET', `/api/incidents?regionCode=${countyA}`, { as: await as('operator-b') })).total).toBe(0);
    // reporting outside one's county, or acting without the manage grant, is denied
    expectProblem(await p.call('POST', '/api/incidents', { as: await as('operator-b'), body: { typeCode: 'garbage', regionCode: countyA } }), 403, 'forbidden');
    expectProblem(await p.call('POST', `/api/incidents/${a.id}/actions`, { as: await as('operator-a'), body: { action: 'verify' } }), 403, 'forbidden');
    expectProblem(await p.call('POST', `/api/incidents/${a.id}/actions`, { as: await as('viewer'), body: { action: 'comment', note: 'x' } }), 403, 'forbidden');
    // the task handler reads in their township only
    const th = await listOf('task-handler');
    expect(th.every((id) => id !== b.id)).toBe(true);
    expectProblem(await p.call('GET', '/api/incidents', { as: await as('auditadmin') }), 403, 'forbidden');
    expectProblem(await p.call('GET', '/api/incidents', { as: await as('social-member') }), 403, 'forbidden');
    // a dispatcher of another city cannot act on county B's incident when county B lies outside their city
    if (!countyB.startsWith(cityA.slice(0, 4))) {
      expectProblem(await p.call('POST', `/api/incidents/${b.id}/actions`, { as: await as('dispatcher'), body: { action: 'verify' } }), 403, 'forbidden');
      expect((await detail('viewer', b.id)).status).toBe('reported');
    }
  });

  it('masks a citizen reporter\'s name, phone and email for those without clearance', async () => {
    const body = { typeCode: 'waterlogged-street', regionCode: (villagesA[0] as Region).code, reporter: { name: '张三丰', phone: '13812345678', email: 'zhang@example.cn' } };
    const { incident } = await report('operator-a', body);
    // the reporter sees what they sent
    expect(incident.reporter).toEqual(body.reporter);
    expect((await detail('viewer', incident.id)).reporter).toEqual({ name: '张**', phone: '138****5678', email: 'z***@example.cn' });
    expect((await detail('dispatcher', incident.id)).reporter).toEqual(body.reporter);
    const listed = ok<Page<Incident>>(await p.call('GET', '/api/incidents?type=waterlogged-street&limit=1000', { as: await as('viewer') })).items.find((i) => i.id === incident.id);
    expect(listed?.reporter.phone).toBe('138****5678');
  });
});

describe('the queue', () => {
  it('filters by status, type category, grade, exercise and text; sorts; pages', async () => {
    const drill = (await report('operator-a', { typeCode: 'earthquake', grade: 'II', regionCode: countyA, exercise: true, title: '地震演练' })).incident;
    const dp = await as('province-admin');
    const q = async (query: string) => ok<Page<Incident>>(await p.call('GET', `/api/incidents?limit=1000&${query}`, { as: dp }));
    const drills = (await q('exercise=true')).items;
    expect(drills.map((i) => i.id)).toContain(drill.id);
    expect(drills.every((i) => i.exercise)).toBe(true);
    expect((await q('exercise=false')).items.some((i) => i.id === drill.id)).toBe(false);
    expect((await q('type=natural-disaster')).items.every((i) => i.categoryCode === 'natural-disaster')).toBe(true);
    expect((await q('type=natural-disaster')).items.map((i) => i.id)).toContain(drill.id);
    expect((await q('grade=II')).items.every((i) => i.grade === 'II')).toBe(true);
    expect((await q('status=closed,rejected')).items.every((i) => i.status === 'closed' || i.status === 'rejected')).toBe(true);
    expect((await q(`q=${encodeURIComponent('地震演练')}`)).items.map((i) => i.id)).toEqual([drill.id]);
    const all = await q('sort=reportedAt');
    const times = all.items.map((i) => Date.parse(i.reportedAt));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const due = await q('sort=due&status=reported');
    const dues = due.items.map((i) => Date.parse(i.dueVerifyAt));
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    const paged = await p.call('GET', '/api/incidents?limit=2&offset=1&sort=reportedAt', { as: dp });
    expect(ok<Page<Incident>>(paged).items.map((i) => i.id)).toEqual(all.items.slice(1, 3).map((i) => i.id));
    expect(ok<Page<Incident>>(paged).total).toBe(all.total);
  });
});

describe('bad input', () => {
  it('answers 4xx problem+json and writes nothing', async () => {
    const before = await count();
    const v = villagesA[0] as Region;
    const cases: [Record<string, unknown>, string][] = [
      [{ lon: 113.5, lat: 28.5 }, 'body.typeCode'],
      [{ typeCode: 'natural-disaster', regionCode: v.code }, 'body.typeCode'],
      [{ typeCode: 'alien-landing', regionCode: v.code }, 'body.typeCode'],
      [{ typeCode: 'garbage' }, 'body.regionCode'],
      [{ typeCode: 'garbage', lon: 113.5 }, 'body.lat'],
      [{ typeCode: 'garbage', lon: 10, lat: 10 }, 'body.lon'],
      [{ typeCode: 'garbage', lon: 200, lat: 10 }, 'body.lon'],
      [{ typeCode: 'garbage', regionCode: '990000000001' }, 'body.regionCode'],
      [{ typeCode: 'garbage', regionCode: '12' }, 'body.regionCode'],
      [{ typeCode: 'garbage', regionCode: v.code, grade: 'V' }, 'body.grade'],
      [{ typeCode: 'garbage', regionCode: v.code, colour: 'red' }, 'body'],
      [{ typeCode: 'garbage', regionCode: v.code, reporter: { phone: 'call me' } }, 'body.reporter.phone'],
      [{ typeCode: 'garbage', regionCode: v.code, mediaUrl: 'javascript:alert(1)' }, 'body.mediaUrl'],
    ];
    for (const [body, field] of cases) {
      const prob = expectProblem(await p.call('POST', '/api/incidents', { as: await as('operator-a'), body }), 400);
      expect(prob.errors?.map((e) => e.field).join(' '), JSON.stringify(body)).toContain(field);
    }
    expectProblem(await p.call('POST', '/api/incidents', { as: await as('operator-a'), body: '{"typeCode":' }), 400, 'malformed-json');
    const some = (await p.deps.db.pool.query<{ id: string }>('SELECT id FROM incident LIMIT 1')).rows[0]?.id as string;
    for (const body of [{}, { action: 'fly' }, { action: 'reject' }, { action: 'evaluate', rating: 9 }, { action: 'verify', grade: 'V' }, { action: 'comment', note: '' }, { action: 'verify', extra: 1 }]) {
      expectProblem(await p.call('POST', `/api/incidents/${some}/actions`, { as: await as('dispatcher'), body }), 400, 'invalid');
    }
    expectProblem(await p.call('GET', '/api/incidents/not-a-uuid', { as: await as('viewer') }), 400, 'invalid');
    expectProblem(await p.call('GET', '/api/incidents/00000000-0000-4000-8000-000000000000', { as: await as('viewer') }), 404, 'not-found');
    expectProblem(await p.call('POST', '/api/incidents/00000000-0000-4000-8000-000000000000/actions', { as: await as('dispatcher'), body: { action: 'verify' } }), 404, 'not-found');
    for (const query of ['status=open', 'grade=0', 'overdue=yes', 'sort=name', 'limit=0', 'type=Bad_Type', 'type=alien-landing', 'from=yesterday']) {
      expectProblem(await p.call('GET', `/api/incidents?${query}`, { as: await as('viewer') }), 400, 'invalid');
    }
    expect(await count()).toBe(before);
  });
});

describe('audit and outbox', () => {
  it('audits every write and publishes it', async () => {
    const res = ok<Page<AuditRecord>>(await p.call('GET', '/api/audit?action=incident.&limit=1000', { as: await as('auditadmin') }));
    const actions = new Set(res.items.map((r) => r.action));
    for (const a of ['incident.reported', 'incident.duplicate-linked', 'incident.verify', 'incident.reject', 'incident.resolve', 'incident.close', 'incident.regrade', 'incident.supervised']) expect(actions).toContain(a);
    await p.deps.outbox.drain();
    const topics = new Set(events.map((e) => e.topic));
    for (const t of ['incident.reported', 'incident.duplicate-linked', 'incident.status-changed', 'incident.regraded', 'incident.escalated', 'incident.overdue']) expect(topics).toContain(t);
    expect(ok<{ ok: boolean }>(await p.call('GET', '/api/audit/verify', { as: await as('auditadmin') })).ok).toBe(true);
  });
});
