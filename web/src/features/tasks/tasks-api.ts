// SPDX-License-Identifier: Apache-2.0
// Calls of the tasks API.
import type { Task, TaskAction, TaskDetail, TaskKind, TaskPriority, TaskStatus, TASK_SORTS } from '../../../../contracts/tasks.ts';
import { api, type Page, upload } from '../../lib/api.ts';

export type TaskSort = (typeof TASK_SORTS)[number];

/** Filters of the task list. */
export type TaskFilter = {
  mine?: boolean;
  status?: TaskStatus | 'open';
  kind?: TaskKind;
  overdue?: boolean;
  exercise?: 'true' | 'false';
  incidentId?: string;
  sourceRef?: string;
  policyId?: string;
  goalId?: string;
  organizationId?: string;
  q?: string;
  sort?: TaskSort;
};

export const tasksApi = {
  list: (f: TaskFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<Task>>('/api/tasks', { ...f, mine: f.mine ? 'true' : undefined, overdue: f.overdue ? 'true' : undefined, limit, offset }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}`, undefined, signal),
  act: (id: string, action: TaskAction) => api.post<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}/actions`, action),
  /** Keeps `file` as evidence of the task (the server takes at most MAX_EVIDENCE_BYTES). */
  addFile: (id: string, file: File, signal?: AbortSignal) => upload<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}/evidence`, { name: file.name }, file, signal),
  /** Where a file kept as evidence downloads from. */
  fileUrl: (id: string, evidenceId: string) => `/api/tasks/${encodeURIComponent(id)}/evidence/${encodeURIComponent(evidenceId)}/file`,
};

/** The largest file the server keeps as evidence. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** Tag colour of each status; the key order is the board's column order. */
export const TASK_STATUS_COLORS: Record<TaskStatus, string> = {
  assigned: 'blue',
  accepted: 'cyan',
  in_progress: 'orange',
  submitted: 'purple',
  returned: 'magenta',
  done: 'green',
  cancelled: 'default',
};
export const TASK_STATUS_LIST = Object.keys(TASK_STATUS_COLORS) as TaskStatus[];

export const TASK_PRIORITY_COLORS: Record<TaskPriority, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };
