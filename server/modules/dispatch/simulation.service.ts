// SPDX-License-Identifier: Apache-2.0
// Simulation (仿真推演): replays a period of historical incidents of a region against the resource
// configuration (as it is, and as each variant changes it) and the plans, and reports the response-time
// distribution, unmet requests and cross-region borrowing side by side. Deterministic for a seed: the seed
// decides the time on scene where history does not tell it, and where added resources stand.
import type { Grade } from '../../../contracts/dispatch-incidents.ts';
import type { PlanLevel } from '../../../contracts/dispatch-plans.ts';
import { type Simulation, SimulationInput, type SimulationInputParsed, type SimulationQuery, type SimulationSummary, type VariantResult } from '../../../contracts/dispatch-simulation.ts';
import { levelIndex, levelOfCode, scopePrefixOf } from '../../../contracts/region-codes.ts';
import { today } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { authorize, denied } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion, rng } from '../regions/index.ts';
import { categoryOf, findLeafType, GRADE_OF, slaMinutes } from './incident-types.ts';
import { activePlanVersion, levelFor } from './plans.service.ts';
import * as plans from './plans.store.ts';
import { neighbouringRegions } from './resources.store.ts';
import { histogram, percentile, replay, type SimIncident, type SimOutcome, type SimResource } from './simulation.engine.ts';

const DAY = 86_400_000;
/** Incidents replayed at most in one run. */
const MAX_INCIDENTS = 50_000;

type IncidentRow = { id: string; type_code: string; grade: number; region_code: string; lon: number; lat: number; reported_at: Date; responded_at: Date | null; resolved_at: Date | null };
type ResourceRow = { id: string; type_code: string; capabilities: string[]; region_code: string; lon: number; lat: number; is_stock: boolean; quantity_available: number | null };

/** The county (or the region itself above county level) matching starts from. */
const countyOf = (code: string) => (levelIndex(levelOfCode(code)) > levelIndex('county') ? `${code.slice(0, 6)}000000` : code);

/** Midnight in Asia/Shanghai of a YYYY-MM-DD day, as ms. */
const dayStart = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

function fieldErrors(input: SimulationInputParsed, from: number, to: number): FieldError[] {
  const errors: FieldError[] = [];
  if (to <= from) errors.push({ field: 'body.to', message: 'the period ends before it starts' });
  if (to - from > 3 * 366 * DAY) errors.push({ field: 'body.to', message: 'at most three years at a time' });
  if (input.version !== undefined && input.planId === undefined) errors.push({ field: 'body.version', message: 'a version needs planId' });
  const names = new Set<string>();
  input.variants.forEach((v, i) => {
    if (names.has(v.name) || v.name === '现状') errors.push({ field: `body.variants[${i}].name`, message: `the name ${v.name} is taken` });
    names.add(v.name);
  });
  return errors;
}

