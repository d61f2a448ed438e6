// SPDX-License-Identifier: Apache-2.0
// Demo resources for the demo province, deterministic from the seed: per county a rescue team, pump trucks,
// ambulances, a sandbag stock and shelters; per city a fire engine squad and experts; and social
// organizations' resources under agreements (one of them lapsed, so that it is never offered).
import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { rng } from '../regions/index.ts';
import { insertResources, type NewResource } from './resources.store.ts';

type RegionBox = { code: string; name: string; level: 'city' | 'county'; x0: number; y0: number; x1: number; y1: number };
type OrgRow = { id: string; kind: 'government' | 'social'; name: string; region_code: string; department_type: string | null; social_type: string | null };

/** A date `days` from today, YYYY-MM-DD (UTC is close enough for a demo agreement). */
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Seeds the demo resources (caller: the demo seed, as the system); returns how many. */
export async function seedDemoResources(deps: Deps, ctx: RequestContext, opts: { seed: number; provinceCode?: string }): Promise<number> {
  const province = (opts.provinceCode ?? '990000000000').slice(0, 2);
  const rand = rng(opts.seed + 1010);
  return withTransaction(deps.db, async (tx) => {
    const regions = (
      await tx.query<RegionBox>(
        `SELECT code, name, level, (bbox[1])[0] AS x0, (bbox[1])[1] AS y0, (bbox[0])[0] AS x1, (bbox[0])[1] AS y1
           FROM region WHERE code LIKE $1 AND level IN ('city', 'county') AND valid_to IS NULL AND bbox IS NOT NULL ORDER BY code`,
        [`${province}%`],
      )
    ).rows;
    const orgs = (
      await tx.query<OrgRow>(`SELECT id, kind, name, region_code, department_type, social_type FROM organization WHERE region_code LIKE $1 AND active ORDER BY region_code, name`, [`${province}%`])
    ).rows;
    const dept = (region: string, ...types: string[]) => {
      for (const t of types) {
        const o = orgs.find((x) => x.region_code === region && x.department_type === t);
        if (o) return o;
      }
      return undefined;
    };
    const at = (r: RegionBox): [number, number] => [
      Math.round((r.x0 + (0.15 + 0.7 * rand()) * (r.x1 - r.x0)) * 1e6) / 1e6,
      Math.round((r.y0 + (0.15 + 0.7 * rand()) * (r.y1 - r.y0)) * 1e6) / 1e6,
    ];
    const list: NewResource[] = [];
    const add = (r: RegionBox, owner: OrgRow | undefined, type: string, name: string, extra: Partial<NewResource> = {}) => {
      if (!owner) return;
      const [lon, lat] = at(r);
      list.push({
        id: newId(), name, type_code: type, is_stock: false, capabilities: [], owner_organization_id: owner.id, owner_kind: owner.kind, region_code: r.code, lon, lat,
        status: 'available', quantity_total: null, capacity: null, description: null, agreement_number: null, agreement_valid_from: null, agreement_valid_to: null,
        agreement_response_minutes: null, created_by: null, ...extra,
      });
    };
    let agreementNo = 0;
    const agreement = (r: RegionBox, lapsed: boolean): Partial<NewResource> => ({
      agreement_number: `XY-${r.code.slice(0, 6)}-${String(++agreementNo).padStart(4, '0')}`,
      agreement_valid_from: dayFromNow(lapsed ? -730 : -180),
      agreement_valid_to: dayFromNow(lapsed ? -365 : 365 + Math.floor(rand() * 365)),
      agreement_response_minutes: 30 + 15 * Math.floor(rand() * 4),
    });
    let socialCount = 0;
    for (const r of regions) {
      if (r.level === 'city') {
        const em = dept(r.code, 'emergency-management');
        for (let i = 1; i <= 3; i++) add(r, em, 'fire-engine', `${r.name}消防救援支队${i}号消防车`, { capabilities: ['fire', 'rescue'] });
        add(r, em, 'expert', `${r.name}防汛抢险专家`, { capabilities: ['flood-control', 'drainage'] });
        add(r, dept(r.code, 'health', 'emergency-management'), 'expert', `${r.name}医疗救治专家`, { capabilities: ['medical'] });
        continue;
      }
      add(r, dept(r.code, 'emergency-management'), 'rescue-team', `${r.name}应急救援队`, { capabilities: ['water-rescue', 'search-rescue', 'medical'] });
      const trucks = 2 + Math.floor(rand() * 2);
      for (let i = 1; i <= trucks; i++) add(r, dept(r.code, 'water-resources', 'urban-management'), 'pump-truck', `${r.name}排涝泵车${i}号`, { capabilities: ['drainage'] });
      for (let i = 1; i <= 2; i++) add(r, dept(r.code, 'health'), 'ambulance', `${r.name}救护车${i}号`, { capabilities: ['medical'] });
      const bags = 2000 + 500 * Math.floor(rand() * 7);
      add(r, dept(r.code, 'emergency-management'), 'sandbags', `${r.name}防汛物资仓库·编织袋`, { is_stock: true, quantity_total: bags, capabilities: ['flood-control'] });
      for (let i = 1; i <= 2; i++) {
        add(r, dept(r.code, 'civil-affairs', 'emergency-management'), 'shelter', `${r.name}第${i}应急避难场所`, { capacity: 200 + 50 * Math.floor(rand() * 16) });
      }
      // social organizations' resources under agreements (协议储备)
      for (const o of orgs.filter((x) => x.kind === 'social' && x.region_code === r.code)) {
        if (o.social_type === 'volunteer-team') {
          add(r, o, 'rescue-team', `${o.name}水上救援分队`, { capabilities: ['water-rescue', 'search-rescue'], ...agreement(r, socialCount % 7 === 6) });
          socialCount++;
        } else if (o.social_type === 'enterprise' && o.name.endsWith('建设工程有限公司')) {
          add(r, o, 'excavator', `${o.name}挖掘机`, { capabilities: ['earthwork'], ...agreement(r, false) });
          add(r, o, 'pump', `${o.name}大流量抽水泵`, { capabilities: ['drainage'], ...agreement(r, false) });
          socialCount++;
        }
      }
    }
    await insertResources(tx, list);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'demo.resources-seeded', resourceType: 'resource', regionCode: `${province}0000000000`, details: { resources: list.length } });
    return list.length;
  });
}
