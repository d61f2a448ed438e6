// SPDX-License-Identifier: Apache-2.0
// Calls of the policies API: policies and their clauses, goals, decomposing a goal into tasks, and the five
// linkages; and the colours of policy statuses and of the linkage graph's kinds of node.
import type { DecomposeInput, Goal, GoalInput, Linkage, Policy, PolicyInput } from '../../../../contracts/policies.ts';
import { api, type Items, type Page } from '../../lib/api.ts';

export type PolicyStatus = Policy['status'];

/** Filters of the policy list. */
export type PolicyFilter = { q?: string; status?: PolicyStatus; regionCode?: string | null };

/** What decomposing a goal created: the tasks in all, the root task, and how many at each level. */
export type DecomposeResult = { created: number; rootTaskId: string; byLevel: Record<string, number> };

const path = (code: string) => `/api/policies/${encodeURIComponent(code)}`;

export const policiesApi = {
  list: (f: PolicyFilter, limit: number, offset: number, signal?: AbortSignal) => api.get<Page<Policy>>('/api/policies', { ...f, limit, offset }, signal),
  /** One policy by its code (or its id). */
  get: (code: string, signal?: AbortSignal) => api.get<Policy>(path(code), undefined, signal),
  create: (input: PolicyInput) => api.post<Policy>('/api/policies', input),
  setStatus: (code: string, status: PolicyStatus) => api.patch<Policy>(path(code), { status }),
  goals: (code: string, signal?: AbortSignal) => api.get<Goal[]>(`${path(code)}/goals`, undefined, signal),
  addGoal: (code: string, input: GoalInput) => api.post<Goal>(`${path(code)}/goals`, input),
  decompose: (goalId: string, input: DecomposeInput) => api.post<DecomposeResult>(`/api/goals/${encodeURIComponent(goalId)}/decompose`, input),
  linkage: (code: string, signal?: AbortSignal) => api.get<Linkage>(`${path(code)}/linkage`, undefined, signal),
  /** The linkages of the policies a task, an organization's tasks or an indicator's goals serve. */
  linkageFrom: (q: { task: string } | { organization: string } | { indicator: string }, signal?: AbortSignal) => api.get<Items<Linkage>>('/api/linkage', q, signal),
};

/** Tag colour of each status; the key order is the order statuses are offered in. */
export const POLICY_STATUS_COLORS: Record<PolicyStatus, string> = { draft: 'default', in_force: 'green', expired: 'orange' };
export const POLICY_STATUS_LIST = Object.keys(POLICY_STATUS_COLORS) as PolicyStatus[];

/** The kinds of node in the linkage graph. */
export type LinkKind = 'policy' | 'clause' | 'goal' | 'indicator' | 'task' | 'organization' | 'resource';

/** The colour of each kind of node; goals and tasks are filled by their status instead (see below). */
export const LINK_KIND_COLORS: Record<LinkKind, string> = {
  policy: '#0f3a8a',
  clause: '#4e7ad9',
  goal: '#8c8c8c',
  indicator: '#13a8a8',
  task: '#8c8c8c',
  organization: '#722ed1',
  resource: '#d48806',
};
export const LINK_KIND_LIST = Object.keys(LINK_KIND_COLORS) as LinkKind[];

/** Fill of a goal by whether its indicator is on target. */
export const GOAL_FILL = { onTarget: '#52c41a', behind: '#f5222d', none: '#bfbfbf' } as const;

/** Fill of a task (or a group of tasks) by where it stands. */
export const TASK_FILL = { done: '#52c41a', open: '#1d5bd8', overdue: '#f5222d', cancelled: '#bfbfbf' } as const;
export type TaskStanding = keyof typeof TASK_FILL;