/** Runs a simulation and keeps it; answers the result. */
export async function runSimulation(deps: Deps, ctx: RequestContext, raw: SimulationInput): Promise<Simulation> {
  const started = Date.now();
  const parsed = SimulationInput.safeParse(raw);
  if (!parsed.success) {
    throw new Invalid('the simulation is not valid', parsed.error.issues.map((i) => ({ field: ['body', ...i.path.map(String)].join('.'), message: i.message })));
  }
  const input = parsed.data;
  for (const action of ['incident:read', 'resource:read', 'plan:read'] as const) await authorize(deps, ctx, action);
  const db = executor(deps.db);
  const region = await findCurrentRegion(db, input.regionCode);
  if (!region) throw new Invalid('no such region', [{ field: 'body.regionCode', message: `no current region ${input.regionCode}` }]);
  for (const action of ['incident:read', 'resource:read'] as const) await authorize(deps, ctx, action, { regionCode: input.regionCode, type: 'region', id: input.regionCode });
  const to = input.to ? dayStart(input.to) : dayStart(today()) + DAY;
  const from = input.from ? dayStart(input.from) : to - 365 * DAY;
  const errors = fieldErrors(input, from, to);

  // the plan asked for, if any
  let fixed: { planId: string; version: number; scenario: string; levels: PlanLevel[] } | undefined;
  if (input.planId) {
    const plan = await plans.findPlan(db, input.planId);
    const version = plan ? (input.version ?? plan.published_version ?? undefined) : undefined;
    const v = plan && version !== undefined ? await plans.findVersion(db, plan.id, version) : undefined;
    if (!plan || !v) errors.push({ field: input.version ? 'body.version' : 'body.planId', message: plan ? 'the plan has no such (or no published) version' : `no plan ${input.planId}` });
    else fixed = { planId: plan.id, version: v.version, scenario: plan.scenario_type, levels: v.levels };
  }
  // every type changed by a variant exists, every region too
  const speeds = new Map((await db.query<{ code: string; speed_kmh: number }>('SELECT code, speed_kmh FROM resource_type')).rows.map((t) => [t.code, t.speed_kmh]));
  for (const [i, v] of input.variants.entries()) {
    for (const [j, c] of v.changes.entries()) {
      if (!speeds.has(c.type)) errors.push({ field: `body.variants[${i}].changes[${j}].type`, message: `no resource type ${c.type}` });
      if (!(await findCurrentRegion(db, c.regionCode))) errors.push({ field: `body.variants[${i}].changes[${j}].regionCode`, message: `no current region ${c.regionCode}` });
      else if (!scopePrefixOf(c.regionCode).startsWith(ctx.actor.scopePrefix)) errors.push({ field: `body.variants[${i}].changes[${j}].regionCode`, message: `${c.regionCode} is outside your scope` });
    }
  }
  if (errors.length) throw new Invalid('the simulation is not valid', errors);

  const incidentRows = (await db.query<IncidentRow>(
    `SELECT id, type_code, grade, region_code, lon, lat, reported_at, responded_at, resolved_at FROM incident
      WHERE region_code LIKE $1 AND NOT exercise AND status <> 'rejected' AND reported_at >= $2 AND reported_at < $3 AND lon IS NOT NULL AND lat IS NOT NULL
      ORDER BY reported_at, id LIMIT ${MAX_INCIDENTS + 1}`,
    [`${scopePrefixOf(input.regionCode)}%`, new Date(from), new Date(to)],
  )).rows;
  if (incidentRows.length > MAX_INCIDENTS) throw new Invalid(`more than ${MAX_INCIDENTS} incidents in the period: choose a shorter one or a smaller region`, [{ field: 'body.from', message: 'too long a period' }]);

  // the level each incident's plan asks for (cached by type, grade and county)
  const levelCache = new Map<string, PlanLevel | null>();
  const levelOf = async (r: IncidentRow): Promise<PlanLevel | null> => {
    const grade = GRADE_OF[r.grade] as Grade;
    const county = countyOf(r.region_code);
    const key = `${r.type_code}|${grade}|${county}`;
    if (!levelCache.has(key)) {
      if (fixed) {
        const applies = fixed.scenario === r.type_code || fixed.scenario === categoryOf(r.type_code)?.code;
        levelCache.set(key, applies ? (levelFor(fixed.levels, grade) ?? null) : null);
      } else {
        levelCache.set(key, (await activePlanVersion(deps, ctx, { typeCode: r.type_code, grade, regionCode: county }))?.level ?? null);
      }
    }
    return levelCache.get(key) ?? null;
  };
  // where each county borrows from: its neighbours and its parent
  const borrowCache = new Map<string, string[]>();
  const borrowOf = async (county: string): Promise<string[]> => {
    const cached = borrowCache.get(county);
    if (cached) return cached;
    const parent = (await findCurrentRegion(db, county))?.parent_code;
    const prefixes = [...(await neighbouringRegions(db, county)).map((n) => n.prefix), ...(parent ? [scopePrefixOf(parent)] : [])];
    borrowCache.set(county, prefixes);
    return prefixes;
  };

  const seeded = rng(input.seed);
  const incidents: SimIncident[] = [];
  let withoutPlan = 0;
  for (const r of incidentRows) {
    const level = await levelOf(r);
    if (!level) withoutPlan++;
    const county = countyOf(r.region_code);
    // time on scene: as it was, else drawn from the type's resolution deadline
    const known = r.responded_at && r.resolved_at ? (r.resolved_at.getTime() - r.responded_at.getTime()) / 60_000 : undefined;
    const type = findLeafType(r.type_code);
    const drawn = type ? slaMinutes(type, GRADE_OF[r.grade] as Grade).resolve * (0.1 + 0.4 * seeded()) : 60 + 180 * seeded();
    incidents.push({
      id: r.id, at: r.reported_at.getTime(), lon: r.lon, lat: r.lat, homePrefix: scopePrefixOf(county), borrowPrefixes: await borrowOf(county),
      requirements: (level?.resources ?? []).map((q) => ({ type: q.resourceType, capability: q.capability, quantity: q.quantity, maxTravelMinutes: q.maxTravelMinutes })),
      onSceneMinutes: Math.min(2880, Math.max(30, known ?? drawn)),
    });
  }

  // the configuration as it is: every resource in the caller's scope that is in service and offered today
  const day = today();
  const base: SimResource[] = (await db.query<ResourceRow>(
    `SELECT r.id, r.type_code, r.capabilities, r.region_code, r.location[0] AS lon, r.location[1] AS lat, r.is_stock, r.quantity_total AS quantity_available
       FROM resource r
      WHERE r.region_code LIKE $1 AND r.status <> 'unavailable'
        AND (r.owner_kind = 'government' OR (r.agreement_valid_from IS NOT NULL AND r.agreement_valid_from <= $2::date AND (r.agreement_valid_to IS NULL OR r.agreement_valid_to >= $2::date)))
      ORDER BY r.id`,
    [`${ctx.actor.scopePrefix}%`, day],
  )).rows.map((r) => ({ id: r.id, type: r.type_code, capabilities: r.capabilities, regionCode: r.region_code, lon: r.lon, lat: r.lat, isStock: r.is_stock, quantity: r.is_stock ? (r.quantity_available ?? 0) : 1 }));

  const names = new Map<string, string | null>();
  const nameOf = async (code: string) => {
    if (!names.has(code)) names.set(code, (await findCurrentRegion(db, code))?.name ?? null);
    return names.get(code) ?? null;
  };
  const summarize = async (name: string, changes: VariantResult['changes'], o: SimOutcome): Promise<VariantResult> => {
    const sorted = [...o.responseMinutes].sort((a, b) => a - b);
    const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
    const byCounty = new Map<string, number>();
    for (const [code, n] of o.borrowedUnits) byCounty.set(countyOf(code), (byCounty.get(countyOf(code)) ?? 0) + n);
    return {
      name, changes, incidentsWithRequests: o.incidentsWithRequests,
      responseMinutes: { mean: round(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null), p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1) ?? null) },
      histogram: histogram(sorted),
      unmet: { incidents: o.unmetIncidents, units: [...o.unmetUnits.values()].reduce((a, b) => a + b, 0), byType: [...o.unmetUnits].map(([type, units]) => ({ type, units })).sort((a, b) => a.type.localeCompare(b.type)) },
      borrowed: {
        incidents: o.borrowedIncidents, units: [...o.borrowedUnits.values()].reduce((a, b) => a + b, 0),
        byRegion: await Promise.all([...byCounty].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(async ([regionCode, units]) => ({ regionCode, regionName: await nameOf(regionCode), units }))),
      },
      dispatched: [...o.dispatched].map(([type, units]) => ({ type, units })).sort((a, b) => a.type.localeCompare(b.type)),
    };
  };

  const variants: VariantResult[] = [await summarize('现状', [], replay(incidents, base, speeds))];
  for (const v of input.variants) {
    const place = rng(input.seed + 7919 * (variants.length + 1));
    let resources = [...base];
    for (const c of v.changes) {
      const prefix = scopePrefixOf(c.regionCode);
      if (c.delta < 0) {
        const gone = new Set(resources.filter((r) => r.type === c.type && r.regionCode.startsWith(prefix)).slice(0, -c.delta).map((r) => r.id));
        resources = resources.filter((r) => !gone.has(r.id));
      } else {
        const at = (await findCurrentRegion(db, c.regionCode))?.centroid;
        const template = resources.find((r) => r.type === c.type);
        for (let k = 0; k < c.delta; k++) {
          resources.push({
            id: `variant:${variants.length}:${c.type}:${c.regionCode}:${k}`, type: c.type, capabilities: template?.capabilities ?? [], regionCode: c.regionCode,
            lon: (at?.x ?? 0) + (place() - 0.5) * 0.04, lat: (at?.y ?? 0) + (place() - 0.5) * 0.04, isStock: template?.isStock ?? false, quantity: template?.isStock ? template.quantity : 1,
          });
        }
      }
    }
    variants.push(await summarize(v.name, v.changes, replay(incidents, resources, speeds)));
  }

  const id = newId();
  const result: Simulation = {
    id, regionCode: input.regionCode, regionName: region.name, from: dayOf(from), to: dayOf(to), seed: input.seed, planId: fixed?.planId ?? null, version: fixed?.version ?? null,
    incidents: incidents.length, withoutPlan, resources: base.length, variants, elapsedMs: Date.now() - started, createdByName: ctx.actor.username, createdAt: new Date().toISOString(),
  };
  await withTransaction(deps.db, async (tx) => {
    await tx.query('INSERT INTO simulation_run (id, region_code, input, result, created_by, created_by_name) VALUES ($1, $2, $3, $4, $5, $6)', [
      id, input.regionCode, JSON.stringify(input), JSON.stringify(result), ctx.actor.userId, ctx.actor.username,
    ]);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'simulation.run', resourceType: 'simulation', resourceId: id, regionCode: input.regionCode, details: { incidents: incidents.length, variants: variants.length } });
  });
  return result;
}

