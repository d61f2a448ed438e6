// SPDX-License-Identifier: Apache-2.0
// Automatic intake (自动感知): rules that watch a numeric attribute of the twin's entities and report an
// incident when it crosses a threshold — a fixed value, or another attribute of the same entity (a water
// level station's own warning level). Evaluated on every twin write (outbox events), one open incident per
// rule and entity.
import type { Grade, IntakeResult, IntakeRule, IntakeRuleInput, IntakeRulePatch, IntakeRuleQuery } from '../../../contracts/dispatch-incidents.ts';
import { inScope, scopePrefixOf } from '../../../contracts/region-codes.ts';
import { type RequestContext, systemContext } from '../../platform/context.ts';
import { type Executor, executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { DeliveredEvent } from '../../platform/outbox.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { readNumericAttributes } from '../twin/index.ts';
import { findLeafType, GRADE_NUMBER, GRADE_OF } from './incident-types.ts';
import { reportIncident } from './incidents.service.ts';

type RuleRecord = {
  id: string;
  name: string;
  region_code: string;
  region_name: string | null;
  entity_type: string;
  attribute: string;
  comparison: 'gt' | 'gte' | 'lt' | 'lte';
  threshold: number | null;
  threshold_attribute: string | null;
  incident_type: string;
  grade: number;
  active: boolean;
  fired: number;
  last_fired_at: Date | null;
  created_by_name: string;
  created_at: Date;
};

const SELECT_RULE = `SELECT r.*, (SELECT rg.name FROM region rg WHERE rg.code = r.region_code AND rg.valid_to IS NULL LIMIT 1) AS region_name FROM incident_intake_rule r`;

function present(r: RuleRecord): IntakeRule {
  return {
    id: r.id, name: r.name, regionCode: r.region_code, regionName: r.region_name, entityType: r.entity_type, attribute: r.attribute, comparison: r.comparison,
    threshold: r.threshold, thresholdAttribute: r.threshold_attribute, incidentType: r.incident_type, grade: GRADE_OF[r.grade] as Grade, active: r.active,
    fired: r.fired, lastFiredAt: r.last_fired_at?.toISOString() ?? null, createdByName: r.created_by_name, createdAt: r.created_at.toISOString(),
  };
}

const like = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;

export async function listIntakeRules(deps: Deps, ctx: RequestContext, q: IntakeRuleQuery) {
  await authorize(deps, ctx, 'incident:read');
  const values: unknown[] = [like(ctx.actor.scopePrefix)];
  const clauses = ['r.region_code LIKE $1'];
  if (q.entityType) {
    values.push(q.entityType);
    clauses.push(`r.entity_type = $${values.length}`);
  }
  if (q.active !== undefined) {
    values.push(q.active);
    clauses.push(`r.active = $${values.length}`);
  }
  const db = executor(deps.db);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident_intake_rule r ${where}`, values)).rows[0]?.n ?? 0;
  const { rows } = await db.query<RuleRecord>(`${SELECT_RULE} ${where} ORDER BY r.created_at DESC, r.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`, [...values, q.limit, q.offset]);
  return { items: rows.map(present), total, limit: q.limit, offset: q.offset };
}

async function findRule(db: Executor, id: string): Promise<RuleRecord | undefined> {
  return (await db.query<RuleRecord>(`${SELECT_RULE} WHERE r.id = $1`, [id])).rows[0];
}

/** Creates a rule for a region in the caller's scope (incident managers). */
export async function createIntakeRule(deps: Deps, ctx: RequestContext, input: IntakeRuleInput): Promise<IntakeRule> {
  await authorize(deps, ctx, 'incident:manage');
  const db = executor(deps.db);
  if (!(await findCurrentRegion(db, input.regionCode))) throw new Invalid('no such region', [{ field: 'body.regionCode', message: `no current region ${input.regionCode}` }]);
  if (!findLeafType(input.incidentType)) throw new Invalid('no such incident type', [{ field: 'body.incidentType', message: `${input.incidentType} is not an incident type (see GET /api/incident-types)` }]);
  if (input.thresholdAttribute === input.attribute) throw new Invalid('the threshold is another attribute', [{ field: 'body.thresholdAttribute', message: 'the same as the attribute watched' }]);
  await authorize(deps, ctx, 'incident:manage', { regionCode: input.regionCode, type: 'intake-rule' });
  const id = newId();
  return withTransaction(deps.db, async (tx) => {
    await tx.query(
      `INSERT INTO incident_intake_rule (id, name, region_code, entity_type, attribute, comparison, threshold, threshold_attribute, incident_type, grade, active, created_by, created_by_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [id, input.name, input.regionCode, input.entityType, input.attribute, input.comparison, input.threshold ?? null, input.thresholdAttribute ?? null, input.incidentType,
        GRADE_NUMBER[input.grade], input.active, ctx.actor.userId, ctx.actor.username],
    );
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'intake-rule.created', resourceType: 'intake-rule', resourceId: id, regionCode: input.regionCode, details: { ...input } });
    return present((await findRule(tx, id)) as RuleRecord);
  });
}

