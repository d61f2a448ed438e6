// SPDX-License-Identifier: Apache-2.0
// Calls of the warnings API, and the public CAP document of a message.
import type { Warning, WarningCancel, WarningDetail, WarningInput, WarningUpdate } from '../../../../contracts/dispatch-warnings.ts';
import { api, type Page } from '../../lib/api.ts';

/** Filters of the warning list. */
export type WarningFilter = { q?: string; status?: string; regionCode?: string | null; exercise?: 'true' | 'false'; incidentId?: string };

export const warningsApi = {
  list: (f: WarningFilter, limit: number, offset: number, signal?: AbortSignal) => api.get<Page<Warning>>('/api/warnings', { ...f, limit, offset }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<WarningDetail>(`/api/warnings/${encodeURIComponent(id)}`, undefined, signal),
  issue: (input: WarningInput) => api.post<WarningDetail>('/api/warnings', input),
  update: (id: string, input: WarningUpdate) => api.patch<WarningDetail>(`/api/warnings/${encodeURIComponent(id)}`, input),
  cancel: (id: string, input: WarningCancel) => api.post<WarningDetail>(`/api/warnings/${encodeURIComponent(id)}/cancel`, input),
  /** The CAP 1.2 XML of one message, from the public endpoint. */
  async capXml(url: string, signal?: AbortSignal): Promise<string> {
    const res = await fetch(url, { signal, credentials: 'omit' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  },
};
