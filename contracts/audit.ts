// SPDX-License-Identifier: Apache-2.0
import { z } from 'zod';

export const AuditRecord = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  regionCode: z.string().nullable(),
  outcome: z.enum(['success', 'denied', 'failure']),
  reason: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  algorithm: z.enum(['sha256', 'sm3']),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** The result of walking the chain: ok, or the first broken link. */
export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
