// SPDX-License-Identifier: Apache-2.0
// Policies (政策) → clauses (条款) → goals (目标: an indicator's target for a region and period) → tasks
// decomposed from a goal as a tree; and the five linkages (五联动) of a policy: its goals, indicators,
// tasks, organizations and resources.
import { z } from 'zod';
import { IsoDate, IsoDateTime, PageQuery } from './common.ts';
import { DepartmentType } from './identity.ts';
import { Level, RegionCode } from './regions.ts';
import { Task } from './tasks.ts';

const Text = (max: number) => z.string().trim().min(1).max(max);

export const POLICY_STATUSES = ['draft', 'in_force', 'expired'] as const;
export const PolicyStatus = z.enum(POLICY_STATUSES);

export const ClauseInput = z.object({ number: Text(30), text: Text(4000) }).strict();

export const PolicyInput = z
  .object({
    code: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.〔〕()-]{1,63}$/, 'letters, digits and . _ - ( ) 〔 〕'),
    title: Text(200),
    summary: z.string().trim().max(4000).default(''),
    issuerOrganizationId: z.string().uuid(),
    /** where the policy applies: the issuer's region or one below it */
    regionCode: RegionCode,
    issuedOn: IsoDate,
    status: PolicyStatus.default('in_force'),
    clauses: z.array(ClauseInput).min(1).max(200),
  })
  .strict();
export type PolicyInput = z.infer<typeof PolicyInput>;

export const Clause = z.object({ id: z.string(), number: z.string(), text: z.string() });
export type Clause = z.infer<typeof Clause>;

export const Policy = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  summary: z.string(),
  issuerOrganizationId: z.string(),
  issuerOrganizationName: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  issuedOn: z.string(),
  status: PolicyStatus,
  clauses: z.array(Clause),
  goalCount: z.number().int(),
  taskCount: z.number().int(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type Policy = z.infer<typeof Policy>;

export const PolicyQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional(),
  status: PolicyStatus.optional(),
  regionCode: RegionCode.optional(),
}).strict();
export type PolicyQuery = z.infer<typeof PolicyQuery>;

export const GoalInput = z
  .object({
    /** the clause the goal carries out, by its number */
    clause: Text(30),
    /** the indicator, by code */
    indicator: z.string().min(1).max(64),
    regionCode: RegionCode,
    period: z.string().max(10),
    target: z.number().finite(),
    title: Text(200),
  })
  .strict();
export type GoalInput = z.infer<typeof GoalInput>;

export const TaskCounts = z.object({ total: z.number().int(), open: z.number().int(), done: z.number().int(), overdue: z.number().int() });

export const Goal = z.object({
  id: z.string(),
  policyId: z.string(),
  clauseId: z.string(),
  clauseNumber: z.string(),
  indicatorCode: z.string(),
  indicatorName: z.string(),
  unit: z.string(),
  direction: z.enum(['higher_better', 'lower_better']),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  period: z.string(),
  target: z.number(),
  title: z.string(),
  /** the indicator's value for the goal's region and period, when computed */
  current: z.number().nullable(),
  gap: z.number().nullable(),
  onTarget: z.boolean().nullable(),
  tasks: TaskCounts,
});
export type Goal = z.infer<typeof Goal>;

/** Decompose a goal into a task tree: a task for the goal's region, and one under it for each region of the levels below. */
export const DecomposeInput = z
  .object({
    title: Text(200),
    description: z.string().trim().max(4000).default(''),
    /** each task goes to the responsible department of this type for its region (looked up the region's path upwards) */
    departmentType: DepartmentType,
    /** the levels below the goal's region that get subtasks, top down (e.g. county, township) */
    levels: z.array(Level).max(4).default([]),
    deadline: IsoDateTime,
    evidenceRequired: z.string().trim().max(1000).default(''),
  })
  .strict();
export type DecomposeInput = z.infer<typeof DecomposeInput>;

export const DecomposeResult = z.object({ created: z.number().int(), rootTaskId: z.string(), byLevel: z.record(z.string(), z.number().int()) });

/** The five linkages (政策联动、指标联动、任务联动、资源联动、组织联动) of one policy. */
export const Linkage = z.object({
  policy: Policy,
  goals: z.array(Goal),
  indicators: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      goals: z.number().int(),
      onTarget: z.number().int(),
      behind: z.number().int(),
    }),
  ),
  tasks: z.object({ counts: TaskCounts, byStatus: z.record(z.string(), z.number().int()), items: z.array(Task) }),
  organizations: z.array(
    z.object({ id: z.string(), name: z.string(), kind: z.enum(['government', 'social']), regionCode: z.string(), tasks: z.number().int(), done: z.number().int(), overdue: z.number().int() }),
  ),
  resources: z.array(z.object({ organizationId: z.string(), organizationName: z.string(), type: z.string(), typeName: z.string(), count: z.number().int(), available: z.number().int() })),
});
export type Linkage = z.infer<typeof Linkage>;

export const LinkageQuery = z
  .object({ task: z.string().uuid().optional(), organization: z.string().uuid().optional(), indicator: z.string().max(64).optional() })
  .strict()
  .refine((q) => [q.task, q.organization, q.indicator].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of task, organization, indicator', path: ['task'] });
