// SPDX-License-Identifier: Apache-2.0
// Demo contingency plans of the demo province, published and bound in the given counties: flood control
// (防汛应急预案) with levels I–IV, urban waterlogging for urban management, and hazardous chemicals.
// Deterministic: the same content every time; only ids and times differ.
import type { Grade } from '../../../contracts/dispatch-incidents.ts';
import type { PlanInput, PlanLevel, PlanNotification, PlanResource, PlanStep } from '../../../contracts/dispatch-plans.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { putBinding } from './plans.bindings.ts';
import { createPlan, transitionVersion } from './plans.service.ts';

type StepRow = [key: string, title: string, roleKey: string, minutes: number, dependsOn?: string[]];
type ResourceRow = [resourceType: string, quantity: number, maxTravelMinutes: number, capability?: string];
type Colour = { zh: string; en: string; severity: PlanNotification['severity']; urgency: PlanNotification['urgency'] };

const COLOUR: Record<Grade, Colour> = {
  I: { zh: '红色', en: 'Red', severity: 'Extreme', urgency: 'Immediate' },
  II: { zh: '橙色', en: 'Orange', severity: 'Severe', urgency: 'Immediate' },
  III: { zh: '黄色', en: 'Yellow', severity: 'Moderate', urgency: 'Expected' },
  IV: { zh: '蓝色', en: 'Blue', severity: 'Minor', urgency: 'Expected' },
};
/** Higher levels move faster: a step's minutes at level IV times this. */
const PACE: Record<Grade, number> = { I: 0.25, II: 0.5, III: 0.75, IV: 1 };

function level(grade: Grade, steps: StepRow[], resources: ResourceRow[], warning: { hazardZh: string; hazardEn: string; adviceZh: string; adviceEn: string; radiusKm?: number }): PlanLevel {
  const c = COLOUR[grade];
  return {
    level: grade,
    steps: steps.map(([key, title, roleKey, minutes, dependsOn]): PlanStep => ({ key, title, roleKey, deadlineMinutes: Math.round(minutes * PACE[grade]), dependsOn: dependsOn ?? [] })),
    resources: resources.map(([resourceType, quantity, maxTravelMinutes, capability]): PlanResource => ({ resourceType, capability: capability ?? null, quantity, maxTravelMinutes })),
    notifications: [{
      key: 'public-warning',
      audience: 'public',
      severity: c.severity,
      urgency: c.urgency,
      headlineZh: `${warning.hazardZh}${c.zh}预警`,
      headlineEn: `${c.en} ${warning.hazardEn} warning`,
      textZh: `启动${grade}级应急响应。${warning.adviceZh}`,
      textEn: `Level ${grade} response activated. ${warning.adviceEn}`,
      area: warning.radiusKm ? { kind: 'radius', radiusKm: warning.radiusKm } : { kind: 'incident-region' },
    }],
  };
}

const FLOOD_BASE: StepRow[] = [
  ['monitor', '加密监测雨情水情，滚动预报', 'water-resources-bureau', 60],
  ['consult', '会商研判，发布响应命令', 'county-emergency-bureau', 90, ['monitor']],
  ['patrol', '组织巡堤查险，落实防守责任', 'township-head', 180, ['consult']],
];
const FLOOD_UP: StepRow[] = [
  ['rescue-standby', '消防救援力量前置备勤', 'fire-rescue', 120, ['consult']],
  ['shelters', '开放应急避难场所，安置转移群众', 'civil-affairs', 240, ['consult']],
];
const FLOOD_TOP: StepRow[] = [
  ['evacuate', '组织危险区域群众转移', 'township-head', 240, ['consult', 'shelters']],
  ['medical', '派出医疗救护队伍', 'health', 240, ['consult']],
];
const FLOOD_ADVICE = { hazardZh: '洪水', hazardEn: 'flood', adviceZh: '请远离河道、低洼地带，服从转移安排。', adviceEn: 'Keep away from rivers and low ground and follow evacuation instructions.' };

function floodPlan(owner: string, province: string): PlanInput {
  return {
    code: 'flood-response',
    name: '防汛应急预案',
    scenarioType: 'flood',
    regionCode: province,
    ownerOrganizationId: owner,
    applicableRegions: [province],
    triggers: [
      { kind: 'incident', typeCode: 'flood', minGrade: 'IV' },
      { kind: 'indicator', indicatorCode: 'river.water-level-over-warning', comparison: 'gte', value: 0 },
    ],
    levels: [
      level('I', [...FLOOD_BASE, ...FLOOD_UP, ...FLOOD_TOP], [['pump-truck', 8, 120], ['rescue-team', 6, 120, 'water-rescue'], ['sandbags', 50_000, 180], ['shelter', 10, 60]], FLOOD_ADVICE),
      level('II', [...FLOOD_BASE, ...FLOOD_UP, ...FLOOD_TOP], [['pump-truck', 5, 120], ['rescue-team', 4, 120, 'water-rescue'], ['sandbags', 20_000, 180], ['shelter', 6, 60]], FLOOD_ADVICE),
      level('III', [...FLOOD_BASE, ...FLOOD_UP], [['pump-truck', 3, 90], ['rescue-team', 2, 90, 'water-rescue'], ['sandbags', 10_000, 120], ['shelter', 3, 60]], FLOOD_ADVICE),
      level('IV', FLOOD_BASE, [['pump-truck', 1, 90], ['sandbags', 2_000, 120]], FLOOD_ADVICE),
    ],
  };
}

