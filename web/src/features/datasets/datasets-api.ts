// SPDX-License-Identifier: Apache-2.0
// Calls of the back-flow data sets API.
import type { Correction, CorrectionInput, CorrectionStatus, Dataset, DatasetRowPage, DatasetVersion } from '../../../../contracts/datasets.ts';
import { api, type Page } from '../../lib/api.ts';

const base = (code: string) => `/api/datasets/${encodeURIComponent(code)}`;

/** Filters of the row table. */
export type RowFilter = { q?: string; regionCode?: string | null; asOf?: number };

/** Filters of the corrections list. */
export type CorrectionFilter = { status?: CorrectionStatus; mine?: boolean };

export const datasetsApi = {
  list: (q: string | undefined, limit: number, offset: number, signal?: AbortSignal) => api.get<Page<Dataset>>('/api/datasets', { q, limit, offset }, signal),
  get: (code: string, signal?: AbortSignal) => api.get<Dataset>(base(code), undefined, signal),
  versions: (code: string, signal?: AbortSignal) => api.get<Page<DatasetVersion>>(`${base(code)}/versions`, { limit: 1000 }, signal),
  rows: (code: string, filter: RowFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<DatasetRowPage>(`${base(code)}/rows`, { ...filter, limit, offset }, signal),
  corrections: (code: string, filter: CorrectionFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<Correction>>(`${base(code)}/corrections`, { status: filter.status, mine: filter.mine ? 'true' : undefined, limit, offset }, signal),
  propose: (code: string, input: CorrectionInput) => api.post<Correction>(`${base(code)}/corrections`, input),
  accept: (code: string, id: number, note: string | undefined) => api.post<Correction>(`${base(code)}/corrections/${id}/accept`, note ? { note } : {}),
  reject: (code: string, id: number, note: string) => api.post<Correction>(`${base(code)}/corrections/${id}/reject`, { note }),
};
