// SPDX-License-Identifier: Apache-2.0
// Tasks (任务): governance work assigned to an organization and a responsible person (责任到人), with a
// deadline, dependencies, evidence and a history — the same model for hand-made tasks and for the steps of
// an activated contingency plan.
import { z } from 'zod';
import { IsoDateTime, PageQuery } from './common.ts';
import { DepartmentType } from './identity.ts';
import { RegionCode } from './regions.ts';

export const TASK_STATUSES = ['assigned', 'accepted', 'in_progress', 'submitted', 'returned', 'done', 'cancelled'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Statuses in which a task still has work to do. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['assigned', 'accepted', 'in_progress', 'submitted', 'returned'];

export const TASK_KINDS = ['governance', 'service'] as const;
export const TaskKind = z.enum(TASK_KINDS);
export type TaskKind = z.infer<typeof TaskKind>;

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TaskPriority = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof TaskPriority>;

export const TASK_SOURCES = ['manual', 'activation', 'indicator_alert', 'goal'] as const;
export const TaskSourceKind = z.enum(TASK_SOURCES);
export type TaskSourceKind = z.infer<typeof TaskSourceKind>;

const Text = (max: number) => z.string().trim().min(1).max(max);
const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const TaskEvidence = z.object({
  id: z.string(),
  kind: z.enum(['text', 'link', 'file']),
  /** a file's name, media type and size (download it from /api/tasks/{id}/evidence/{evidenceId}/file) */
  file: z.object({ name: z.string(), mediaType: z.string(), size: z.number().int() }).nullable(),
  content: z.string(),
  addedByName: z.string(),
  addedAt: z.string(),
});
export type TaskEvidence = z.infer<typeof TaskEvidence>;

export const TaskEvent = z.object({
  at: z.string(),
  action: z.string(),
  actorName: z.string(),
  fromStatus: TaskStatus.nullable(),
  toStatus: TaskStatus.nullable(),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type TaskEvent = z.infer<typeof TaskEvent>;

export const Task = z.object({
  id: z.string(),
  kind: TaskKind,
  title: z.string(),
  description: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  organizationId: z.string(),
  organizationName: z.string(),
  responsibleUserId: z.string().nullable(),
  responsibleName: z.string().nullable(),
  status: TaskStatus,
  priority: TaskPriority,
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  evidenceRequired: z.string(),
  parentId: z.string().nullable(),
  dependsOn: z.array(z.string()),
  /** Dependencies not yet done: the task cannot start while any is open. */
  waitingOn: z.array(z.string()),
  source: z.object({ kind: TaskSourceKind, ref: z.string().nullable(), key: z.string().nullable() }),
  incidentId: z.string().nullable(),
  /** a task decomposed from a policy's goal: the goal, the clause it serves and the policy */
  trace: z.object({ policyId: z.string(), clauseId: z.string().nullable(), goalId: z.string().nullable() }).nullable(),
  /** a service task's standard, offer, award and payment */
  service: z
    .object({
      standard: z.object({ deliverables: z.array(z.string()), acceptanceCriteria: z.array(z.string()), indicators: z.array(z.string()) }),
      budget: z.number(),
      qualifications: z.array(z.string()),
      bidDeadline: z.string(),
      publisherOrganizationId: z.string(),
      offerStatus: z.enum(['open', 'awarded', 'withdrawn']),
      awardedAmount: z.number().nullable(),
      paymentStatus: z.enum(['unpaid', 'paid']).nullable(),
      paidAmount: z.number().nullable(),
      paidAt: z.string().nullable(),
    })
    .nullable(),
  exercise: z.boolean(),
  location: LonLat.nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  acceptedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
});
export type Task = z.infer<typeof Task>;

export const TaskDetail = Task.extend({
  evidence: z.array(TaskEvidence),
  history: z.array(TaskEvent),
  subtasks: z.array(Task),
  /** The actions the caller may take now. */
  actions: z.array(z.string()),
});
export type TaskDetail = z.infer<typeof TaskDetail>;

/**
 * A new task: for an organization given by id, or routed — the responsible department of `departmentType`
 * in the region containing `location` (or in `regionCode`), looked up the region's path upwards.
 */
export const TaskInput = z
  .object({
    title: Text(200),
    description: z.string().trim().max(4000).default(''),
    kind: TaskKind.default('governance'),
    regionCode: RegionCode.optional(),
    location: LonLat.optional(),
    organizationId: z.string().uuid().optional(),
    departmentType: DepartmentType.optional(),
    responsibleUserId: z.string().uuid().optional(),
    priority: TaskPriority.default('normal'),
    deadline: IsoDateTime.optional(),
    evidenceRequired: z.string().trim().max(1000).default(''),
    parentId: z.string().uuid().optional(),
    dependsOn: z.array(z.string().uuid()).max(50).default([]),
  })
  .strict()
  .refine((t) => t.organizationId !== undefined || t.departmentType !== undefined, { message: 'give organizationId, or departmentType to route the task', path: ['organizationId'] })
  .refine((t) => t.regionCode !== undefined || t.location !== undefined, { message: 'give regionCode or location', path: ['regionCode'] });
export type TaskInput = z.infer<typeof TaskInput>;

export const TASK_ACTIONS = ['accept', 'start', 'submit', 'approve', 'return', 'reassign', 'delegate', 'cancel', 'comment', 'pay'] as const;
export const TaskActionName = z.enum(TASK_ACTIONS);
export type TaskActionName = z.infer<typeof TaskActionName>;

const Note = z.string().trim().min(1).max(2000);
const EvidenceItem = z.object({ kind: z.enum(['text', 'link']).default('text'), content: Text(4000) }).strict();

export const TaskAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), note: Note.optional() }).strict(),
  z.object({ action: z.literal('start'), note: Note.optional() }).strict(),
  z.object({ action: z.literal('submit'), note: Note.optional(), evidence: z.array(EvidenceItem).max(20).default([]) }).strict(),
  z.object({
    action: z.literal('approve'),
    note: Note.optional(),
    /** a service task is accepted against its standard: every acceptance criterion, each met */
    criteria: z.array(z.object({ criterion: Text(300), met: z.boolean(), note: z.string().trim().max(1000).optional() }).strict()).max(50).optional(),
  }).strict(),
  z.object({ action: z.literal('return'), note: Note }).strict(),
  z.object({ action: z.literal('reassign'), organizationId: z.string().uuid(), responsibleUserId: z.string().uuid().optional(), note: Note.optional() }).strict(),
  z.object({ action: z.literal('delegate'), responsibleUserId: z.string().uuid(), note: Note.optional() }).strict(),
  z.object({ action: z.literal('cancel'), note: Note }).strict(),
  z.object({ action: z.literal('comment'), note: Note }).strict(),
  /** a service task accepted and done is paid (at most the awarded amount) */
  z.object({ action: z.literal('pay'), amount: z.number().positive().max(1e10), note: Note.optional() }).strict(),
]);
export type TaskAction = z.infer<typeof TaskAction>;

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const TASK_SORTS = ['deadline', '-deadline', 'created', '-created', 'priority'] as const;

