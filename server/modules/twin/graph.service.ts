// SPDX-License-Identifier: Apache-2.0
// The entity graph: relationships followed n hops from one entity, in both directions ("everything linked to
// this building": residents, businesses, sensors, incidents), as nodes and edges for the console. Entities the
// caller may not see are neither returned nor followed.
import type { Graph } from '../../../contracts/twin.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFound } from '../../platform/errors.ts';
import { authorize } from '../access/index.ts';
import type { EntityRow } from './entities.store.ts';
import { compact, CORE_CONTEXT } from './ngsi-context.ts';

const NAME = 'https://uri.etsi.org/ngsi-ld/name';

function nameOf(row: EntityRow): string | null {
  const a = row.attrs[NAME];
  const inst = Array.isArray(a) ? a[0] : a;
  return inst && typeof inst.value === 'string' ? inst.value : null;
}

/** Relationships of an entity: [attribute IRI, target id]. */
function relationships(row: EntityRow): [string, string][] {
  const out: [string, string][] = [];
  for (const [attr, v] of Object.entries(row.attrs))
    for (const i of Array.isArray(v) ? v : [v]) if (i.type === 'Relationship' && typeof i.object === 'string') out.push([attr, i.object]);
  return out;
}

/** Follows relationships from `id` up to `hops` steps (out: this entity's relationships; in: those pointing at it). */
export async function entityGraph(deps: Deps, ctx: RequestContext, id: string, opts: { hops: number; limit: number; direction: 'both' | 'out' | 'in' }): Promise<Graph> {
  await authorize(deps, ctx, 'twin:read');
  const db = executor(deps.db);
  const scope = ctx.actor.scopePrefix;
  const { rows: roots } = await db.query<EntityRow>(`SELECT * FROM twin_entity WHERE id = $1 AND region_code LIKE $2 || '%'`, [id, scope]);
  const root = roots[0];
  if (!root) throw new NotFound(`no entity ${id}`);
  const nodes = new Map<string, { row: EntityRow; depth: number }>([[root.id, { row: root, depth: 0 }]]);
  let frontier = [root];
  let truncated = false;
  for (let depth = 1; depth <= opts.hops && frontier.length && !truncated; depth++) {
    const ids = frontier.map((r) => r.id);
    const targets = opts.direction === 'in' ? [] : [...new Set(frontier.flatMap((r) => relationships(r).map(([, t]) => t)))].filter((t) => !nodes.has(t));
    const inbound = opts.direction !== 'out';
    const { rows } = await db.query<EntityRow>(
      `SELECT * FROM twin_entity WHERE region_code LIKE $1 || '%' AND (id = ANY ($2) ${inbound ? 'OR rel_targets && $4' : ''}) ORDER BY id LIMIT $3`,
      inbound ? [scope, targets, opts.limit + 1, ids] : [scope, targets, opts.limit + 1],
    );
    const next: EntityRow[] = [];
    for (const r of rows) {
      if (nodes.has(r.id)) continue;
      if (nodes.size >= opts.limit) {
        truncated = true;
        break;
      }
      nodes.set(r.id, { row: r, depth });
      next.push(r);
    }
    if (rows.length > opts.limit) truncated = true;
    frontier = next;
  }
  const edges: Graph['edges'] = [];
  for (const { row } of nodes.values())
    for (const [attr, target] of relationships(row)) if (nodes.has(target)) edges.push({ source: row.id, target, relationship: compact(CORE_CONTEXT, attr) });
  return {
    root: root.id,
    nodes: [...nodes.values()].map(({ row, depth }) => ({ id: row.id, type: compact(CORE_CONTEXT, row.type), name: nameOf(row), regionCode: row.region_code, depth })),
    edges,
    truncated,
  };
}
