// SPDX-License-Identifier: Apache-2.0
// Indicators (指标): definitions, computation for every region and period (on demand and on a schedule that
// also picks up late data), thresholds that raise alerts opening the analysis plan — tasks for the region's
// responsible departments and, where the plan says so, an incident that dispatch takes over — targets and
// values reported by organizations.
import {
  type AlertAction, type AlertQuery, type ComputeInput, type ComputeResult, type Indicator, type IndicatorAlert, type IndicatorInput, type IndicatorQuery,
  type IndicatorSource, type IndicatorSummary, type IndicatorValue, type IndicatorValueQuery, type ReportInput, type TargetInput,
} from '../../../contracts/indicators.ts';
import { isPeriodKey, PERIOD_EXAMPLE, type PeriodKind, periodAt, periodBounds, periodOfDate, periodRange, previousPeriod } from '../../../contracts/indicator-periods.ts';
import { LEVELS, type Level } from '../../../contracts/regions.ts';
import { inScope, levelIndex } from '../../../contracts/region-codes.ts';
import { type RequestContext, systemContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, type FieldError, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { type MeasureWindow, params, type Params } from '../../platform/measure.ts';
import { publish } from '../../platform/outbox.ts';
import { type Periodic, startPeriodic } from '../../platform/periodic.ts';
import { authorize, decide } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { incidentMeasureSql, reportIncident, validateIncidentMeasure } from '../dispatch/index.ts';
import { getOrganization } from '../identity/index.ts';
import { currentRegionsAt, findCurrentRegion, regionMeasureSql } from '../regions/index.ts';
import { createTasksIn, routeToDepartment, type TaskSpec, taskMeasureSql } from '../tasks/index.ts';
import { twinMeasureSql } from '../twin/index.ts';
import { classify, type ComponentRow, formulaProblems, rollUp, targetGap } from './indicator.engine.ts';
import * as store from './indicators.store.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
/** Levels an indicator is computed for (grids fold into their villages). */
const ROLLUP_LEVELS: Level[] = ['province', 'city', 'county', 'township', 'village'];
/** Periods a computation covers at most (a day indicator over more than a year: compute in parts). */
const MAX_PERIODS = 400;

export function presentIndicator(r: store.IndicatorRecord): Indicator {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    unit: r.unit,
    description: r.description,
    ownerOrganizationId: r.owner_organization_id,
    ownerOrganizationName: r.owner_organization_name,
    ownerRegionCode: r.owner_region_code,
    numerator: r.numerator,
    denominator: r.denominator,
    factor: r.factor,
    period: r.period,
    aggregation: r.aggregation,
    direction: r.direction,
    warn: r.warn,
    alarm: r.alarm,
    alertLevels: r.alert_levels,
    analysisPlan: r.analysis_plan,
    key: r.is_key,
    status: r.status,
    version: r.version,
    lastComputedAt: iso(r.last_computed_at),
    createdAt: r.created_at.toISOString(),
    modifiedAt: r.modified_at.toISOString(),
  };
}

export function presentValue(r: store.ValueRecord, direction: store.IndicatorRecord['direction']): IndicatorValue {
  const { gap, onTarget } = targetGap(r.value, r.target, direction);
  return {
    regionCode: r.region_code,
    regionName: r.region_name,
    level: r.level as Level,
    period: r.period,
    numerator: r.numerator,
    denominator: r.denominator,
    value: r.value,
    status: r.status,
    missing: r.missing,
    target: r.target,
    gap,
    onTarget,
    computedAt: r.computed_at.toISOString(),
  };
}

/** What the caller may do to an alert: indicator writers of its region act on it while it is open. */
function alertActions(ctx: RequestContext, r: store.AlertRecord): IndicatorAlert['actions'] {
  if (!decide(ctx.actor, 'indicator:write', { regionCode: r.region_code }).allow) return [];
  if (r.status === 'closed') return ['comment'];
  return r.status === 'open' ? ['acknowledge', 'close', 'comment'] : ['close', 'comment'];
}

export function presentAlert(ctx: RequestContext, r: store.AlertRecord): IndicatorAlert {
  return {
    id: r.id,
    indicatorId: r.indicator_id,
    indicatorCode: r.indicator_code,
    indicatorName: r.indicator_name,
    unit: r.unit,
    regionCode: r.region_code,
    regionName: r.region_name,
    period: r.period,
    level: r.level,
    value: r.value,
    threshold: r.threshold,
    status: r.status,
    raisedAt: r.raised_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: iso(r.closed_at),
    closedReason: r.closed_reason,
    planOpened: r.plan_opened,
    taskIds: r.task_ids,
    incidentId: r.incident_id,
    notes: r.notes,
    actions: alertActions(ctx, r),
  };
}

