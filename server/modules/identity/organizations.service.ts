// SPDX-License-Identifier: Apache-2.0
// Organizations: government departments per region and social organizations with qualifications.
import type { Organization, OrganizationInput, OrganizationPatch } from '../../../contracts/identity.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { publish } from '../../platform/outbox.ts';
import { authorize, denied, loadClassificationRules, maskRecord } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCurrentRegion } from '../regions/index.ts';
import * as store from './organizations.store.ts';

function present(r: store.OrganizationRow): Organization {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name,
    departmentType: r.department_type as Organization['departmentType'],
    socialType: r.social_type as Organization['socialType'],
    creditCode: r.credit_code,
    qualifications: r.qualifications,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    active: r.active,
    createdAt: r.created_at.toISOString(),
  };
}

export type OrganizationQuery = { regionCode?: string; kind?: 'government' | 'social'; departmentType?: string; socialType?: string; q?: string; limit: number; offset: number };

/** Organizations in the actor's scope. A social organization's member sees only their own organization. */
export async function listOrganizations(deps: Deps, ctx: RequestContext, q: OrganizationQuery) {
  await authorize(deps, ctx, 'org:read');
  const db = executor(deps.db);
  const onlyOwn = ctx.actor.roles.every((r) => r === 'social-member') && ctx.actor.organizationId ? ctx.actor.organizationId : undefined;
  const { rows, total } = await store.listOrganizations(
    db,
    { scopePrefix: onlyOwn ? '' : ctx.actor.scopePrefix, regionPrefix: q.regionCode?.replace(/0+$/, ''), kind: q.kind, departmentType: q.departmentType, socialType: q.socialType, q: q.q, onlyId: onlyOwn },
    q.limit,
    q.offset,
  );
  const rules = await loadClassificationRules(db);
  return { items: rows.map((r) => maskRecord(ctx.actor, rules, 'organization', present(r))), total, limit: q.limit, offset: q.offset };
}

export async function getOrganization(deps: Deps, ctx: RequestContext, id: string): Promise<Organization> {
  await authorize(deps, ctx, 'org:read');
  const db = executor(deps.db);
  const row = await store.findOrganization(db, id);
  if (!row) throw new NotFound(`no organization ${id}`);
  const own = row.id === ctx.actor.organizationId;
  if (!own) {
    await authorize(deps, ctx, 'org:read', { regionCode: row.region_code, type: 'organization', id });
    if (ctx.actor.roles.every((r) => r === 'social-member')) {
      throw await denied(deps, ctx, 'a social organization member sees only their own organization', { type: 'organization', id, regionCode: row.region_code, requested: 'org:read' });
    }
  }
  return maskRecord(ctx.actor, await loadClassificationRules(db), 'organization', present(row));
}

export async function createOrganization(deps: Deps, ctx: RequestContext, input: OrganizationInput): Promise<Organization> {
  await authorize(deps, ctx, 'org:write', { regionCode: input.regionCode, type: 'organization' });
  return withTransaction(deps.db, async (tx) => {
    const region = await findCurrentRegion(tx, input.regionCode);
    if (!region) throw new Invalid('no such region', [{ field: 'regionCode', message: `no current region ${input.regionCode}` }]);
    const id = newId();
    try {
      await store.insertOrganization(tx, {
        id,
        kind: input.kind,
        name: input.name,
        region_code: input.regionCode,
        department_type: input.departmentType ?? null,
        social_type: input.socialType ?? null,
        credit_code: input.creditCode ?? null,
        qualifications: input.qualifications,
        contact_name: input.contactName ?? null,
        contact_phone: input.contactPhone ?? null,
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Conflict(`an organization named ${input.name} already exists in ${input.regionCode}`);
      throw err;
    }
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'organization.created', resourceType: 'organization', resourceId: id, regionCode: input.regionCode, details: { name: input.name, kind: input.kind } });
    await publish(tx, { topic: 'organization.created', aggregateId: id, regionCode: input.regionCode, payload: { id, name: input.name, kind: input.kind } });
    return present((await store.findOrganization(tx, id)) as store.OrganizationRow);
  });
}

export async function updateOrganization(deps: Deps, ctx: RequestContext, id: string, patch: OrganizationPatch): Promise<Organization> {
  const existing = await store.findOrganization(executor(deps.db), id);
  if (!existing) throw new NotFound(`no organization ${id}`);
  await authorize(deps, ctx, 'org:write', { regionCode: existing.region_code, type: 'organization', id });
  return withTransaction(deps.db, async (tx) => {
    try {
      await store.updateOrganization(tx, id, { name: patch.name, qualifications: patch.qualifications, contact_name: patch.contactName, contact_phone: patch.contactPhone, active: patch.active });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Conflict(`an organization named ${patch.name ?? ''} already exists in that region`);
      throw err;
    }
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'organization.updated', resourceType: 'organization', resourceId: id, regionCode: existing.region_code, details: { fields: Object.keys(patch) } });
    await publish(tx, { topic: 'organization.updated', aggregateId: id, regionCode: existing.region_code, payload: { id, fields: Object.keys(patch) } });
    return present((await store.findOrganization(tx, id)) as store.OrganizationRow);
  });
}