async function loadRun(db: Executor, id: string): Promise<{ region_code: string; result: Simulation } | undefined> {
  return (await db.query<{ region_code: string; result: Simulation }>('SELECT region_code, result FROM simulation_run WHERE id = $1', [id])).rows[0];
}

export async function getSimulation(deps: Deps, ctx: RequestContext, id: string): Promise<Simulation> {
  await authorize(deps, ctx, 'incident:read');
  const run = await loadRun(executor(deps.db), id);
  if (!run) throw new NotFound(`no simulation ${id}`);
  if (!scopePrefixOf(run.region_code).startsWith(ctx.actor.scopePrefix)) throw await denied(deps, ctx, 'not allowed: the simulation is outside your scope', { type: 'simulation', id, regionCode: run.region_code, requested: 'incident:read' });
  return run.result;
}

export async function listSimulations(deps: Deps, ctx: RequestContext, q: SimulationQuery) {
  await authorize(deps, ctx, 'incident:read');
  const prefix = q.regionCode ? scopePrefixOf(q.regionCode) : ctx.actor.scopePrefix;
  const db = executor(deps.db);
  const like = `${(prefix.startsWith(ctx.actor.scopePrefix) ? prefix : ctx.actor.scopePrefix).replace(/[%_\\]/g, '\\$&')}%`;
  const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM simulation_run WHERE region_code LIKE $1', [like])).rows[0]?.n ?? 0;
  const { rows } = await db.query<{ result: Simulation }>('SELECT result FROM simulation_run WHERE region_code LIKE $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3', [like, q.limit, q.offset]);
  const items: SimulationSummary[] = rows.map(({ result: { variants, ...rest } }) => ({ ...rest, variantNames: variants.map((v) => v.name) }));
  return { items, total, limit: q.limit, offset: q.offset };
}