// ---------------------------------------------------------------- definitions

async function getRecord(deps: Deps, code: string): Promise<store.IndicatorRecord> {
  const r = await store.findIndicator(executor(deps.db), code);
  if (!r) throw new NotFound(`no indicator ${code}`);
  return r;
}

/** Field errors of a definition that its schema cannot see: sources that name nothing, unsound formulas. */
function definitionProblems(input: IndicatorInput): FieldError[] {
  const out: FieldError[] = formulaProblems({ aggregation: input.aggregation, hasDenominator: input.denominator !== null, direction: input.direction, warn: input.warn, alarm: input.alarm });
  for (const [field, source] of [['numerator', input.numerator], ['denominator', input.denominator]] as const) {
    if (source?.kind === 'incidents') {
      try {
        validateIncidentMeasure(source, `body.${field}.type`);
      } catch (err) {
        if (err instanceof Invalid) out.push(...(err.fields ?? []));
        else throw err;
      }
    }
  }
  const reported = [input.numerator, input.denominator].filter((s): s is Extract<IndicatorSource, { kind: 'reported' }> => s?.kind === 'reported');
  if (reported.length === 2 && reported[0]?.level !== reported[1]?.level) out.push({ field: 'body.denominator.level', message: 'both reported components are reported at one level' });
  if (input.numerator.kind === 'population' || input.numerator.kind === 'regions') {
    if (input.denominator?.kind === 'population' || input.denominator?.kind === 'regions') out.push({ field: 'body.numerator', message: 'the numerator or the denominator must change with the period' });
  }
  const planIncident = input.analysisPlan?.incident;
  if (planIncident) {
    try {
      validateIncidentMeasure({ type: planIncident.type, measure: 'reported' }, 'body.analysisPlan.incident.type');
    } catch (err) {
      if (err instanceof Invalid) out.push(...(err.fields ?? []));
      else throw err;
    }
  }
  return out;
}

function toRow(id: string, input: IndicatorInput, by: string): store.IndicatorRow {
  return {
    id,
    code: input.code,
    name: input.name,
    name_en: input.nameEn,
    unit: input.unit,
    description: input.description,
    owner_organization_id: input.ownerOrganizationId,
    numerator: input.numerator,
    denominator: input.denominator,
    factor: input.factor,
    period: input.period,
    aggregation: input.aggregation,
    direction: input.direction,
    warn: input.warn,
    alarm: input.alarm,
    alert_levels: input.alertLevels,
    analysis_plan: input.analysisPlan,
    is_key: input.key,
    created_by_name: by,
  };
}

/** The owner organization's region, which a writer's scope must cover (422 when there is no such organization). */
async function ownerRegion(deps: Deps, ctx: RequestContext, organizationId: string): Promise<string> {
  const org = await getOrganization(deps, systemContext(ctx.requestId), organizationId).catch((err: unknown) => {
    if (err instanceof NotFound) throw new Invalid('no such organization', [{ field: 'body.ownerOrganizationId', message: `no organization ${organizationId}` }]);
    throw err;
  });
  return org.regionCode;
}

/** Defines an indicator (its values are computed by the next scheduled run, or on demand). */
export async function createIndicator(deps: Deps, ctx: RequestContext, input: IndicatorInput): Promise<Indicator> {
  await authorize(deps, ctx, 'indicator:write', { type: 'indicator' });
  const region = await ownerRegion(deps, ctx, input.ownerOrganizationId);
  await authorize(deps, ctx, 'indicator:write', { regionCode: region, type: 'indicator' });
  const problems = definitionProblems(input);
  if (problems.length) throw new Invalid('the indicator definition is not sound', problems);
  const id = newId();
  await withTransaction(deps.db, async (tx) => {
    if (await store.findIndicator(tx, input.code)) throw new Conflict(`an indicator ${input.code} exists`, 'indicator-exists');
    await store.insertIndicator(tx, toRow(id, input, ctx.actor.username));
    await publish(tx, { topic: 'indicator.created', aggregateId: id, regionCode: region, payload: { id, code: input.code } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'indicator.created', resourceType: 'indicator', resourceId: id, regionCode: region, details: { code: input.code } });
  });
  return presentIndicator((await store.findIndicator(executor(deps.db), id)) as store.IndicatorRecord);
}

