// SPDX-License-Identifier: Apache-2.0
// Indicators (指标): definitions with a numerator/denominator formula over platform data, values for every
// region and period, thresholds that raise alerts opening an analysis plan (分析预案) or an incident,
// targets, reported values and the cockpit (驾驶舱).
import { z } from 'zod';
import { PageQuery } from './common.ts';
import { DepartmentType } from './identity.ts';
import { PERIOD_KINDS } from './indicator-periods.ts';
import { Level, RegionCode } from './regions.ts';

export const PeriodKind = z.enum(PERIOD_KINDS);

/** How values of child regions make the parent's value. */
export const AGGREGATIONS = ['recompute', 'sum', 'weighted_average'] as const;
export const Aggregation = z.enum(AGGREGATIONS);
export type Aggregation = z.infer<typeof Aggregation>;

export const DIRECTIONS = ['higher_better', 'lower_better'] as const;
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

export const VALUE_STATUSES = ['normal', 'warn', 'alarm', 'none'] as const;
export const ValueStatus = z.enum(VALUE_STATUSES);
export type ValueStatus = z.infer<typeof ValueStatus>;

const Text = (max: number) => z.string().trim().min(1).max(max);
const GRADES = ['I', 'II', 'III', 'IV'] as const;
const TypeCode = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'an incident type or category code');
const TwinName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'a type or attribute name of the twin');
const ReportLevel = z.enum(['city', 'county', 'township', 'village']);

/**
 * Where a numerator or denominator comes from. Each source yields rows placed in a region and (except
 * population and region counts, which hold for every period) a time that puts them in a period.
 */
export const IndicatorSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('incidents'),
    /** an incident type or a category (all types under it); all types when absent */
    type: TypeCode.optional(),
    /** only incidents of these grades */
    grades: z.array(z.enum(GRADES)).min(1).max(4).optional(),
    /** which incidents reported in the period count: all, resolved, resolved / responded before their SLA due time */
    measure: z.enum(['reported', 'resolved', 'resolved_within_sla', 'responded_within_sla']).default('reported'),
  }).strict(),
  z.object({
    kind: z.literal('tasks'),
    /** which tasks of the period count: all, done, done by their deadline, or past their deadline */
    measure: z.enum(['created', 'done', 'done_on_time', 'overdue']).default('created'),
    /** what puts a task in a period: its deadline (created, without one), or when it was created */
    periodBy: z.enum(['due', 'created']).default('due'),
    taskKind: z.enum(['governance', 'service']).optional(),
    source: z.enum(['manual', 'activation', 'indicator_alert', 'goal']).optional(),
    /** only tasks whose title contains this text */
    titleContains: z.string().trim().min(1).max(100).optional(),
    /** only tasks decomposed from this policy's goals, or from this goal */
    policyId: z.string().uuid().optional(),
    goalId: z.string().uuid().optional(),
  }).strict(),
  z.object({
    kind: z.literal('twin'),
    entityType: TwinName,
    attribute: TwinName,
    /** sum of the numeric values observed in the period, or how many observations there were */
    aggregate: z.enum(['sum', 'count']).default('sum'),
  }).strict(),
  z.object({ kind: z.literal('population'), level: ReportLevel.default('village') }).strict(),
  z.object({ kind: z.literal('regions'), level: ReportLevel.default('village') }).strict(),
  /** values reported by organizations for each region of a level and period (POST …/reports) */
  z.object({ kind: z.literal('reported'), level: ReportLevel.default('village') }).strict(),
]);
export type IndicatorSource = z.infer<typeof IndicatorSource>;

/** What happens when a region's value crosses a threshold: who analyses, what to check, which tasks to create. */
export const AnalysisPlan = z
  .object({
    /** the alert level that opens the plan (a warn alert that turns alarm opens it then) */
    on: z.enum(['warn', 'alarm']).default('alarm'),
    /** what the analysts check — written into each task */
    checks: z.array(Text(300)).max(20).default([]),
    /** tasks created for the region's responsible departments */
    tasks: z
      .array(
        z.object({
          title: Text(200),
          description: z.string().trim().max(2000).default(''),
          departmentType: DepartmentType,
          deadlineHours: z.number().int().min(1).max(24 * 365).default(72),
        }).strict(),
      )
      .max(10)
      .default([]),
    /** also report an incident of this type and grade in the region (dispatch takes over) */
    incident: z.object({ type: TypeCode, grade: z.enum(GRADES).default('IV') }).strict().optional(),
  })
  .strict();
