// SPDX-License-Identifier: Apache-2.0
// Batch entity operations (POST /entityOperations/create|upsert|update|delete): each entity is processed on
// its own, and the answer lists which succeeded and why the others failed (207 Multi-Status).
import type { RequestContext } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { Invalid } from '../../platform/errors.ts';
import { createEntity, deleteEntity, writeAttributes } from './entities.service.ts';
import { type BatchResult, problemOf, upsertBatch } from './upsert.service.ts';

export type { BatchResult };
import type { LdContext } from './ngsi-context.ts';

const MAX_BATCH = 1000;

function asEntities(body: unknown, ids = false): unknown[] {
  if (!Array.isArray(body)) throw new Invalid('a batch is a JSON array', [{ field: 'body', message: 'expected an array' }]);
  if (body.length === 0) throw new Invalid('the batch is empty', [{ field: 'body', message: 'empty' }]);
  if (body.length > MAX_BATCH) throw new Invalid(`a batch holds at most ${MAX_BATCH} entities`, [{ field: 'body', message: 'too many' }]);
  if (ids && !body.every((x) => typeof x === 'string')) throw new Invalid('delete takes an array of entity ids', [{ field: 'body', message: 'expected strings' }]);
  return body;
}

function idOf(e: unknown): string {
  return e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string' ? (e as { id: string }).id : '';
}

/** Runs `op` for every item, collecting successes and errors. */
async function each(items: unknown[], op: (item: unknown, result: BatchResult) => Promise<void>): Promise<BatchResult> {
  const result: BatchResult = { success: [], created: [], errors: [] };
  for (const item of items) {
    try {
      await op(item, result);
    } catch (err) {
      result.errors.push({ entityId: typeof item === 'string' ? item : idOf(item), error: problemOf(err) });
    }
  }
  return result;
}

export function batchCreate(deps: Deps, ctx: RequestContext, body: unknown, ld: LdContext): Promise<BatchResult> {
  return each(asEntities(body), async (e, r) => {
    const row = await createEntity(deps, ctx, e, ld);
    r.success.push(row.id);
    r.created.push(row.id);
  });
}

export function batchUpsert(deps: Deps, ctx: RequestContext, body: unknown, ld: LdContext, mode: 'replace' | 'update'): Promise<BatchResult> {
  return upsertBatch(deps, ctx, asEntities(body), ld, mode);
}

export function batchUpdate(deps: Deps, ctx: RequestContext, body: unknown, ld: LdContext, noOverwrite: boolean): Promise<BatchResult> {
  return each(asEntities(body), async (e, r) => {
    const id = idOf(e);
    if (!id) throw new Invalid('each entity needs an id', [{ field: 'id', message: 'missing' }]);
    const out = await writeAttributes(deps, ctx, id, e, ld, noOverwrite ? 'append-keep' : 'append');
    if (out.notUpdated.length) throw new Invalid(out.notUpdated.map((n) => `${n.attributeName}: ${n.reason}`).join('; '), [{ field: 'attrs', message: 'not updated' }]);
    r.success.push(id);
  });
}

export function batchDelete(deps: Deps, ctx: RequestContext, body: unknown): Promise<BatchResult> {
  return each(asEntities(body, true), async (id, r) => {
    await deleteEntity(deps, ctx, id as string);
    r.success.push(id as string);
  });
}