/** Replaces an indicator's definition (a new version); its values are recomputed by the next run or on demand. */
export async function replaceIndicator(deps: Deps, ctx: RequestContext, code: string, input: IndicatorInput & { status?: 'active' | 'retired' | undefined }): Promise<Indicator> {
  const current = await getRecord(deps, code);
  if (input.code !== current.code) throw new Invalid('the code of an indicator cannot change', [{ field: 'body.code', message: `must be ${current.code}` }]);
  await authorize(deps, ctx, 'indicator:write', { regionCode: current.owner_region_code, type: 'indicator', id: current.id });
  const region = await ownerRegion(deps, ctx, input.ownerOrganizationId);
  await authorize(deps, ctx, 'indicator:write', { regionCode: region, type: 'indicator', id: current.id });
  const problems = definitionProblems(input);
  if (problems.length) throw new Invalid('the indicator definition is not sound', problems);
  await withTransaction(deps.db, async (tx) => {
    await store.replaceIndicator(tx, toRow(current.id, input, ctx.actor.username), input.status ?? current.status);
    await publish(tx, { topic: 'indicator.updated', aggregateId: current.id, regionCode: region, payload: { id: current.id, code } });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'indicator.updated', resourceType: 'indicator', resourceId: current.id, regionCode: region, details: { code, version: current.version + 1 } });
  });
  return presentIndicator((await store.findIndicator(executor(deps.db), current.id)) as store.IndicatorRecord);
}

export async function getIndicator(deps: Deps, ctx: RequestContext, code: string): Promise<Indicator> {
  await authorize(deps, ctx, 'indicator:read', { type: 'indicator' });
  return presentIndicator(await getRecord(deps, code));
}

/** The region a caller looks at by default: their scope, else the (single) province. */
async function defaultRegion(deps: Deps, ctx: RequestContext): Promise<string | undefined> {
  if (ctx.actor.scopeCode) return ctx.actor.scopeCode;
  const { rows } = await executor(deps.db).query<{ code: string }>(`SELECT code FROM region WHERE level = 'province' AND valid_to IS NULL ORDER BY code LIMIT 1`);
  return rows[0]?.code;
}

/** The catalog: definitions with their latest value in the caller's (or the given) region. */
export async function listIndicators(deps: Deps, ctx: RequestContext, q: IndicatorQuery): Promise<{ items: IndicatorSummary[]; total: number; limit: number; offset: number }> {
  const region = q.region ?? (await defaultRegion(deps, ctx));
  await authorize(deps, ctx, 'indicator:read', { type: 'indicator', ...(q.region ? { regionCode: q.region } : {}) });
  const db = executor(deps.db);
  const { rows, total } = await store.listIndicators(db, q, q.limit, q.offset);
  const latest = region ? await store.latestValues(db, rows.map((r) => r.id), region) : new Map<string, store.ValueRecord>();
  const items: IndicatorSummary[] = rows.map((r) => {
    const v = latest.get(r.id);
    return { ...presentIndicator(r), latest: v ? presentValue(v, r.direction) : null };
  });
  return { items, total, limit: q.limit, offset: q.offset };
}

function checkPeriod(kind: PeriodKind, key: string | undefined, field: string): void {
  if (key !== undefined && !isPeriodKey(kind, key)) throw new Invalid(`${key} is not a ${kind} of this indicator`, [{ field, message: `a ${kind} such as ${PERIOD_EXAMPLE[kind]}` }]);
}

/** Values of an indicator: a region's trend, a level's ranking, a region's children — within your scope. */
export async function listValues(deps: Deps, ctx: RequestContext, code: string, q: IndicatorValueQuery): Promise<{ items: IndicatorValue[]; total: number; limit: number; offset: number }> {
  const ind = await getRecord(deps, code);
  for (const [k, field] of [[q.period, 'period'], [q.from, 'from'], [q.to, 'to']] as const) checkPeriod(ind.period, k, `querystring.${field}`);
  const focus = q.region ?? q.parent;
  await authorize(deps, ctx, 'indicator:read', { type: 'indicator', id: ind.id, ...(focus ? { regionCode: focus } : {}) });
  const db = executor(deps.db);
  let parent: store.ValueFilter['parent'];
  if (q.parent) {
    const region = await findCurrentRegion(db, q.parent);
    if (!region) throw new NotFound(`no current region ${q.parent}`);
    const below = LEVELS[levelIndex(region.level as Level) + 1];
    if (!below || !ROLLUP_LEVELS.includes(below)) throw new Invalid(`a ${region.level} has no levels below it with values`, [{ field: 'querystring.parent', message: 'no children with values' }]);
    parent = { code: region.prefix, childLevel: below };
  }
  const { rows, total } = await store.listValues(db, ind.id, {
    scopePrefix: ctx.actor.scopePrefix, region: q.region, parent, level: q.level, period: q.period, from: q.from, to: q.to, status: q.status,
  }, q.sort, q.limit, q.offset);
  return { items: rows.map((r) => presentValue(r, ind.direction)), total, limit: q.limit, offset: q.offset };
}