export const TaskQuery = PageQuery.extend({
  status: z.union([TaskStatus, z.literal('open')]).optional(),
  kind: TaskKind.optional(),
  regionCode: RegionCode.optional(),
  organizationId: z.string().uuid().optional(),
  /** Only the caller's own: where they are responsible, or unassigned tasks of their organization. */
  mine: Bool.optional(),
  incidentId: z.string().uuid().optional(),
  sourceRef: z.string().max(200).optional(),
  policyId: z.string().uuid().optional(),
  goalId: z.string().uuid().optional(),
  overdue: Bool.optional(),
  exercise: Bool.optional(),
  dueBefore: IsoDateTime.optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(TASK_SORTS).default('deadline'),
});
export type TaskQuery = z.infer<typeof TaskQuery>;

/** What a service task delivers and how delivery is accepted (服务标准). */
export const ServiceStandard = z
  .object({
    deliverables: z.array(Text(300)).min(1).max(30),
    acceptanceCriteria: z.array(Text(300)).min(1).max(30),
    /** codes of indicators the service moves */
    indicators: z.array(z.string().max(64)).max(10).default([]),
  })
  .strict();

/** A service task published to qualified social organizations. */
export const ServiceTaskInput = z
  .object({
    title: Text(200),
    description: z.string().trim().max(4000).default(''),
    regionCode: RegionCode,
    standard: ServiceStandard,
    budget: z.number().positive().max(1e10),
    /** qualifications a bidder must hold (all of them) */
    qualifications: z.array(Text(100)).max(10).default([]),
    bidDeadline: IsoDateTime,
    deadline: IsoDateTime,
    evidenceRequired: z.string().trim().max(1000).default(''),
    /** the publishing department (default: yours) */
    publisherOrganizationId: z.string().uuid().optional(),
  })
  .strict();
export type ServiceTaskInput = z.infer<typeof ServiceTaskInput>;

export const MarketQuery = PageQuery.extend({
  offer: z.enum(['open', 'awarded', 'all']).default('open'),
  q: z.string().trim().max(100).optional(),
}).strict();
export type MarketQuery = z.infer<typeof MarketQuery>;

/** A service task on the market, with the caller's own bid (social organizations) or the number of bids. */
export const MarketItem = Task.extend({ bidCount: z.number().int(), myBid: z.object({ id: z.string(), amount: z.number(), status: z.string() }).nullable() });
export type MarketItem = z.infer<typeof MarketItem>;

export const BidInput = z.object({ amount: z.number().positive().max(1e10), proposal: Text(4000) }).strict();
export type BidInput = z.infer<typeof BidInput>;

export const Bid = z.object({
  id: z.string(),
  taskId: z.string(),
  organizationId: z.string(),
  organizationName: z.string(),
  qualifications: z.array(z.string()),
  amount: z.number(),
  proposal: z.string(),
  status: z.enum(['submitted', 'awarded', 'rejected', 'withdrawn']),
  submittedByName: z.string(),
  submittedAt: z.string(),
});
export type Bid = z.infer<typeof Bid>;

export const AwardInput = z.object({ bidId: z.string().uuid(), note: z.string().trim().max(2000).optional() }).strict();
export type AwardInput = z.infer<typeof AwardInput>;
