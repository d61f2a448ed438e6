// SPDX-License-Identifier: Apache-2.0
// Replication (复制推广): a plan version exported as a self-contained package (YAML or JSON) and imported into
// another region as a new draft, its roles re-bound to that region's organizations and its resource types
// matched by code. A bad package is refused whole with the list of its problems; nothing is written.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type BindReport, type ImportQuery, type ImportResult, PLAN_PACKAGE_FORMAT, PLAN_PACKAGE_MAX_BYTES, PlanPackage, type PlanRole } from '../../../contracts/dispatch-plans.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, type FieldError, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { describeIncidentType } from './incident-types.ts';
import { findPlanRole } from './plan-roles.ts';
import { proposeBindings } from './plans.bindings.ts';
import { contentOf, contentProblems, getPlan, loadPlan, writeFirstVersion } from './plans.service.ts';
import * as store from './plans.store.ts';
import { rolesUsed } from './plans.structure.ts';

/** An exported package as text, with its media type and a file name. */
export type ExportedPackage = { text: string; contentType: string; filename: string };

/** Exports a version as a package in YAML or JSON. */
export async function exportPlanVersion(deps: Deps, ctx: RequestContext, id: string, version: number, format: 'yaml' | 'json'): Promise<ExportedPackage> {
  const p = await loadPlan(deps, ctx, id, 'plan:read');
  const db = executor(deps.db);
  const v = await store.findVersion(db, id, version);
  if (!v) throw new NotFound(`plan ${p.code} has no version ${version}`);
  const content = contentOf(v);
  const usedTypes = new Set(content.levels.flatMap((l) => l.resources.map((r) => r.resourceType)));
  const pkg: PlanPackage = {
    format: PLAN_PACKAGE_FORMAT,
    exportedAt: new Date().toISOString(),
    source: { regionCode: p.region_code, code: p.code, version },
    plan: { code: p.code, scenarioType: p.scenario_type, ...content },
    roles: rolesUsed(content).map((k) => findPlanRole(k)).filter((r): r is PlanRole => r !== undefined)
      .map((r) => ({ key: r.key, name: r.name, nameEn: r.nameEn, departmentType: r.departmentType, level: r.level })),
    resourceTypes: (await store.resourceTypeNames(db)).filter((t) => usedTypes.has(t.code)).map((t) => ({ code: t.code, nameZh: t.name_zh, nameEn: t.name_en, unit: t.unit })),
  };
  const filename = `${p.code}-v${version}.${format}`;
  return format === 'yaml'
    ? { text: stringifyYaml(pkg, { lineWidth: 0 }), contentType: 'application/yaml; charset=utf-8', filename }
    : { text: `${JSON.stringify(pkg, null, 2)}\n`, contentType: 'application/json; charset=utf-8', filename };
}

/** Reads a package from the request body: YAML or JSON text, or JSON already parsed. */
export function readPackage(body: unknown): PlanPackage {
  let value: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    if (Buffer.byteLength(text) > PLAN_PACKAGE_MAX_BYTES) throw new Invalid(`the package exceeds ${PLAN_PACKAGE_MAX_BYTES} bytes`, [{ field: 'body', message: 'too large' }], 'package-too-large');
    try {
      // YAML 1.2 reads JSON too; aliases are capped so that a small file cannot expand into a huge one
      value = parseYaml(text, { maxAliasCount: 50, uniqueKeys: true });
    } catch (err) {
      throw new Invalid('the package is neither valid YAML nor JSON', [{ field: 'body', message: err instanceof Error ? err.message.split('\n')[0] ?? 'unreadable' : 'unreadable' }], 'invalid-package');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Invalid('the package must be an object', [{ field: 'body', message: 'expected a plan package object' }], 'invalid-package');
  }
  const parsed = PlanPackage.safeParse(value);
  if (!parsed.success) {
    throw new Invalid('the package is not a valid plan package', parsed.error.issues.slice(0, 50).map((i) => ({ field: ['package', ...i.path.map(String)].join('.'), message: i.message })), 'invalid-package');
  }
  return parsed.data;
}

/**
 * Imports a package into a region of the caller's scope as a new plan whose version 1 is a draft
 * applying to that region, with roles bound by proposal. `dryRun` answers the bind report only.
 */