// ---------------------------------------------------------------- computation

/** The SQL rows of one component of an indicator, or undefined when it has none. */
function sourceSql(ind: store.IndicatorRecord, component: 'numerator' | 'denominator', window: MeasureWindow, p: Params): string | undefined {
  const s = ind[component];
  if (!s) return undefined;
  switch (s.kind) {
    case 'incidents':
      return incidentMeasureSql(s, window, p);
    case 'tasks':
      return taskMeasureSql(s, window, p);
    case 'twin':
      return twinMeasureSql(s, window, p);
    case 'population':
    case 'regions':
      return regionMeasureSql(s, p);
    case 'reported':
      return store.reportedSql(ind.id, component, window, p);
  }
}

async function readComponent(deps: Deps, ind: store.IndicatorRecord, component: 'numerator' | 'denominator', window: MeasureWindow): Promise<ComponentRow[] | null> {
  const p = params();
  const sql = sourceSql(ind, component, window, p);
  if (sql === undefined) return null;
  const rows = await store.componentRows(executor(deps.db), ind.period, sql, p);
  const keyOfDay = new Map<string, string>();
  return rows.map((r) => {
    if (r.day === null) return { code: r.code, period: null, v: r.v };
    let period = keyOfDay.get(r.day);
    if (period === undefined) keyOfDay.set(r.day, (period = periodOfDate(ind.period, r.day)));
    return { code: r.code, period, v: r.v };
  });
}

type AlertEffects = { raised: number; closed: number; incidents: { alertId: string; regionCode: string; period: string; value: number | null }[] };

/** Computes, stores and (for `alertPeriods`) checks thresholds of an indicator for `periods`. */
async function computePeriods(deps: Deps, ind: store.IndicatorRecord, periods: readonly string[], alertPeriods: ReadonlySet<string>): Promise<{ values: number } & AlertEffects> {
  const startedAt = new Date();
  const window = { from: periodBounds(ind.period, periods[0] as string).start, to: periodBounds(ind.period, periods[periods.length - 1] as string).end };
  const numerator = (await readComponent(deps, ind, 'numerator', window)) ?? [];
  const denominator = await readComponent(deps, ind, 'denominator', window);
  const db = executor(deps.db);
  const regions = await currentRegionsAt(db, ROLLUP_LEVELS);
  const reportedLevel = [ind.numerator, ind.denominator].find((s) => s?.kind === 'reported')?.level as Level | undefined;
  const expected = reportedLevel ? regions.filter((r) => r.level === reportedLevel).map((r) => r.code) : [];
  const computed = rollUp({
    formula: { factor: ind.factor, aggregation: ind.aggregation, hasDenominator: ind.denominator !== null },
    periods,
    regions,
    numerator,
    denominator,
    required: { numerator: ind.numerator.kind === 'reported', denominator: ind.denominator?.kind === 'reported' },
    expected,
  });
  const thresholds = { direction: ind.direction, warn: ind.warn, alarm: ind.alarm };
  const rows: store.NewValue[] = computed.map((v) => ({
    period: v.period, region_code: v.regionCode, level: v.level, numerator: v.numerator, denominator: v.denominator, value: v.value, missing: v.missing, status: classify(v.value, thresholds),
  }));
  const effects = await withTransaction(deps.db, async (tx) => {
    await store.replaceValues(tx, ind.id, periods, rows, startedAt);
    await store.markComputed(tx, ind.id, startedAt);
    return alertPeriods.size ? checkThresholds(deps, tx, ind, rows.filter((r) => alertPeriods.has(r.period) && ind.alert_levels.includes(r.level as Level))) : { raised: 0, closed: 0, incidents: [] };
  });
  // the analysis plan's incident: reported after the values are in, by the platform (dispatch takes over)
  for (const inc of effects.incidents) await reportAlertIncident(deps, ind, inc);
  return { values: rows.length, ...effects };
}

