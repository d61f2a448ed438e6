// SPDX-License-Identifier: Apache-2.0
// Calls of the contingency plans API.
import type { Problem } from '../../../../contracts/common.ts';
import type {
  ImportResult, Plan, PlanAction, PlanBinding, PlanContent, PlanDetail, PlanDiff, PlanRole, PlanStatus, PlanTransitionResult, PlanVersion,
} from '../../../../contracts/dispatch-plans.ts';
import { api, ApiError, type Items, type Page, request, withQuery } from '../../lib/api.ts';

/** Filters of the plan library. */
export type PlanFilter = { scenarioType?: string; regionCode?: string | null; status?: PlanStatus; q?: string };

const base = (id: string, version: number) => `/api/plans/${encodeURIComponent(id)}/versions/${version}`;

export const plansApi = {
  roles: (signal?: AbortSignal) => api.get<Items<PlanRole>>('/api/plan-roles', undefined, signal),
  list: (filter: PlanFilter, limit: number, offset: number, signal?: AbortSignal) => api.get<Page<Plan>>('/api/plans', { ...filter, limit, offset }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<PlanDetail>(`/api/plans/${encodeURIComponent(id)}`, undefined, signal),
  version: (id: string, version: number, signal?: AbortSignal) => api.get<PlanVersion>(base(id, version), undefined, signal),
  saveDraft: (id: string, version: number, content: PlanContent) => request<PlanVersion>(base(id, version), { method: 'PUT', body: content }),
  transition: (id: string, version: number, action: PlanAction, note?: string) => api.post<PlanTransitionResult>(`${base(id, version)}/transitions`, { action, ...(note ? { note } : {}) }),
  diff: (id: string, from: number, to: number, signal?: AbortSignal) => api.get<PlanDiff>(`/api/plans/${encodeURIComponent(id)}/diff`, { from, to }, signal),
  binding: (id: string, version: number, regionCode: string | null, signal?: AbortSignal) => api.get<PlanBinding>(`${base(id, version)}/binding`, { regionCode }, signal),
  bind: (id: string, version: number, body: { regionCode?: string; auto?: boolean; bindings?: { roleKey: string; organizationId: string | null }[] }) =>
    request<PlanBinding>(`${base(id, version)}/binding`, { method: 'PUT', body }),
  exportUrl: (id: string, version: number, format: 'yaml' | 'json') => withQuery(`${base(id, version)}/export`, { format }),
  /** Sends a package file as it is (YAML or JSON text). */
  async importPackage(text: string, query: { regionCode: string; code?: string; dryRun?: boolean }): Promise<ImportResult> {
    const res = await fetch(withQuery('/api/plans/import', { regionCode: query.regionCode, code: query.code, dryRun: query.dryRun ? 'true' : undefined }), {
      method: 'POST',
      headers: { Accept: 'application/json, application/problem+json', 'Content-Type': 'application/yaml' },
      credentials: 'same-origin',
      body: text,
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const problem = (body ?? { type: 'about:blank', title: res.statusText, status: res.status, code: `http-${res.status}` }) as Problem;
      throw new ApiError(problem);
    }
    return body as ImportResult;
  },
};

/** The colour of each status in tags. */
export const STATUS_COLORS: Record<PlanStatus, string> = {
  draft: 'default',
  reviewed: 'processing',
  published: 'success',
  drilled: 'cyan',
  evaluated: 'purple',
  revised: 'warning',
};
export const PLAN_STATUS_LIST = Object.keys(STATUS_COLORS) as PlanStatus[];

/** The actions each status offers (the server decides; out of turn is a 409). */
export const ACTIONS_BY_STATUS: Record<PlanStatus, PlanAction[]> = {
  draft: ['review'],
  reviewed: ['publish', 'return'],
  published: ['drill', 'revise'],
  drilled: ['evaluate', 'revise'],
  evaluated: ['drill', 'revise'],
  revised: [],
};
/** The grant each action needs. */
export const ACTION_PERMISSION: Record<PlanAction, 'plan:write' | 'plan:publish'> = {
  review: 'plan:publish', return: 'plan:publish', publish: 'plan:publish', drill: 'plan:write', evaluate: 'plan:write', revise: 'plan:write',
};