export async function importPlanPackage(deps: Deps, ctx: RequestContext, q: ImportQuery, body: unknown): Promise<ImportResult> {
  await authorize(deps, ctx, 'plan:write', { regionCode: q.regionCode, type: 'plan' });
  const pkg = readPackage(body);
  const db = executor(deps.db);
  const errors: FieldError[] = [];
  if (!(await findCurrentRegion(db, q.regionCode))) throw new Invalid('no such region', [{ field: 'querystring.regionCode', message: `no current region ${q.regionCode}` }]);
  const code = q.code ?? pkg.plan.code;
  const content = { name: pkg.plan.name, applicableRegions: [q.regionCode], triggers: pkg.plan.triggers, levels: pkg.plan.levels };

  const incidentTypes = [pkg.plan.scenarioType, ...pkg.plan.triggers.flatMap((t) => (t.kind === 'incident' ? [t.typeCode] : []))];
  const unknownIncidentType = incidentTypes.find((t) => !describeIncidentType(t)) ?? null;
  if (!describeIncidentType(pkg.plan.scenarioType)) errors.push({ field: 'package.plan.scenarioType', message: `no incident type ${pkg.plan.scenarioType} here` });
  const knownTypes = new Set((await store.resourceTypeNames(db)).map((t) => t.code));
  const unknownResourceTypes = [...new Set(pkg.plan.levels.flatMap((l) => l.resources.map((r) => r.resourceType)))].filter((t) => !knownTypes.has(t)).sort();
  const used = rolesUsed(content);
  const unknownRoles = used.filter((k) => !findPlanRole(k));
  // the catalogs' problems (types, roles, dependencies) come with their place in the package
  errors.push(...(await contentProblems(db, content, q.regionCode, 'package.plan')).filter((e) => !e.field.startsWith('package.plan.applicableRegions')));

  let ownerId = q.ownerOrganizationId;
  if (ownerId) {
    const org = (await store.findOrganizations(db, [ownerId]))[0];
    if (!org || !org.active) errors.push({ field: 'querystring.ownerOrganizationId', message: org ? 'the organization is inactive' : 'no such organization' });
  } else {
    const emergency = (await proposeBindings(db, q.regionCode, [{ key: 'owner', name: '', nameEn: '', departmentType: 'emergency-management', level: 'county' }])).get('owner');
    ownerId = emergency?.organizationId ?? ctx.actor.organizationId ?? undefined;
    if (!ownerId) errors.push({ field: 'querystring.ownerOrganizationId', message: `no emergency management department in or above ${q.regionCode}: name the owner` });
  }
  if (await store.findPlanByCode(db, q.regionCode, code)) errors.push({ field: 'querystring.code', message: `region ${q.regionCode} already has a plan ${code}: give another code` });

  const proposals = await proposeBindings(db, q.regionCode, used.map((k) => findPlanRole(k)).filter((r): r is PlanRole => r !== undefined));
  const report: BindReport = {
    regionCode: q.regionCode,
    bound: [...proposals].map(([roleKey, o]) => ({ roleKey, organizationId: o.organizationId, organizationName: o.organizationName })).sort((a, b) => a.roleKey.localeCompare(b.roleKey)),
    unbound: used.filter((k) => findPlanRole(k) && !proposals.has(k)),
    unknownRoles,
    unknownResourceTypes,
    unknownIncidentType,
  };
  if (q.dryRun) return { importable: errors.length === 0, plan: null, report };
  if (errors.length || !ownerId) throw new Invalid('the package cannot be imported here', errors, 'invalid-package');
  const owner = ownerId;
  const id = newId();
  await withTransaction(deps.db, async (tx) => {
    const ok = await store.insertPlan(tx, {
      id, code, name: content.name, scenario_type: pkg.plan.scenarioType, region_code: q.regionCode, owner_organization_id: owner,
      imported_from: { regionCode: pkg.source.regionCode, code: pkg.source.code, version: pkg.source.version }, created_by: ctx.actor.userId,
    });
    if (!ok) throw new Conflict(`region ${q.regionCode} already has a plan ${code}`);
    await writeFirstVersion(tx, ctx, id, content, 'import', `imported from ${pkg.source.regionCode} ${pkg.source.code} v${pkg.source.version}`);
    for (const b of report.bound) {
      await store.upsertBinding(tx, { plan_id: id, version: 1, region_code: q.regionCode, role_key: b.roleKey, organization_id: b.organizationId, source: 'auto', bound_by: ctx.actor.userId });
    }
    const details = { code, source: pkg.source, bound: report.bound.length, unbound: report.unbound };
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'plan.imported', resourceType: 'plan', resourceId: id, regionCode: q.regionCode, details });
    await publish(tx, { topic: 'plan.imported', aggregateId: id, regionCode: q.regionCode, payload: { id, ...details } });
  });
  return { importable: true, plan: await getPlan(deps, ctx, id), report };
}
