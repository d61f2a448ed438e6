// SPDX-License-Identifier: Apache-2.0
// Shapes shared by server and console.
import { z } from 'zod';

/** RFC 9457 problem details as the API returns them. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

/** limit/offset pagination; lists answer `{ items, total, limit, offset }`. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** A page of `item`. */
export function page<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
}

/** True when YYYY-MM-DD names a real calendar day from year 1 (no 2021-02-30, no year 0). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(2000, mo - 1, d));
  date.setUTCFullYear(y);
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A calendar date, YYYY-MM-DD. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine(isCalendarDate, 'not a real calendar date');

/** An ISO 8601 date-time with offset, on a real calendar day. */
export const IsoDateTime = z.iso.datetime({ offset: true }).refine((s) => isCalendarDate(s.slice(0, 10)), 'not a real calendar date');

/** The data classification levels (数据分级), lowest first. */
export const CLASSIFICATIONS = ['public', 'internal', 'sensitive', 'core'] as const;
export const Classification = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof Classification>;