/** Raises, raises further and closes alerts for the values given; opens analysis plans. */
async function checkThresholds(deps: Deps, tx: Parameters<typeof store.liveAlerts>[0], ind: store.IndicatorRecord, rows: readonly store.NewValue[]): Promise<AlertEffects> {
  const periods = [...new Set(rows.map((r) => r.period))];
  const live = await store.liveAlerts(tx, ind.id, periods);
  const ctx = systemContext('indicators');
  const plan = ind.analysis_plan;
  const out: AlertEffects = { raised: 0, closed: 0, incidents: [] };
  const opensPlan = (level: 'warn' | 'alarm') => plan !== null && (plan.on === 'warn' || level === 'alarm');
  for (const r of rows) {
    const alert = live.get(`${r.period}|${r.region_code}`);
    if (r.status === 'warn' || r.status === 'alarm') {
      const level = r.status;
      const threshold = level === 'alarm' ? ind.alarm : ind.warn;
      let id = alert?.id;
      if (!alert) {
        id = newId();
        await store.insertAlert(tx, { id, indicator_id: ind.id, region_code: r.region_code, period: r.period, level, value: r.value, threshold });
        await publish(tx, { topic: 'indicator.alert.raised', aggregateId: id, regionCode: r.region_code, payload: { id, indicator: ind.code, period: r.period, level, value: r.value } });
        out.raised += 1;
      } else if (alert.level !== level || alert.value !== r.value) {
        await store.updateAlert(tx, alert.id, { level, value: r.value, threshold }, alert.level !== level ? { by: ctx.actor.username, action: level === 'alarm' ? 'raised' : 'lowered', note: null } : undefined);
      }
      if (opensPlan(level) && !alert?.plan_opened && plan && id) {
        const taskIds = await openPlanTasks(deps, tx, ind, plan, { id, region: r.region_code, period: r.period, value: r.value, level });
        await store.updateAlert(tx, id, { plan_opened: true, task_ids: taskIds }, { by: ctx.actor.username, action: 'plan-opened', note: `${taskIds.length} task(s)` });
        if (plan.incident) out.incidents.push({ alertId: id, regionCode: r.region_code, period: r.period, value: r.value });
      }
    } else if (alert) {
      await store.updateAlert(tx, alert.id, { status: 'closed', closed: true, closed_reason: r.status === 'none' ? 'no value' : 'back within thresholds', value: r.value }, { by: ctx.actor.username, action: 'closed', note: null });
      await publish(tx, { topic: 'indicator.alert.closed', aggregateId: alert.id, regionCode: r.region_code, payload: { id: alert.id, indicator: ind.code, period: r.period } });
      out.closed += 1;
    }
  }
  if (out.raised || out.closed) {
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'indicator.alerts.checked', resourceType: 'indicator', resourceId: ind.id, regionCode: null, details: { code: ind.code, raised: out.raised, closed: out.closed, periods } });
  }
  return out;
}

const fmt = (v: number | null, unit: string) => (v === null ? '—' : `${Math.round(v * 100) / 100}${unit}`);

/** The analysis plan's tasks for an alert, each routed to the region's department of its type. */
async function openPlanTasks(
  deps: Deps,
  tx: Parameters<typeof createTasksIn>[0],
  ind: store.IndicatorRecord,
  plan: NonNullable<store.IndicatorRecord['analysis_plan']>,
  alert: { id: string; region: string; period: string; value: number | null; level: 'warn' | 'alarm' },
): Promise<string[]> {
  const specs: TaskSpec[] = [];
  const context = `${ind.name} ${alert.period}: ${fmt(alert.value, ind.unit)} (${alert.level === 'alarm' ? '告警 alarm' : '预警 warn'} ${fmt(alert.level === 'alarm' ? ind.alarm : ind.warn, ind.unit)})`;
  const checks = plan.checks.length ? `\n\n核查 Checks:\n${plan.checks.map((c, i) => `${i + 1}. ${c}`).join('\n')}` : '';
  for (const [i, t] of plan.tasks.entries()) {
    const org = await routeToDepartment(tx, alert.region, t.departmentType);
    if (!org) continue;
    specs.push({
      key: `analysis-${i + 1}`,
      title: t.title,
      description: `${context}${t.description ? `\n\n${t.description}` : ''}${checks}`,
      regionCode: alert.region,
      organizationId: org.id,
      priority: alert.level === 'alarm' ? 'high' : 'normal',
      deadline: new Date(Date.now() + t.deadlineHours * 3_600_000),
      evidenceRequired: '分析结论 the analysis and what was done',
      source: { kind: 'indicator_alert', ref: alert.id },
    });
  }
  if (!specs.length) return [];
  const ids = await createTasksIn(tx, systemContext('indicators'), deps.config, specs);
  return [...ids.values()];
}

