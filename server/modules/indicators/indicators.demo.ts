// SPDX-License-Identifier: Apache-2.0
// The demo province's indicators: incidents handled on time and per 10,000 people (from the year of demo
// incidents), the elderly health check-up coverage every village reports monthly (some late, some missing,
// a few counties lagging), the mean water level of the twin's stations and tasks done on time — with
// targets, thresholds and analysis plans, computed for the last twelve months.
import type { IndicatorInput } from '../../../contracts/indicators.ts';
import { lastPeriods, periodAt, periodBounds } from '../../../contracts/indicator-periods.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { rng } from '../regions/index.ts';
import { computeIndicator, createIndicator, setTargets } from './indicators.service.ts';
import * as store from './indicators.store.ts';

const MONTHS = 12;

function definitions(owner: string, health: string): IndicatorInput[] {
  const base = {
    nameEn: null, description: '', denominator: null, factor: 1, period: 'month' as const, aggregation: 'recompute' as const, direction: 'higher_better' as const,
    warn: null, alarm: null, alertLevels: ['province', 'city', 'county'] as IndicatorInput['alertLevels'], analysisPlan: null, key: false,
  };
  return [
    {
      ...base, code: 'incident.on-time-share', name: '事件按时办结率', nameEn: 'Incidents resolved within SLA', unit: '%', ownerOrganizationId: owner,
      description: '当月上报的事件中，在时限内办结的比例（演练不计）。',
      numerator: { kind: 'incidents', measure: 'resolved_within_sla' }, denominator: { kind: 'incidents', measure: 'reported' }, factor: 100,
      warn: 85, alarm: 75, alertLevels: ['city'], key: true,
      analysisPlan: {
        on: 'alarm',
        checks: ['超时事件集中在哪些类型和乡镇', '处置力量和物资是否不足', '是否存在推诿扯皮、重复派单'],
        tasks: [{ title: '分析事件按时办结率偏低原因并提出整改措施', description: '', departmentType: 'government-office', deadlineHours: 72 }],
      },
    },
    {
      ...base, code: 'incident.per-10k', name: '每万人事件数', nameEn: 'Incidents per 10,000 people', unit: '件/万人', ownerOrganizationId: owner,
      description: '当月上报的事件数与常住人口之比，每万人。',
      numerator: { kind: 'incidents', measure: 'reported' }, denominator: { kind: 'population', level: 'village' }, factor: 10_000, direction: 'lower_better', key: true,
    },
    {
      ...base, code: 'health.checkup-coverage', name: '老年人健康体检覆盖率', nameEn: 'Elderly health check-up coverage', unit: '%', ownerOrganizationId: health,
      description: '65 岁及以上常住老年人中本年度已完成健康体检的比例，由各村（社区）卫生室按月上报。',
      numerator: { kind: 'reported', level: 'village' }, denominator: { kind: 'reported', level: 'village' }, factor: 100,
      warn: 70, alarm: 60, alertLevels: ['county'], key: true,
      analysisPlan: {
        on: 'alarm',
        checks: ['未体检老年人名单与原因', '乡镇卫生院体检能力与排期', '行动不便老人上门体检安排'],
        tasks: [{ title: '核查老年人健康体检覆盖率偏低原因', description: '组织乡镇卫生院补检，两周内反馈进展。', departmentType: 'health', deadlineHours: 14 * 24 }],
      },
    },
    {
      ...base, code: 'water.level-mean', name: '监测站平均水位', nameEn: 'Mean water level at stations', unit: 'm', ownerOrganizationId: owner,
      description: '各水位监测站当月观测值的平均。',
      numerator: { kind: 'twin', entityType: 'WaterLevelSensor', attribute: 'waterLevel', aggregate: 'sum' },
      denominator: { kind: 'twin', entityType: 'WaterLevelSensor', attribute: 'waterLevel', aggregate: 'count' }, direction: 'lower_better',
    },
    {
      ...base, code: 'task.on-time-share', name: '任务按时完成率', nameEn: 'Tasks done on time', unit: '%', ownerOrganizationId: owner,
      description: '当月到期的任务中按时完成的比例。',
      numerator: { kind: 'tasks', measure: 'done_on_time', periodBy: 'due' }, denominator: { kind: 'tasks', measure: 'created', periodBy: 'due' }, factor: 100,
    },
  ];
}

