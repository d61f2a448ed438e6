// SPDX-License-Identifier: Apache-2.0
// Numbers and times as people read them in the chosen language.
import type { Language } from '../i18n/i18n.tsx';

const DASH = '—';

/** 1234567 → "1,234,567"; null → "—". */
export function formatNumber(value: number | null | undefined, lang: Language, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return DASH;
  return value.toLocaleString(lang, { maximumFractionDigits: digits });
}

/** An area in square kilometres. */
export function formatArea(km2: number | null | undefined, lang: Language): string {
  if (km2 === null || km2 === undefined) return DASH;
  return `${formatNumber(km2, lang, km2 < 10 ? 2 : 1)} km²`;
}

/** An ISO timestamp in local time, to the second. */
export function formatDateTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** An ISO date or timestamp as a date. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return iso.slice(0, 10);
}

/** An ISO timestamp as month, day, hour and minute (for dense lists). */
export function formatShortDateTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** An ISO timestamp as the time of day, to the second. */
export function formatTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** A local date and time `days` from now, as a datetime-local input holds it. */
export function localDateTimeIn(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as an ISO timestamp, or '' when it is not a time. */
export function isoOfLocal(value: string | undefined): string {
  const ms = value ? new Date(value).getTime() : Number.NaN;
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

/** A size in bytes as people read it: "812 B", "14.2 KB", "3.5 MB". */
export function formatBytes(bytes: number, lang: Language): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, lang, 1)} KB`;
  return `${formatNumber(bytes / 1024 / 1024, lang, 1)} MB`;
}