async function reportAlertIncident(deps: Deps, ind: store.IndicatorRecord, inc: AlertEffects['incidents'][number]): Promise<void> {
  const plan = ind.analysis_plan?.incident;
  if (!plan) return;
  const ctx = systemContext('indicators');
  try {
    const outcome = await reportIncident(deps, ctx, {
      typeCode: plan.type, grade: plan.grade, source: 'indicator', regionCode: inc.regionCode, exercise: false, description: `${ind.name} ${inc.period}: ${fmt(inc.value, ind.unit)}`,
      title: `${ind.name}超阈值 ${inc.period}`, attributes: { indicator: ind.code, period: inc.period, alert: inc.alertId },
    });
    await store.updateAlert(executor(deps.db), inc.alertId, { incident_id: outcome.incident.id }, { by: ctx.actor.username, action: 'incident-reported', note: outcome.incident.id });
  } catch (err) {
    // the values and the alert stand; the alert says why dispatch did not take over (a type retired since)
    if (!(err instanceof Invalid || err instanceof NotFound)) throw err;
    await store.updateAlert(executor(deps.db), inc.alertId, {}, { by: ctx.actor.username, action: 'incident-failed', note: err.message });
  }
}

/** The periods a run computes by default: the current one and the one before. */
function recentPeriods(kind: PeriodKind, now: Date): string[] {
  const current = periodAt(kind, now);
  return [previousPeriod(kind, current), current];
}

/** Computes an indicator for a range of periods, on demand. */
export async function computeIndicator(deps: Deps, ctx: RequestContext, code: string, input: ComputeInput): Promise<ComputeResult> {
  const ind = await getRecord(deps, code);
  await authorize(deps, ctx, 'indicator:write', { regionCode: ind.owner_region_code, type: 'indicator', id: ind.id });
  checkPeriod(ind.period, input.from, 'body.from');
  checkPeriod(ind.period, input.to, 'body.to');
  if (ind.status !== 'active') throw new Conflict(`indicator ${code} is retired`, 'indicator-retired');
  const recent = recentPeriods(ind.period, new Date());
  let periods: string[];
  try {
    periods = input.from || input.to ? periodRange(ind.period, input.from ?? input.to ?? '', input.to ?? recent[1] ?? '', MAX_PERIODS) : recent;
  } catch (err) {
    if (err instanceof RangeError) throw new Invalid(err.message, [{ field: 'body.from', message: err.message }]);
    throw err;
  }
  if (!periods.length) throw new Invalid('from is after to', [{ field: 'body.to', message: 'must not be before from' }]);
  const t0 = Date.now();
  const alertPeriods = new Set(input.alerts === true ? periods : input.alerts === false ? [] : periods.filter((p) => recent.includes(p)));
  const r = await computePeriods(deps, ind, periods, alertPeriods);
  return { indicator: ind.code, periods, values: r.values, alertsRaised: r.raised, alertsClosed: r.closed, milliseconds: Date.now() - t0 };
}

/**
 * One scheduled run: every active indicator's current and previous period, and any earlier period whose
 * data changed since its last computation (late data). Alerts are checked for the current and previous period.
 */
