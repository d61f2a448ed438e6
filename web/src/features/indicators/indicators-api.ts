// SPDX-License-Identifier: Apache-2.0
// Calls of the indicators API (catalog, values, computation, targets, alerts, cockpit) and the colours of
// value statuses and alert levels.
import type {
  AlertAction, Cockpit, ComputeInput, ComputeResult, Direction, Indicator, IndicatorAlert, IndicatorSummary, IndicatorValue, TargetInput, ValueStatus,
} from '../../../../contracts/indicators.ts';
import type { PeriodKind } from '../../../../contracts/indicator-periods.ts';
import type { Level } from '../../../../contracts/regions.ts';
import { api, type Page, request } from '../../lib/api.ts';

/** Filters of the catalog. */
export type IndicatorFilter = { q?: string; period?: PeriodKind; key?: boolean; status?: 'active' | 'retired'; region?: string | null };

/** Which values: a trend (region + from/to), a ranking (level + period) or a region's children (parent + period). */
export type ValueFilter = {
  region?: string;
  parent?: string;
  level?: Level;
  period?: string;
  from?: string;
  to?: string;
  status?: ValueStatus;
  sort?: 'period' | 'value' | '-value' | 'gap' | '-gap' | 'region';
};

/** Filters of the alert list. */
export type AlertFilter = { open?: boolean; level?: 'warn' | 'alarm'; indicator?: string; region?: string | null };

const path = (code: string) => `/api/indicators/${encodeURIComponent(code)}`;

export const indicatorsApi = {
  list: (f: IndicatorFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<IndicatorSummary>>('/api/indicators', { ...f, key: f.key ? 'true' : undefined, limit, offset }, signal),
  get: (code: string, signal?: AbortSignal) => api.get<Indicator>(path(code), undefined, signal),
  values: (code: string, f: ValueFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<IndicatorValue>>(`${path(code)}/values`, { ...f, limit, offset }, signal),
  compute: (code: string, input: ComputeInput = {}) => api.post<ComputeResult>(`${path(code)}/compute`, input),
  setTargets: (code: string, input: TargetInput) => request<{ accepted: number }>(`${path(code)}/targets`, { method: 'PUT', body: input }),
  alerts: (f: AlertFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<IndicatorAlert>>('/api/indicator-alerts', { ...f, open: f.open === undefined ? undefined : String(f.open), limit, offset }, signal),
  alert: (id: string, signal?: AbortSignal) => api.get<IndicatorAlert>(`/api/indicator-alerts/${encodeURIComponent(id)}`, undefined, signal),
  actOnAlert: (id: string, action: AlertAction) => api.post<IndicatorAlert>(`/api/indicator-alerts/${encodeURIComponent(id)}/actions`, action),
  cockpit: (region: string | null, signal?: AbortSignal) => api.get<Cockpit>('/api/cockpit', { region }, signal),
};

/** Tag colour of each value status; the key order is the legend's. */
export const VALUE_STATUS_COLORS: Record<ValueStatus, string> = { normal: 'green', warn: 'orange', alarm: 'red', none: 'default' };
export const VALUE_STATUS_LIST = Object.keys(VALUE_STATUS_COLORS) as ValueStatus[];

/** Fill colour of each status on charts and maps. */
export const VALUE_STATUS_FILL: Record<ValueStatus, string> = { normal: '#52c41a', warn: '#fa8c16', alarm: '#f5222d', none: '#d9d9d9' };

/** Tag colour of the alert levels. */
export const ALERT_LEVEL_COLORS: Record<'warn' | 'alarm', string> = { warn: 'orange', alarm: 'red' };

/** Tag colour of the alert statuses. */
export const ALERT_STATUS_COLORS: Record<IndicatorAlert['status'], string> = { open: 'volcano', acknowledged: 'gold', closed: 'default' };

export const PERIOD_KIND_LIST: readonly PeriodKind[] = ['day', 'week', 'month', 'quarter', 'year'];

/**
 * How far a value is behind: the larger, the worse (the server ranks lagging regions the same way).
 * Without a value it is the worst; without a target the value itself decides.
 */
export function shortfall(value: number | null, target: number | null, direction: Direction): number {
  if (value === null) return Number.POSITIVE_INFINITY;
  const sign = direction === 'higher_better' ? -1 : 1;
  return target === null ? sign * value : sign * (value - target);
}

/** `values` sorted worst first. */
export function worstFirst<T extends Pick<IndicatorValue, 'value' | 'target' | 'regionCode'>>(values: readonly T[], direction: Direction): T[] {
  return [...values].sort((a, b) => {
    const d = shortfall(b.value, b.target, direction) - shortfall(a.value, a.target, direction);
    return Number.isNaN(d) || d === 0 ? a.regionCode.localeCompare(b.regionCode) : d;
  });
}

/** Whether a gap (value − target) is ahead of the target for this direction. */
export function gapAhead(gap: number, direction: Direction): boolean {
  return direction === 'higher_better' ? gap >= 0 : gap <= 0;
}