export async function updateIntakeRule(deps: Deps, ctx: RequestContext, id: string, patch: IntakeRulePatch): Promise<IntakeRule> {
  await authorize(deps, ctx, 'incident:manage');
  const r = await findRule(executor(deps.db), id);
  if (!r) throw new NotFound(`no intake rule ${id}`);
  await authorize(deps, ctx, 'incident:manage', { regionCode: r.region_code, type: 'intake-rule', id });
  if (patch.threshold !== undefined && r.threshold_attribute) {
    throw new Invalid('this rule compares with an attribute', [{ field: 'body.threshold', message: `the threshold is the entity's ${r.threshold_attribute}` }]);
  }
  return withTransaction(deps.db, async (tx) => {
    await tx.query(
      `UPDATE incident_intake_rule SET name = coalesce($2, name), grade = coalesce($3, grade), active = coalesce($4, active), threshold = coalesce($5, threshold), modified_at = now() WHERE id = $1`,
      [id, patch.name ?? null, patch.grade ? GRADE_NUMBER[patch.grade] : null, patch.active ?? null, patch.threshold ?? null],
    );
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'intake-rule.updated', resourceType: 'intake-rule', resourceId: id, regionCode: r.region_code, details: { ...patch } });
    return present((await findRule(tx, id)) as RuleRecord);
  });
}

const CROSSES: Record<RuleRecord['comparison'], (v: number, t: number) => boolean> = {
  gt: (v, t) => v > t, gte: (v, t) => v >= t, lt: (v, t) => v < t, lte: (v, t) => v <= t,
};
const SYMBOL: Record<RuleRecord['comparison'], string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

/**
 * Evaluates the active rules against the current values of the given entities and reports an incident
 * (source `twin`) for each rule and entity over its threshold, unless the incident it raised before is
 * still open. A reading near an open incident of the same type joins it (the usual duplicate rule).
 */
