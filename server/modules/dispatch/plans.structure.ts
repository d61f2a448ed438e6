// SPDX-License-Identifier: Apache-2.0
// The rules a plan's content must keep beyond its shape (pure: unit-tested beside it): known incident
// types, roles and resource types; unique keys; step dependencies that name steps of the same level,
// form no cycle, and fall due no later than the steps that depend on them.
import type { PlanContent, PlanStep } from '../../../contracts/dispatch-plans.ts';
import type { FieldError } from '../../platform/errors.ts';
import { describeIncidentType } from './incident-types.ts';
import { findPlanRole } from './plan-roles.ts';

/** What the rules look things up in: the resource type codes of the catalog. */
export type StructureCatalogs = { resourceTypes: ReadonlySet<string> };

/** The identity of a resource requirement within its level (a type, and a capability if given). */
export function resourceKey(r: { resourceType: string; capability: string | null }): string {
  return r.capability ? `${r.resourceType}/${r.capability}` : r.resourceType;
}

/** Every cycle among the steps, each as the keys along it (the first key repeated at the end). */
export function dependencyCycles(steps: readonly Pick<PlanStep, 'key' | 'dependsOn'>[]): string[][] {
  const deps = new Map(steps.map((s) => [s.key, s.dependsOn]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const path: string[] = [];
  const visit = (key: string) => {
    state.set(key, 'open');
    path.push(key);
    for (const next of deps.get(key) ?? []) {
      if (!deps.has(next)) continue; // unknown keys are reported on their own
      const s = state.get(next);
      if (s === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    path.pop();
    state.set(key, 'done');
  };
  for (const s of steps) if (!state.has(s.key)) visit(s.key);
  return cycles;
}

/** The rule violations of a plan's content, each with the field it concerns under `prefix` (e.g. `body`). */
export function structureProblems(content: Pick<PlanContent, 'triggers' | 'levels'>, catalogs: StructureCatalogs, prefix = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  content.triggers.forEach((t, i) => {
    if (t.kind === 'incident' && !describeIncidentType(t.typeCode)) errors.push({ field: `${prefix}.triggers[${i}].typeCode`, message: `no incident type ${t.typeCode}` });
  });
  const levels = new Set<string>();
  content.levels.forEach((level, li) => {
    const at = `${prefix}.levels[${li}]`;
    if (levels.has(level.level)) errors.push({ field: `${at}.level`, message: `level ${level.level} appears twice` });
    levels.add(level.level);

    const steps = new Map<string, PlanStep>();
    level.steps.forEach((s, si) => {
      if (steps.has(s.key)) errors.push({ field: `${at}.steps[${si}].key`, message: `step key ${s.key} appears twice in level ${level.level}` });
      else steps.set(s.key, s);
      if (!findPlanRole(s.roleKey)) errors.push({ field: `${at}.steps[${si}].roleKey`, message: `no role ${s.roleKey} in the role catalog` });
    });
    level.steps.forEach((s, si) => {
      const seen = new Set<string>();
      s.dependsOn.forEach((d, di) => {
        const field = `${at}.steps[${si}].dependsOn[${di}]`;
        if (d === s.key) errors.push({ field, message: `step ${s.key} depends on itself` });
        else if (seen.has(d)) errors.push({ field, message: `step ${s.key} names ${d} twice` });
        else {
          const dep = steps.get(d);
          if (!dep) errors.push({ field, message: `step ${s.key} depends on ${d}, which is no step of level ${level.level}` });
          else if (dep.deadlineMinutes > s.deadlineMinutes) {
            errors.push({ field: `${at}.steps[${si}].deadlineMinutes`, message: `step ${s.key} is due at ${s.deadlineMinutes} min, before ${d} (${dep.deadlineMinutes} min) it depends on` });
          }
        }
        seen.add(d);
      });
    });
    for (const cycle of dependencyCycles(level.steps.filter((s) => !s.dependsOn.includes(s.key)))) {
      const si = level.steps.findIndex((s) => s.key === cycle[0]);
      errors.push({ field: `${at}.steps[${si}].dependsOn`, message: `dependency cycle ${cycle.join(' → ')}` });
    }

    const resources = new Set<string>();
    level.resources.forEach((r, ri) => {
      if (!catalogs.resourceTypes.has(r.resourceType)) errors.push({ field: `${at}.resources[${ri}].resourceType`, message: `no resource type ${r.resourceType} in the catalog` });
      const key = resourceKey(r);
      if (resources.has(key)) errors.push({ field: `${at}.resources[${ri}]`, message: `${key} appears twice in level ${level.level}; give one requirement with the total` });
      resources.add(key);
    });
    const notifications = new Set<string>();
    level.notifications.forEach((n, ni) => {
      if (notifications.has(n.key)) errors.push({ field: `${at}.notifications[${ni}].key`, message: `notification key ${n.key} appears twice in level ${level.level}` });
      notifications.add(n.key);
    });
  });
  return errors;
}

/** The role keys the steps of every level use, sorted. */
export function rolesUsed(content: Pick<PlanContent, 'levels'>): string[] {
  return [...new Set(content.levels.flatMap((l) => l.steps.map((s) => s.roleKey)))].sort();
}