export type AnalysisPlan = z.infer<typeof AnalysisPlan>;

const Threshold = z.number().finite().nullable();

/** An indicator as it is defined (PUT replaces all of it). */
export const IndicatorInput = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9_.-]{1,63}$/, 'lower-case letters, digits, dots, dashes, underscores'),
    name: Text(100),
    nameEn: z.string().trim().max(200).nullable().default(null),
    unit: z.string().trim().max(20).default(''),
    description: z.string().trim().max(4000).default(''),
    ownerOrganizationId: z.string().uuid(),
    numerator: IndicatorSource,
    denominator: IndicatorSource.nullable().default(null),
    /** the value is factor × numerator / denominator: 100 for %, 1000 for ‰, 10000 for per 10,000 people */
    factor: z.number().positive().max(1e9).default(1),
    period: PeriodKind.default('month'),
    aggregation: Aggregation.default('recompute'),
    direction: Direction.default('higher_better'),
    warn: Threshold.default(null),
    alarm: Threshold.default(null),
    /** levels whose regions raise alerts */
    alertLevels: z.array(Level).min(1).max(6).default(['province', 'city', 'county']),
    analysisPlan: AnalysisPlan.nullable().default(null),
    /** shown on the cockpit */
    key: z.boolean().default(false),
  })
  .strict();
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export const Indicator = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  unit: z.string(),
  description: z.string(),
  ownerOrganizationId: z.string(),
  ownerOrganizationName: z.string(),
  /** the owner's region: defining, computing and handling alerts need it in your scope */
  ownerRegionCode: z.string(),
  numerator: IndicatorSource,
  denominator: IndicatorSource.nullable(),
  factor: z.number(),
  period: PeriodKind,
  aggregation: Aggregation,
  direction: Direction,
  warn: z.number().nullable(),
  alarm: z.number().nullable(),
  alertLevels: z.array(Level),
  analysisPlan: AnalysisPlan.nullable(),
  key: z.boolean(),
  status: z.enum(['active', 'retired']),
  version: z.number().int(),
  lastComputedAt: z.string().nullable(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type Indicator = z.infer<typeof Indicator>;

/** One region's value for one period. */
export const IndicatorValue = z.object({
  regionCode: z.string(),
  regionName: z.string().nullable(),
  level: Level,
  period: z.string(),
  numerator: z.number(),
  denominator: z.number().nullable(),
  /** null when it cannot be computed: no denominator, or no region below reported */
  value: z.number().nullable(),
  status: ValueStatus,
  /** regions of the reporting level below this one that have not reported (reported sources only) */
  missing: z.number().int(),
  target: z.number().nullable(),
  /** value − target (positive is ahead for higher-is-better, behind for lower-is-better) */
  gap: z.number().nullable(),
  /** whether the value meets its target (null without a target or value) */
  onTarget: z.boolean().nullable(),
  computedAt: z.string(),
});
export type IndicatorValue = z.infer<typeof IndicatorValue>;

/** A catalog entry: the definition and its latest value in the caller's region. */
export const IndicatorSummary = Indicator.extend({ latest: IndicatorValue.nullable() });
export type IndicatorSummary = z.infer<typeof IndicatorSummary>;

export const IndicatorQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional(),
  period: PeriodKind.optional(),
  key: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  status: z.enum(['active', 'retired']).optional(),
  ownerOrganizationId: z.string().uuid().optional(),
  /** the region whose latest value each entry carries (default: yours) */
  region: RegionCode.optional(),
}).strict();
export type IndicatorQuery = z.infer<typeof IndicatorQuery>;

/** Values: a trend (region + from/to), a ranking (level + period) or the children of a region (parent + period). */
export const IndicatorValueQuery = PageQuery.extend({
  region: RegionCode.optional(),
  parent: RegionCode.optional(),
  level: Level.optional(),
  period: z.string().max(10).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  status: ValueStatus.optional(),
  sort: z.enum(['period', 'value', '-value', 'gap', '-gap', 'region']).default('period'),
}).strict();
export type IndicatorValueQuery = z.infer<typeof IndicatorValueQuery>;

