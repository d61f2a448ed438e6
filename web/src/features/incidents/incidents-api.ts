// SPDX-License-Identifier: Apache-2.0
// Calls of the incidents API.
import type { Incident, IncidentAction, IncidentDetail, IncidentInput, IncidentType, ReportOutcome } from '../../../../contracts/dispatch-incidents.ts';
import { api, type Page } from '../../lib/api.ts';

/** Filters of the queue. */
export type IncidentFilter = {
  q?: string;
  status?: string;
  type?: string;
  grade?: string;
  regionCode?: string | null;
  overdue?: boolean;
  exercise?: 'true' | 'false';
  sort?: string;
};

export const incidentsApi = {
  types: (signal?: AbortSignal) => api.get<IncidentType[]>('/api/incident-types', undefined, signal),
  list: (f: IncidentFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<Incident>>('/api/incidents', { ...f, overdue: f.overdue ? 'true' : undefined, limit, offset }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`, undefined, signal),
  report: (input: Partial<IncidentInput>) => api.post<ReportOutcome>('/api/incidents', input),
  act: (id: string, action: IncidentAction) => api.post<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}/actions`, action),
};