export async function runIndicatorSchedule(deps: Deps, opts: { now?: Date } = {}): Promise<{ indicator: string; periods: string[]; raised: number }[]> {
  const now = opts.now ?? new Date();
  const out: { indicator: string; periods: string[]; raised: number }[] = [];
  const failures: unknown[] = [];
  for (const ind of await store.activeIndicators(executor(deps.db))) {
    // one indicator that fails (its data, its plan) does not hold the others up; the run reports it after
    try {
      const recent = recentPeriods(ind.period, now);
      const periods = new Set(recent);
      if (ind.last_computed_at) {
        // periods are named from 1900 on: data observed earlier has no period to fall in
        const window = { from: new Date('1900-01-01T00:00:00+08:00'), to: periodBounds(ind.period, recent[1] as string).end };
        for (const component of ['numerator', 'denominator'] as const) {
          const p = params();
          const sql = sourceSql(ind, component, window, p);
          if (sql === undefined) continue;
          for (const day of await store.changedDays(executor(deps.db), ind.period, sql, p, ind.last_computed_at)) periods.add(periodOfDate(ind.period, day));
        }
      }
      const sorted = [...periods].sort();
      const r = await computePeriods(deps, ind, sorted, new Set(recent));
      out.push({ indicator: ind.code, periods: sorted, raised: r.raised });
    } catch (err) {
      failures.push(new Error(`indicator ${ind.code}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} indicator(s) could not be computed`);
  return out;
}

/** Runs the schedule every `intervalMs` (default five minutes). */
export function startIndicatorSchedule(deps: Deps, opts: { intervalMs?: number; onError?: (err: unknown) => void } = {}): Periodic {
  return startPeriodic(() => runIndicatorSchedule(deps), opts.intervalMs ?? 300_000, opts.onError);
}

// ---------------------------------------------------------------- reports and targets

/** Values reported by organizations for the regions of the indicator's reporting level (late ones included). */
export async function reportValues(deps: Deps, ctx: RequestContext, code: string, input: ReportInput): Promise<{ accepted: number; periods: string[] }> {
  const ind = await getRecord(deps, code);
  await authorize(deps, ctx, 'indicator:report', { type: 'indicator', id: ind.id });
  const db = executor(deps.db);
  const errors: FieldError[] = [];
  const rows: store.NewReport[] = [];
  const levels = new Map<string, Level>();
  const { rows: found } = await db.query<{ code: string; level: Level }>(
    `SELECT code, level FROM region WHERE valid_to IS NULL AND code = ANY ($1::text[])`,
    [[...new Set(input.items.map((i) => i.regionCode))]],
  );
  for (const f of found) levels.set(f.code, f.level);
  for (const [i, item] of input.items.entries()) {
    const source = ind[item.component];
    if (source?.kind !== 'reported') {
      errors.push({ field: `body.items.${i}.component`, message: `the ${item.component} of ${code} is not reported (it is ${source?.kind ?? 'absent'})` });
      continue;
    }
    if (!isPeriodKey(ind.period, item.period)) {
      errors.push({ field: `body.items.${i}.period`, message: `a ${ind.period} such as ${PERIOD_EXAMPLE[ind.period]}` });
      continue;
    }
    const level = levels.get(item.regionCode);
    if (!level) errors.push({ field: `body.items.${i}.regionCode`, message: `no current region ${item.regionCode}` });
    else if (level !== source.level) errors.push({ field: `body.items.${i}.regionCode`, message: `values are reported for each ${source.level}, this is a ${level}` });
    else if (!inScope(ctx.actor.scopePrefix, item.regionCode)) errors.push({ field: `body.items.${i}.regionCode`, message: 'outside your region' });
    else rows.push({ component: item.component, region_code: item.regionCode, period: item.period, period_start: periodBounds(ind.period, item.period).start, value: item.value });
  }
  if (errors.some((e) => e.message === 'outside your region')) throw new Forbidden('some values are for regions outside your region');
  if (errors.length) throw new Invalid('some reported values cannot be accepted; none were', errors);
  await withTransaction(deps.db, async (tx) => {
    await store.upsertReports(tx, ind.id, rows, { id: ctx.actor.userId, name: ctx.actor.username });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'indicator.reported', resourceType: 'indicator', resourceId: ind.id, regionCode: ctx.actor.scopeCode, details: { code, count: rows.length } });
  });
  return { accepted: rows.length, periods: [...new Set(rows.map((r) => r.period))].sort() };
}

/** Sets (or, with null, clears) targets of regions in your scope. */
export async function setTargets(deps: Deps, ctx: RequestContext, code: string, input: TargetInput): Promise<{ accepted: number }> {
  const ind = await getRecord(deps, code);
  await authorize(deps, ctx, 'indicator:write', { type: 'indicator', id: ind.id });
  const errors: FieldError[] = [];
  const { rows: found } = await executor(deps.db).query<{ code: string }>(`SELECT code FROM region WHERE valid_to IS NULL AND code = ANY ($1::text[])`, [[...new Set(input.items.map((i) => i.regionCode))]]);
  const known = new Set(found.map((f) => f.code));
  for (const [i, item] of input.items.entries()) {
    if (!isPeriodKey(ind.period, item.period)) errors.push({ field: `body.items.${i}.period`, message: `a ${ind.period} such as ${PERIOD_EXAMPLE[ind.period]}` });
    if (!known.has(item.regionCode)) errors.push({ field: `body.items.${i}.regionCode`, message: `no current region ${item.regionCode}` });
  }
  if (input.items.some((i) => !inScope(ctx.actor.scopePrefix, i.regionCode))) throw new Forbidden('some targets are for regions outside your region');
  if (errors.length) throw new Invalid('some targets cannot be set; none were', errors);
  await withTransaction(deps.db, async (tx) => {
    await store.setTargets(tx, ind.id, input.items, ctx.actor.username);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'indicator.targets.set', resourceType: 'indicator', resourceId: ind.id, regionCode: ctx.actor.scopeCode, details: { code, count: input.items.length } });
  });
  return { accepted: input.items.length };
}