export const ComputeInput = z
  .object({
    /** first and last period to compute (default: the current and the previous period) */
    from: z.string().max(10).optional(),
    to: z.string().max(10).optional(),
    /** raise and close alerts for these periods (default: only for the current and previous period) */
    alerts: z.boolean().optional(),
  })
  .strict();
export type ComputeInput = z.infer<typeof ComputeInput>;

export const ComputeResult = z.object({
  indicator: z.string(),
  periods: z.array(z.string()),
  values: z.number().int(),
  alertsRaised: z.number().int(),
  alertsClosed: z.number().int(),
  milliseconds: z.number().int(),
});
export type ComputeResult = z.infer<typeof ComputeResult>;

export const ReportInput = z
  .object({
    items: z
      .array(
        z.object({
          regionCode: RegionCode,
          period: z.string().max(10),
          component: z.enum(['numerator', 'denominator']).default('numerator'),
          value: z.number().finite().min(-1e15).max(1e15),
        }).strict(),
      )
      .min(1)
      .max(5000),
  })
  .strict();
export type ReportInput = z.infer<typeof ReportInput>;

export const ReportResult = z.object({ accepted: z.number().int(), periods: z.array(z.string()) });

export const TargetInput = z
  .object({
    items: z.array(z.object({ regionCode: RegionCode, period: z.string().max(10), target: z.number().finite().nullable() }).strict()).min(1).max(5000),
  })
  .strict();
export type TargetInput = z.infer<typeof TargetInput>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);

export const IndicatorAlert = z.object({
  id: z.string(),
  indicatorId: z.string(),
  indicatorCode: z.string(),
  indicatorName: z.string(),
  unit: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  period: z.string(),
  level: z.enum(['warn', 'alarm']),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  status: AlertStatus,
  raisedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  closedReason: z.string().nullable(),
  /** the analysis plan was opened: its tasks, and the incident reported */
  planOpened: z.boolean(),
  taskIds: z.array(z.string()),
  incidentId: z.string().nullable(),
  notes: z.array(z.object({ at: z.string(), by: z.string(), action: z.string(), note: z.string().nullable() })),
  /** the actions the caller may take now */
  actions: z.array(z.enum(['acknowledge', 'close', 'comment'])),
});
export type IndicatorAlert = z.infer<typeof IndicatorAlert>;

export const AlertQuery = PageQuery.extend({
  status: AlertStatus.optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  indicator: z.string().max(64).optional(),
  region: RegionCode.optional(),
  level: z.enum(['warn', 'alarm']).optional(),
}).strict();
export type AlertQuery = z.infer<typeof AlertQuery>;

export const AlertAction = z
  .object({ action: z.enum(['acknowledge', 'close', 'comment']), note: z.string().trim().max(2000).optional() })
  .strict();
export type AlertAction = z.infer<typeof AlertAction>;

/** The cockpit (驾驶舱): one screen for a region — key indicators, alerts, incidents and tasks. */
export const Cockpit = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: Level, parentCode: z.string().nullable() }),
  /** the regions above this one, from the top of your scope down to its parent, for drilling back up */
  path: z.array(z.object({ code: z.string(), name: z.string(), level: Level })),
  indicators: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      direction: Direction,
      period: z.string().nullable(),
      current: IndicatorValue.nullable(),
      trend: z.array(z.object({ period: z.string(), value: z.number().nullable() })),
      /** the children of the region whose values are furthest behind (target, else the thresholds) */
      lagging: z.array(IndicatorValue),
    }),
  ),
  alerts: z.object({ open: z.number().int(), alarm: z.number().int(), latest: z.array(IndicatorAlert) }),
  incidents: z.object({ open: z.number().int(), overdue: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
  tasks: z.object({ open: z.number().int(), overdue: z.number().int(), done: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
  /** the children of the region to drill into */
  children: z.array(z.object({ code: z.string(), name: z.string(), level: Level, alarms: z.number().int() })),
});
export type Cockpit = z.infer<typeof Cockpit>;