export async function evaluateIntake(deps: Deps, entityIds: readonly string[]): Promise<IntakeResult> {
  const db = executor(deps.db);
  const rules = (await db.query<RuleRecord>(`${SELECT_RULE} WHERE r.active ORDER BY r.created_at, r.id`)).rows;
  const result: IntakeResult = { evaluated: 0, reported: [] };
  if (rules.length === 0 || entityIds.length === 0) return result;
  const types = [...new Set(rules.map((r) => r.entity_type))];
  const terms = [...new Set(rules.flatMap((r) => [r.attribute, ...(r.threshold_attribute ? [r.threshold_attribute] : [])]))];
  const ctx = systemContext('intake');
  for (let i = 0; i < entityIds.length; i += 1000) {
    const readings = await readNumericAttributes(db, entityIds.slice(i, i + 1000), types, terms);
    for (const reading of readings) {
      for (const rule of rules) {
        if (rule.entity_type !== reading.type || !inScope(scopePrefixOf(rule.region_code), reading.regionCode)) continue;
        const value = reading.values[rule.attribute];
        const threshold = rule.threshold ?? (rule.threshold_attribute ? reading.values[rule.threshold_attribute] : undefined);
        if (value === undefined || threshold === undefined || threshold === null) continue;
        result.evaluated++;
        if (!CROSSES[rule.comparison](value, threshold)) continue;
        const open = await db.query(
          `SELECT 1 FROM incident_intake_state s JOIN incident i ON i.id = s.incident_id
            WHERE s.rule_id = $1 AND s.entity_id = $2 AND i.status IN ('reported', 'verified', 'responding')`,
          [rule.id, reading.id],
        );
        if (open.rows.length) continue;
        const label = reading.name ?? reading.id;
        const outcome = await reportIncident(deps, ctx, {
          typeCode: rule.incident_type,
          grade: GRADE_OF[rule.grade] as Grade,
          title: `${label}：${rule.name}`.slice(0, 200),
          description: `${rule.attribute} = ${value} ${SYMBOL[rule.comparison]} ${rule.threshold_attribute ?? 'threshold'} ${threshold}`,
          ...(reading.lon !== null && reading.lat !== null ? { lon: reading.lon, lat: reading.lat } : { regionCode: reading.regionCode }),
          exercise: false,
          source: 'twin',
          attributes: { entityId: reading.id, entityType: reading.type, attribute: rule.attribute, value: String(value), threshold: String(threshold), intakeRuleId: rule.id },
        }).catch((err: unknown) => {
          // a reading that cannot become an incident (e.g. placed in no region) is skipped, not retried
          if (err instanceof AppError && err.status < 500) return undefined;
          throw err;
        });
        if (!outcome) continue;
        await withTransaction(deps.db, async (tx) => {
          await tx.query(
            `INSERT INTO incident_intake_state (rule_id, entity_id, incident_id, value) VALUES ($1, $2, $3, $4)
             ON CONFLICT (rule_id, entity_id) DO UPDATE SET incident_id = excluded.incident_id, value = excluded.value, fired_at = now()`,
            [rule.id, reading.id, outcome.incident.id, value],
          );
          await tx.query('UPDATE incident_intake_rule SET fired = fired + 1, last_fired_at = now() WHERE id = $1', [rule.id]);
        });
        result.reported.push({ ruleId: rule.id, entityId: reading.id, incidentId: outcome.incident.id, duplicate: outcome.duplicate, value });
      }
    }
  }
  return result;
}

/** The entity ids a twin event concerns. */
function entityIdsOf(e: DeliveredEvent): string[] {
  const p = e.payload as { id?: unknown; created?: unknown; updated?: unknown };
  const ids = [p.id, ...(Array.isArray(p.created) ? p.created : []), ...(Array.isArray(p.updated) ? p.updated : [])];
  return ids.filter((x): x is string => typeof x === 'string');
}

/** Evaluates the intake rules on every twin write, from the outbox (a failure is retried by the dispatcher). */
export function registerIncidentIntake(deps: Deps): void {
  for (const topic of ['twin.entity.created', 'twin.entity.updated', 'twin.entities.upserted']) {
    deps.outbox.subscribe(topic, async (e) => {
      await evaluateIntake(deps, entityIdsOf(e));
    });
  }
}

/** The demo's intake rule: a water-level station reaching its own warning level reports a flood of grade III. */
export async function seedDemoIntakeRules(deps: Deps, ctx: RequestContext, opts: { provinceCode: string }): Promise<number> {
  await createIntakeRule(deps, ctx, {
    name: '水位超警戒', regionCode: opts.provinceCode, entityType: 'WaterLevelSensor', attribute: 'waterLevel', comparison: 'gte', thresholdAttribute: 'warningLevel',
    incidentType: 'flood', grade: 'III', active: true,
  });
  return 1;
}
