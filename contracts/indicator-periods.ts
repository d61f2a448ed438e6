// SPDX-License-Identifier: Apache-2.0
// Indicator periods (统计周期): day, ISO week, month, quarter and year, named by a key that sorts in time
// order within its kind — 2026-11-27, 2026-W48, 2026-11, 2026-Q4, 2026. Periods are cut in China
// Standard Time (UTC+8, no daylight saving), so a "day" is a local calendar day.

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Hours east of UTC of the periods' calendar. */
const OFFSET_HOURS = 8;
const DAY_MS = 86_400_000;

const PATTERNS: Record<PeriodKind, RegExp> = {
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  week: /^(\d{4})-W(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
  quarter: /^(\d{4})-Q([1-4])$/,
  year: /^(\d{4})$/,
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const ymd = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Monday of ISO week 1 of `year` (as a UTC-midnight date standing for the local day). */
function isoWeekOneMonday(year: number): Date {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  return new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY_MS);
}

/** The first local day of a period (a UTC-midnight date standing for it), or undefined when the key is not one. */
function firstDay(kind: PeriodKind, key: string): Date | undefined {
  const m = PATTERNS[kind].exec(key);
  if (!m) return undefined;
  const y = Number(m[1]);
  if (y < 1900 || y > 2999) return undefined;
  switch (kind) {
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
    case 'quarter':
      return new Date(Date.UTC(y, (Number(m[2]) - 1) * 3, 1));
    case 'month': {
      const mo = Number(m[2]);
      return mo >= 1 && mo <= 12 ? new Date(Date.UTC(y, mo - 1, 1)) : undefined;
    }
    case 'week': {
      const w = Number(m[2]);
      const monday = new Date(isoWeekOneMonday(y).getTime() + (w - 1) * 7 * DAY_MS);
      return w >= 1 && w <= 53 && periodOfDay('week', monday) === key ? monday : undefined;
    }
    case 'day': {
      const d = new Date(Date.UTC(y, Number(m[2]) - 1, Number(m[3])));
      return ymd(d) === key ? d : undefined;
    }
  }
}

/** The key of the period of `kind` holding the local day `day` (a UTC-midnight date). */
function periodOfDay(kind: PeriodKind, day: Date): string {
  const y = day.getUTCFullYear();
  switch (kind) {
    case 'day':
      return ymd(day);
    case 'month':
      return `${pad(y, 4)}-${pad(day.getUTCMonth() + 1)}`;
    case 'quarter':
      return `${pad(y, 4)}-Q${Math.floor(day.getUTCMonth() / 3) + 1}`;
    case 'year':
      return pad(y, 4);
    case 'week': {
      // ISO 8601: the week belongs to the year of its Thursday
      const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
      const wy = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - isoWeekOneMonday(wy).getTime()) / (7 * DAY_MS)) + 1;
      return `${pad(wy, 4)}-W${pad(week)}`;
    }
  }
}

/** Whether `key` names a period of `kind`. */
export function isPeriodKey(kind: PeriodKind, key: string): boolean {
  return firstDay(kind, key) !== undefined;
}

/** The key of the period of `kind` that holds the instant `at`. */
export function periodAt(kind: PeriodKind, at: Date): string {
  const local = new Date(at.getTime() + OFFSET_HOURS * 3_600_000);
  return periodOfDay(kind, new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate())));
}

/** The key of the period holding the local calendar day `date` (YYYY-MM-DD, as SQL's date_trunc gives it). */
export function periodOfDate(kind: PeriodKind, date: string): string {
  const d = firstDay('day', date);
  if (!d) throw new RangeError(`not a date: ${date}`);
  return periodOfDay(kind, d);
}

/** The instants a period starts (inclusive) and ends (exclusive). Throws on a key that is not one. */
export function periodBounds(kind: PeriodKind, key: string): { start: Date; end: Date } {
  const first = firstDay(kind, key);
  if (!first) throw new RangeError(`${key} is not a ${kind}`);
  const next = nextDay(kind, first);
  const shift = OFFSET_HOURS * 3_600_000;
  return { start: new Date(first.getTime() - shift), end: new Date(next.getTime() - shift) };
}

function nextDay(kind: PeriodKind, first: Date): Date {
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth();
  switch (kind) {
    case 'day':
      return new Date(first.getTime() + DAY_MS);
    case 'week':
      return new Date(first.getTime() + 7 * DAY_MS);
    case 'month':
      return new Date(Date.UTC(y, m + 1, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m + 3, 1));
    case 'year':
      return new Date(Date.UTC(y + 1, 0, 1));
  }
}

/** The period after `key`. */
export function nextPeriod(kind: PeriodKind, key: string): string {
  const first = firstDay(kind, key);
  if (!first) throw new RangeError(`${key} is not a ${kind}`);
  return periodOfDay(kind, nextDay(kind, first));
}

/** The period before `key`. */
export function previousPeriod(kind: PeriodKind, key: string): string {
  const first = firstDay(kind, key);
  if (!first) throw new RangeError(`${key} is not a ${kind}`);
  return periodOfDay(kind, new Date(first.getTime() - DAY_MS));
}

/** The periods from `from` to `to` inclusive, in order; at most `max` of them (RangeError beyond). */
export function periodRange(kind: PeriodKind, from: string, to: string, max = 400): string[] {
  if (!isPeriodKey(kind, from)) throw new RangeError(`${from} is not a ${kind}`);
  if (!isPeriodKey(kind, to)) throw new RangeError(`${to} is not a ${kind}`);
  const out: string[] = [];
  for (let k = from; k <= to; k = nextPeriod(kind, k)) {
    out.push(k);
    if (out.length > max) throw new RangeError(`more than ${max} periods from ${from} to ${to}`);
  }
  return out;
}

/** The `n` periods ending with `last`, oldest first. */
export function lastPeriods(kind: PeriodKind, last: string, n: number): string[] {
  const out = [last];
  while (out.length < n) out.unshift(previousPeriod(kind, out[0] as string));
  return out;
}

/** An example key of each kind, for messages. */
export const PERIOD_EXAMPLE: Record<PeriodKind, string> = { day: '2026-11-27', week: '2026-W48', month: '2026-11', quarter: '2026-Q4', year: '2026' };