// ---------------------------------------------------------------- alerts

export async function listAlerts(deps: Deps, ctx: RequestContext, q: AlertQuery): Promise<{ items: IndicatorAlert[]; total: number; limit: number; offset: number }> {
  await authorize(deps, ctx, 'indicator:read', { type: 'indicator-alert', ...(q.region ? { regionCode: q.region } : {}) });
  const db = executor(deps.db);
  let indicatorId: string | undefined;
  if (q.indicator) {
    const ind = await store.findIndicator(db, q.indicator);
    if (!ind) return { items: [], total: 0, limit: q.limit, offset: q.offset };
    indicatorId = ind.id;
  }
  let regionPrefix: string | undefined;
  if (q.region) {
    const region = await findCurrentRegion(db, q.region);
    if (!region) throw new NotFound(`no current region ${q.region}`);
    regionPrefix = region.prefix;
  }
  const { rows, total } = await store.listAlerts(db, { scopePrefix: ctx.actor.scopePrefix, status: q.status, open: q.open, indicatorId, regionPrefix, level: q.level }, q.limit, q.offset);
  return { items: rows.map((r) => presentAlert(ctx, r)), total, limit: q.limit, offset: q.offset };
}

export async function getAlert(deps: Deps, ctx: RequestContext, id: string): Promise<IndicatorAlert> {
  const a = await store.findAlert(executor(deps.db), id);
  if (!a || !inScope(ctx.actor.scopePrefix, a.region_code)) {
    await authorize(deps, ctx, 'indicator:read', { type: 'indicator-alert', id });
    throw new NotFound(`no indicator alert ${id}`);
  }
  await authorize(deps, ctx, 'indicator:read', { type: 'indicator-alert', id, regionCode: a.region_code });
  return presentAlert(ctx, a);
}

/** Acknowledge, close (by hand) or comment on an alert. */
export async function actOnAlert(deps: Deps, ctx: RequestContext, id: string, input: AlertAction): Promise<IndicatorAlert> {
  const db = executor(deps.db);
  const a = await store.findAlert(db, id);
  if (!a || !inScope(ctx.actor.scopePrefix, a.region_code)) {
    await authorize(deps, ctx, 'indicator:write', { type: 'indicator-alert', id });
    throw new NotFound(`no indicator alert ${id}`);
  }
  await authorize(deps, ctx, 'indicator:write', { type: 'indicator-alert', id, regionCode: a.region_code });
  if (input.action === 'comment' && !input.note) throw new Invalid('a comment needs a note', [{ field: 'body.note', message: 'required' }]);
  await withTransaction(deps.db, async (tx) => {
    const cur = (await store.findAlert(tx, id, true)) as store.AlertRecord;
    if (input.action !== 'comment' && cur.status === 'closed') throw new Conflict(`the alert is closed`, 'alert-closed');
    if (input.action === 'acknowledge' && cur.status === 'acknowledged') throw new Conflict('the alert is already acknowledged', 'alert-acknowledged');
    const patch = input.action === 'acknowledge' ? { status: 'acknowledged' as const } : input.action === 'close' ? { status: 'closed' as const, closed: true, closed_reason: input.note ?? 'closed by hand' } : {};
    await store.updateAlert(tx, id, patch, { by: ctx.actor.username, action: input.action, note: input.note ?? null });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: `indicator.alert.${input.action}`, resourceType: 'indicator-alert', resourceId: id, regionCode: cur.region_code, details: { note: input.note ?? null } });
  });
  return presentAlert(ctx, (await store.findAlert(db, id)) as store.AlertRecord);
}