/** Defines the demo indicators, reports a year of check-ups, sets targets and computes twelve months. */
export async function seedDemoIndicators(
  deps: Deps,
  ctx: RequestContext,
  opts: { seed: number; provinceCode: string; ownerOrganizationId: string; healthOrganizationId: string; now?: Date },
): Promise<number> {
  const rand = rng(opts.seed + 1717);
  const now = opts.now ?? new Date();
  const months = lastPeriods('month', periodAt('month', now), MONTHS);
  const defs = definitions(opts.ownerOrganizationId, opts.healthOrganizationId);
  for (const d of defs) await createIndicator(deps, ctx, d);

  // check-ups: each village's elderly (about 14 % of its people) and how many had theirs, rising through
  // the year; a few counties lag, last month's reports are partly late and this month's under way
  const db = executor(deps.db);
  const coverage = (await store.findIndicator(db, 'health.checkup-coverage')) as store.IndicatorRecord;
  const { rows: villages } = await db.query<{ code: string; population: number | null }>(
    `SELECT code, population FROM region WHERE level = 'village' AND valid_to IS NULL AND code LIKE $1 ORDER BY code`,
    [`${opts.provinceCode.slice(0, 2)}%`],
  );
  const counties = [...new Set(villages.map((v) => v.code.slice(0, 6)))];
  const lag = new Map(counties.map((c) => [c, rand() < 0.25 ? 0.7 + rand() * 0.1 : 0.95 + rand() * 0.1]));
  const reports: store.NewReport[] = [];
  for (const v of villages) {
    const elderly = Math.max(20, Math.round((v.population ?? 1500) * (0.12 + rand() * 0.05)));
    const villageFactor = 0.9 + rand() * 0.2;
    for (const [i, month] of months.entries()) {
      const latest = i === months.length - 1;
      const late = i === months.length - 2;
      if (rand() < (latest ? 0.55 : late ? 0.1 : 0.02)) continue;
      const progress = 0.45 + (0.4 * (i + 1)) / months.length;
      const share = Math.min(1, progress * (lag.get(v.code.slice(0, 6)) ?? 1) * villageFactor);
      const start = periodBounds('month', month).start;
      reports.push({ component: 'denominator', region_code: v.code, period: month, period_start: start, value: elderly });
      reports.push({ component: 'numerator', region_code: v.code, period: month, period_start: start, value: Math.round(elderly * share) });
    }
  }
  await withTransaction(deps.db, async (tx) => {
    for (let i = 0; i < reports.length; i += 10_000) await store.upsertReports(tx, coverage.id, reports.slice(i, i + 10_000), { id: null, name: '村卫生室' });
  });

  // targets: the province, its cities and counties, every month
  const { rows: regions } = await db.query<{ code: string }>(
    `SELECT code FROM region WHERE level IN ('province', 'city', 'county') AND valid_to IS NULL AND code LIKE $1 ORDER BY code`,
    [`${opts.provinceCode.slice(0, 2)}%`],
  );
  const targets = (target: number) => ({ items: regions.flatMap((r) => months.map((period) => ({ regionCode: r.code, period, target }))) });
  await setTargets(deps, ctx, 'incident.on-time-share', targets(90));
  await setTargets(deps, ctx, 'health.checkup-coverage', targets(80));

  for (const d of defs) await computeIndicator(deps, ctx, d.code, { from: months[0], to: months[months.length - 1] });
  return defs.length;
}
