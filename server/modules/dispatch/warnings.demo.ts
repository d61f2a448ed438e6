// SPDX-License-Identifier: Apache-2.0
// The demo province's past public warnings: a flood warning for one county (Alert, Update, Cancel over a
// July flood) and a drill (status Exercise) in another. Fixed content; times count back from `now`.
import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { recordAudit } from '../audit/index.ts';
import { toSecond } from './cap.ts';
import { writePastWarning } from './warnings.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Seeds the past warnings; returns how many. */
export async function seedDemoWarnings(deps: Deps, ctx: RequestContext, opts: { floodRegionCode: string; drillRegionCode: string; now?: Date }): Promise<number> {
  const now = opts.now ?? new Date();
  const t = (days: number, hours = 0) => toSecond(new Date(now.getTime() - days * DAY + hours * HOUR));
  return withTransaction(deps.db, async (tx) => {
    const flood = await writePastWarning(deps, ctx, tx, {
      regionCode: opts.floodRegionCode,
      exercise: false,
      area: { regionCodes: [opts.floodRegionCode], regionPolygons: true, polygons: [], circles: [] },
      state: {
        categories: ['Met', 'Geo'], urgency: 'Expected', severity: 'Severe', certainty: 'Likely', responseTypes: ['Prepare', 'Monitor'],
        effective: t(40), onset: t(40, 6), expires: t(39), contact: '防汛抗旱指挥部 12345',
        texts: {
          zh: { event: '洪水', headline: '洪水橙色预警', description: '受持续强降雨影响，预计未来24小时境内主要河道水位将超过警戒水位。', instruction: '沿河低洼地带居民请做好转移准备，远离河道。' },
          en: { event: 'Flood', headline: 'Orange flood warning', description: 'After days of heavy rain, the main rivers are expected to rise above the warning level within 24 hours.', instruction: 'Residents of low-lying areas along the rivers should prepare to leave and keep away from the water.' },
        },
      },
      steps: [
        { msgType: 'Alert', at: t(40) },
        {
          msgType: 'Update', at: t(40, 9), note: '水位超过保证水位，预警升级为红色',
          changes: {
            urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed', responseTypes: ['Evacuate'], expires: t(38),
            texts: {
              zh: { event: '洪水', headline: '洪水红色预警', description: '主要河道水位已超过保证水位，并将继续上涨。', instruction: '沿河低洼地带居民请立即按指引转移至避难场所。' },
              en: { event: 'Flood', headline: 'Red flood warning', description: 'The main rivers have passed the guaranteed level and are still rising.', instruction: 'Residents of low-lying areas along the rivers: go to the shelters now as directed.' },
            },
          },
        },
        { msgType: 'Cancel', at: t(39, 2), note: '水位回落至警戒水位以下，预警解除' },
      ],
    });
    const drill = await writePastWarning(deps, ctx, tx, {
      regionCode: opts.drillRegionCode,
      exercise: true,
      area: { regionCodes: [opts.drillRegionCode], regionPolygons: true, polygons: [], circles: [] },
      state: {
        categories: ['Geo'], urgency: 'Immediate', severity: 'Severe', certainty: 'Possible', responseTypes: ['Evacuate'],
        effective: t(20), onset: null, expires: t(20, 4), contact: null,
        texts: {
          zh: { event: '地质灾害', headline: '【演练】山体滑坡预警', description: '地质灾害应急演练：假定山区发生滑坡险情。', instruction: '参演单位按预案组织群众疏散。' },
          en: { event: 'Landslide', headline: '[Exercise] Landslide warning', description: 'Geological hazard drill: a landslide threat in the hills is assumed.', instruction: 'Participating units evacuate residents as the plan sets out.' },
        },
      },
      steps: [{ msgType: 'Alert', at: t(20) }],
    });
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'demo.warnings', resourceType: 'warning', resourceId: flood, regionCode: opts.floodRegionCode, details: { warnings: [flood, drill] } });
    return 2;
  });
}
