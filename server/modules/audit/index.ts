// SPDX-License-Identifier: Apache-2.0
// Public surface of the audit module.
export { type AuditEntry, countAudit, GENESIS_HASH, listAudit, recordAudit, recordAuditNow, verifyAuditChain } from './audit.service.ts';
export type { AuditFilter } from './audit.store.ts';
export { auditRoutes } from './audit.routes.ts';
