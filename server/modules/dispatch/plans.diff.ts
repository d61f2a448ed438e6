// SPDX-License-Identifier: Apache-2.0
// The structured diff of two plan versions (pure): plan fields, triggers added and removed, and per response
// level the steps, resource requirements and warnings added, removed and changed (field by field).
import type { FieldChange, ItemChanges, PlanContent, PlanDiff, PlanLevel, PlanTrigger } from '../../../contracts/dispatch-plans.ts';
import { canonicalJson } from '../../platform/crypto.ts';
import { resourceKey } from './plans.structure.ts';

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function fieldChanges(a: Record<string, unknown>, b: Record<string, unknown>, skip: string[] = []): FieldChange[] {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => !skip.includes(f)).sort();
  return fields.filter((f) => !same(a[f], b[f])).map((f) => ({ field: f, from: a[f] ?? null, to: b[f] ?? null }));
}

function itemChanges<T extends Record<string, unknown>>(from: readonly T[], to: readonly T[], keyOf: (item: T) => string, skip: string[] = []): ItemChanges {
  const a = new Map(from.map((x) => [keyOf(x), x]));
  const b = new Map(to.map((x) => [keyOf(x), x]));
  const changed: ItemChanges['changed'] = [];
  for (const [key, x] of b) {
    const old = a.get(key);
    if (!old) continue;
    const changes = fieldChanges(old, x, skip);
    if (changes.length) changed.push({ key, changes });
  }
  return { added: [...b.keys()].filter((k) => !a.has(k)), removed: [...a.keys()].filter((k) => !b.has(k)), changed };
}

const empty = (c: ItemChanges) => c.added.length === 0 && c.removed.length === 0 && c.changed.length === 0;
const NO_LEVEL: PlanLevel = { level: 'IV', steps: [], resources: [], notifications: [] };

/** What changed from `a` (version `from`) to `b` (version `to`). Unchanged levels are left out. */
export function diffContents(from: number, a: PlanContent, to: number, b: PlanContent): PlanDiff {
  const fields = fieldChanges({ name: a.name, applicableRegions: [...a.applicableRegions].sort() }, { name: b.name, applicableRegions: [...b.applicableRegions].sort() });
  const triggerKey = (t: PlanTrigger) => canonicalJson(t);
  const aTriggers = new Set(a.triggers.map(triggerKey));
  const bTriggers = new Set(b.triggers.map(triggerKey));
  const levels: PlanDiff['levels'] = [];
  for (const level of ['I', 'II', 'III', 'IV'] as const) {
    const la = a.levels.find((l) => l.level === level);
    const lb = b.levels.find((l) => l.level === level);
    if (!la && !lb) continue;
    const x = la ?? NO_LEVEL;
    const y = lb ?? NO_LEVEL;
    const entry = {
      level,
      change: !la ? ('added' as const) : !lb ? ('removed' as const) : ('changed' as const),
      steps: itemChanges(x.steps, y.steps, (s) => s.key, ['key']),
      resources: itemChanges(x.resources, y.resources, (r) => resourceKey(r), ['resourceType', 'capability']),
      notifications: itemChanges(x.notifications, y.notifications, (n) => n.key, ['key']),
    };
    if (entry.change !== 'changed' || !empty(entry.steps) || !empty(entry.resources) || !empty(entry.notifications)) levels.push(entry);
  }
  return {
    from,
    to,
    fields,
    triggers: { added: b.triggers.filter((t) => !aTriggers.has(triggerKey(t))), removed: a.triggers.filter((t) => !bTriggers.has(triggerKey(t))) },
    levels,
  };
}
