// SPDX-License-Identifier: Apache-2.0
// Calls of the audit API.
import type { AuditRecord, AuditVerification } from '../../../../contracts/audit.ts';
import { api, type Page } from '../../lib/api.ts';

/** Filters of the audit list. */
export type AuditFilter = { action?: string; outcome?: AuditRecord['outcome']; q?: string };

export const auditApi = {
  list: (filter: AuditFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<AuditRecord>>('/api/audit', { ...filter, limit, offset }, signal),
  verify: () => api.get<AuditVerification>('/api/audit/verify'),
};