const WATERLOGGING: StepRow[] = [
  ['inspect', '巡查易涝点、下穿通道', 'urban-management', 30],
  ['drain', '调派泵车强排积水', 'urban-management', 60, ['inspect']],
  ['traffic', '积水路段交通管制', 'public-security', 60, ['inspect']],
];
const WATERLOGGING_ADVICE = { hazardZh: '城市内涝', hazardEn: 'urban waterlogging', adviceZh: '请勿涉水通行，绕行积水路段和下穿通道。', adviceEn: 'Do not drive or walk through water; avoid flooded roads and underpasses.' };

function waterloggingPlan(owner: string, province: string): PlanInput {
  return {
    code: 'urban-waterlogging',
    name: '城市内涝应急预案',
    scenarioType: 'rainstorm-waterlogging',
    regionCode: province,
    ownerOrganizationId: owner,
    applicableRegions: [province],
    triggers: [{ kind: 'incident', typeCode: 'rainstorm-waterlogging', minGrade: 'IV' }, { kind: 'incident', typeCode: 'waterlogged-street', minGrade: 'III' }],
    levels: [
      level('II', [...WATERLOGGING, ['command', '启动城区排涝指挥部', 'county-emergency-bureau', 90, ['drain']]], [['pump-truck', 6, 60], ['pump', 10, 60], ['generator', 4, 90]], WATERLOGGING_ADVICE),
      level('III', WATERLOGGING, [['pump-truck', 3, 60], ['pump', 4, 60]], WATERLOGGING_ADVICE),
      level('IV', WATERLOGGING.slice(0, 2), [['pump-truck', 1, 45]], WATERLOGGING_ADVICE),
    ],
  };
}

const CHEMICALS: StepRow[] = [
  ['fire', '消防救援力量出动，侦检堵漏', 'fire-rescue', 15],
  ['cordon', '划定警戒区，疏导交通', 'public-security', 30, ['fire']],
  ['monitor', '环境应急监测', 'ecology-environment-bureau', 60, ['fire']],
  ['medical', '伤员救治转运', 'health', 60, ['fire']],
  ['command', '现场指挥部统一指挥', 'county-emergency-bureau', 60, ['fire']],
];
const CHEMICALS_ADVICE = { hazardZh: '危险化学品泄漏', hazardEn: 'hazardous chemicals', adviceZh: '请关闭门窗，远离事故区域，听从现场疏散指挥。', adviceEn: 'Close windows and doors, keep away from the site and follow evacuation instructions.', radiusKm: 3 };

function chemicalsPlan(owner: string, province: string): PlanInput {
  const evacuate: StepRow = ['evacuate', '疏散周边群众并安置', 'civil-affairs', 120, ['cordon']];
  return {
    code: 'hazardous-chemicals',
    name: '危险化学品事故应急预案',
    scenarioType: 'hazardous-chemicals',
    regionCode: province,
    ownerOrganizationId: owner,
    applicableRegions: [province],
    triggers: [{ kind: 'incident', typeCode: 'hazardous-chemicals', minGrade: 'IV' }],
    levels: [
      level('I', [...CHEMICALS, evacuate], [['fire-engine', 10, 60], ['ambulance', 10, 60], ['expert', 3, 120]], { ...CHEMICALS_ADVICE, radiusKm: 10 }),
      level('II', [...CHEMICALS, evacuate], [['fire-engine', 6, 60], ['ambulance', 6, 60], ['expert', 2, 120]], { ...CHEMICALS_ADVICE, radiusKm: 5 }),
      level('III', CHEMICALS, [['fire-engine', 3, 45], ['ambulance', 3, 45], ['expert', 1, 120]], CHEMICALS_ADVICE),
      level('IV', CHEMICALS.slice(0, 3), [['fire-engine', 2, 45], ['ambulance', 1, 45]], { ...CHEMICALS_ADVICE, radiusKm: 1 }),
    ],
  };
}

/** The demo plans' content (for tests and the seed). */
export function demoPlanInputs(ownerOrganizationId: string, provinceCode: string): PlanInput[] {
  return [floodPlan(ownerOrganizationId, provinceCode), waterloggingPlan(ownerOrganizationId, provinceCode), chemicalsPlan(ownerOrganizationId, provinceCode)];
}

/**
 * Seeds the demo plans (caller: the demo seed, as the system): each created, reviewed and published, then
 * bound by proposal in every region of `bindRegions`. Returns how many plans.
 */
export async function seedDemoPlans(deps: Deps, ctx: RequestContext, opts: { provinceCode: string; ownerOrganizationId: string; bindRegions: string[] }): Promise<number> {
  const inputs = demoPlanInputs(opts.ownerOrganizationId, opts.provinceCode);
  for (const input of inputs) {
    const plan = await createPlan(deps, ctx, input);
    await transitionVersion(deps, ctx, plan.id, 1, { action: 'review', note: '演示数据：审核通过' });
    await transitionVersion(deps, ctx, plan.id, 1, { action: 'publish', note: '演示数据：发布' });
    for (const regionCode of opts.bindRegions) await putBinding(deps, ctx, plan.id, 1, { regionCode, auto: true, bindings: [] });
  }
  return inputs.length;
}
