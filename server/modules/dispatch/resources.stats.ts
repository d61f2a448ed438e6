// SPDX-License-Identifier: Apache-2.0
// Resources by owner and type, for the views that show what organizations bring (the five linkages).
import type { Executor } from '../../platform/db.ts';

export type ResourceCount = { organization_id: string; organization_name: string; type: string; type_name: string; count: number; available: number };

/** How many resources of each type the given organizations own, and how many are available now. */
export async function resourceCountsOf(db: Executor, organizationIds: readonly string[]): Promise<ResourceCount[]> {
  if (!organizationIds.length) return [];
  const { rows } = await db.query<ResourceCount>(
    `SELECT r.owner_organization_id AS organization_id, o.name AS organization_name, r.type_code AS type, t.name_zh AS type_name,
            count(*)::int AS count, count(*) FILTER (WHERE r.status = 'available')::int AS available
       FROM resource r JOIN organization o ON o.id = r.owner_organization_id JOIN resource_type t ON t.code = r.type_code
      WHERE r.owner_organization_id = ANY ($1::uuid[])
      GROUP BY 1, 2, 3, 4 ORDER BY o.name, t.name_zh`,
    [organizationIds],
  );
  return rows;
}
