// SPDX-License-Identifier: Apache-2.0
// Audit log routes: read-only, and only for the audit administrator.
import { z } from 'zod';
import { AuditRecord, AuditVerification } from '../../../contracts/audit.ts';
import { IsoDateTime, page, PageQuery } from '../../../contracts/common.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { authorize } from '../access/index.ts';
import { listAudit, verifyAuditChain } from './audit.service.ts';

export function auditRoutes(app: App, deps: Deps): void {
  app.get('/api/audit', {
    schema: {
      tags: ['audit'], summary: 'Audit records, newest first (audit administrator only)',
      querystring: PageQuery.extend({
        action: z.string().max(100).optional(), actorId: z.string().uuid().optional(), outcome: z.enum(['success', 'denied', 'failure']).optional(),
        regionCode: z.string().regex(/^\d{1,15}$/).optional(), from: IsoDateTime.optional(), to: IsoDateTime.optional(),
        q: z.string().max(100).optional(), order: z.enum(['asc', 'desc']).default('desc'),
      }),
      response: { 200: page(AuditRecord) },
    },
  }, async (req) => {
    await authorize(deps, req.ctx, 'audit:read');
    const { limit, offset, order, regionCode, ...filter } = req.query;
    return listAudit(deps.db, { ...filter, regionPrefix: regionCode?.replace(/0+$/, '') }, limit, offset, order);
  });

  app.get('/api/audit/verify', {
    schema: { tags: ['audit'], summary: 'Walk the hash chain and report the first broken link', response: { 200: AuditVerification } },
  }, async (req) => {
    await authorize(deps, req.ctx, 'audit:read');
    return verifyAuditChain(deps.db);
  });
}
