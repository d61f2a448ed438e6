// SPDX-License-Identifier: Apache-2.0
// Masking of classified fields (ID-card numbers, phones, …) for actors without the clearance to see them.
import type { FieldClassification } from '../../../contracts/identity.ts';
import type { Actor } from '../../platform/context.ts';
import type { Executor } from '../../platform/db.ts';
import { hasClearance } from './access.policy.ts';

/** Masks one value in the style of its kind. */
export function maskValue(kind: FieldClassification['masking'], value: string): string {
  switch (kind) {
    case 'phone':
      return value.length >= 7 ? `${value.slice(0, 3)}****${value.slice(-4)}` : '****';
    case 'id-card':
      return value.length >= 10 ? `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}` : '****';
    case 'name':
      return value.length <= 1 ? '*' : `${value.slice(0, 1)}${'*'.repeat(Math.min(value.length - 1, 3))}`;
    case 'email': {
      const at = value.indexOf('@');
      return at > 0 ? `${value.slice(0, 1)}***${value.slice(at)}` : '***';
    }
    default:
      return '******';
  }
}

/** Classification rules loaded once per request: entity → field → rule. */
export type ClassificationRules = Map<string, Map<string, FieldClassification>>;

export async function loadClassificationRules(db: Executor): Promise<ClassificationRules> {
  const { rows } = await db.query<FieldClassification>('SELECT entity, field, classification, masking FROM field_classification');
  const rules: ClassificationRules = new Map();
  for (const r of rows) {
    const byField = rules.get(r.entity) ?? new Map<string, FieldClassification>();
    byField.set(r.field, r);
    rules.set(r.entity, byField);
  }
  return rules;
}

/**
 * Returns `record` with each classified field masked when the actor lacks clearance for it.
 * `selfOwned` lets a person see their own personal data.
 */
export function maskRecord<T extends Record<string, unknown>>(actor: Actor, rules: ClassificationRules, entity: string, record: T, selfOwned = false): T {
  const byField = rules.get(entity);
  if (!byField || selfOwned) return record;
  const out: Record<string, unknown> = { ...record };
  for (const [field, rule] of byField) {
    const value = out[field];
    if (typeof value === 'string' && value !== '' && !hasClearance(actor, rule.classification)) out[field] = maskValue(rule.masking, value);
  }
  return out as T;
}
