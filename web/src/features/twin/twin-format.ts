// SPDX-License-Identifier: Apache-2.0
// How the twin map names and shows things: entity types, attributes, units and values in the chosen
// language, the attribute filter as an NGSI-LD query, and points and boxes from GeoJSON.
import type { Translate } from '../../i18n/i18n.tsx';
import type { Language } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';
import { formatNumber } from '../../lib/format.ts';
import type { BBox, Geometry } from './twin-api.ts';

// Types and attributes the platform's data commonly carries; any other name is shown as it is.
const TYPE_LABELS: Record<string, MessageKey> = {
  Building: 'twin.type.Building',
  FireHydrant: 'twin.type.FireHydrant',
  WaterLevelSensor: 'twin.type.WaterLevelSensor',
  AirQualitySensor: 'twin.type.AirQualitySensor',
  Shelter: 'twin.type.Shelter',
  Hospital: 'twin.type.Hospital',
  School: 'twin.type.School',
  Enterprise: 'twin.type.Enterprise',
};

const ATTR_LABELS: Record<string, MessageKey> = {
  name: 'twin.attr.name',
  location: 'twin.attr.location',
  category: 'twin.attr.category',
  floors: 'twin.attr.floors',
  occupants: 'twin.attr.occupants',
  yearBuilt: 'twin.attr.yearBuilt',
  status: 'twin.attr.status',
  pressure: 'twin.attr.pressure',
  protects: 'twin.attr.protects',
  schoolType: 'twin.attr.schoolType',
  students: 'twin.attr.students',
  capacity: 'twin.attr.capacity',
  occupancy: 'twin.attr.occupancy',
  areaM2: 'twin.attr.areaM2',
  hostedBy: 'twin.attr.hostedBy',
  grade: 'twin.attr.grade',
  beds: 'twin.attr.beds',
  bedOccupancy: 'twin.attr.bedOccupancy',
  industry: 'twin.attr.industry',
  employees: 'twin.attr.employees',
  safetyRisk: 'twin.attr.safetyRisk',
  locatedIn: 'twin.attr.locatedIn',
  outputValue: 'twin.attr.outputValue',
  river: 'twin.attr.river',
  waterLevel: 'twin.attr.waterLevel',
  warningLevel: 'twin.attr.warningLevel',
  pm25: 'twin.attr.pm25',
  aqi: 'twin.attr.aqi',
  mountedOn: 'twin.attr.mountedOn',
  regionCode: 'twin.attr.regionCode',
};

// Enumerated text values worth translating.
const VALUE_LABELS: Record<string, MessageKey> = {
  working: 'twin.value.working',
  faulty: 'twin.value.faulty',
  residential: 'twin.value.residential',
  commercial: 'twin.value.commercial',
  public: 'twin.value.public',
  primary: 'twin.value.primary',
  manufacturing: 'twin.value.manufacturing',
  agriculture: 'twin.value.agriculture',
  chemicals: 'twin.value.chemicals',
  logistics: 'twin.value.logistics',
  retail: 'twin.value.retail',
  construction: 'twin.value.construction',
  low: 'twin.value.low',
  medium: 'twin.value.medium',
  high: 'twin.value.high',
};

// UN/CEFACT common codes (NGSI-LD unitCode) as people write them.
const UNIT_SYMBOLS: Record<string, { zh: string; en: string }> = {
  MTR: { zh: 'm', en: 'm' },
  CMT: { zh: 'cm', en: 'cm' },
  KMT: { zh: 'km', en: 'km' },
  MTK: { zh: 'm²', en: 'm²' },
  MPA: { zh: 'MPa', en: 'MPa' },
  KPA: { zh: 'kPa', en: 'kPa' },
  P1: { zh: '%', en: '%' },
  CEL: { zh: '°C', en: '°C' },
  GQ: { zh: 'µg/m³', en: 'µg/m³' },
  KGM: { zh: 'kg', en: 'kg' },
  LTR: { zh: 'L', en: 'L' },
  MQH: { zh: 'm³/h', en: 'm³/h' },
  CNY: { zh: '元', en: 'CNY' },
};

// A colour per type, the same on the map and in every relationship graph.
const TYPE_COLORS: Record<string, string> = {
  Building: '#1d5bd8',
  FireHydrant: '#f5222d',
  WaterLevelSensor: '#13a8a8',
  AirQualitySensor: '#52c41a',
  Shelter: '#fa8c16',
  Hospital: '#eb2f96',
  School: '#722ed1',
  Enterprise: '#8c6d1f',
};
const OTHER_COLORS = ['#2f54eb', '#08979c', '#d4380d', '#531dab', '#7cb305', '#c41d7f'];

/** The colour of an entity type. */
export function typeColor(type: string): string {
  const known = TYPE_COLORS[type];
  if (known) return known;
  let h = 0;
  for (const c of type) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0;
  return OTHER_COLORS[h % OTHER_COLORS.length] ?? '#2f54eb';
}

/** The readable name of an entity type. */
export function typeLabel(t: Translate, type: string): string {
  const key = TYPE_LABELS[type];
  return key ? t(key) : type;
}

/** The readable name of an attribute. */
export function attrLabel(t: Translate, attr: string): string {
  const key = ATTR_LABELS[attr];
  return key ? t(key) : attr;
}

/** The symbol of a unit code ('' for none). */
export function unitSymbol(unitCode: string | null | undefined, lang: Language): string {
  if (!unitCode) return '';
  const u = UNIT_SYMBOLS[unitCode];
  return u ? (lang === 'en' ? u.en : u.zh) : unitCode;
}

/** A number with its unit. */
export function formatMeasure(value: number | null | undefined, unit: string, lang: Language): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 1000 ? 0 : 2;
  const n = formatNumber(value, lang, digits);
  return unit ? (unit === '%' ? `${n}%` : `${n} ${unit}`) : n;
}

/** Any attribute value as short text. */
export function formatValue(t: Translate, value: unknown, unit: string, lang: Language, attr = ''): string {
  // A year is not a quantity: 2023, not 2,023.
  if (typeof value === 'number' && Number.isInteger(value) && /year/i.test(attr)) return String(value);
  if (typeof value === 'number') return formatMeasure(value, unit, lang);
  if (typeof value === 'string') {
    const key = VALUE_LABELS[value];
    return key ? t(key) : value;
  }
  if (typeof value === 'boolean') return t(value ? 'twin.value.true' : 'twin.value.false');
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value);
}

/** The end of the local day `daysBack` days from today (0 = today), as an ISO instant. */
export function endOfDay(daysBack: number, today = new Date()): string {
  return new Date(today.getFullYear(), today.getMonth(), today.getDate() + daysBack + 1).toISOString();
}

/** The local date `daysBack` days from today. */
export function dayAt(daysBack: number, today = new Date()): Date {
  return new Date(today.getFullYear(), today.getMonth(), today.getDate() + daysBack);
}

/** A date as YYYY-MM-DD in local time. */
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Comparison operators the filter offers (NGSI-LD q). */
export const FILTER_OPS = ['==', '!=', '>', '>=', '<', '<=', '~='] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** One attribute filter. */
export type AttributeFilter = { attr: string; op: FilterOp; value: string; numeric: boolean };

/**
 * The NGSI-LD query of a filter, or null when the value does not fit the attribute (a numeric attribute
 * compared with text). Text is quoted with `"` and `\` escaped; `~=` takes a regular expression.
 */
export function filterQuery(f: AttributeFilter): string | null {
  const raw = f.value.trim();
  if (!raw) return null;
  if (f.numeric && f.op !== '~=') {
    if (!/^-?\d+(\.\d+)?([eE][+-]?\d{1,3})?$/.test(raw)) return null;
    return `${f.attr}${f.op}${raw}`;
  }
  return `${f.attr}${f.op}"${raw.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function walkPositions(coords: unknown, visit: (x: number, y: number) => void): void {
  if (!Array.isArray(coords)) return;
  if (coords.length >= 2 && typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    visit(coords[0], coords[1]);
    return;
  }
  for (const c of coords) walkPositions(c, visit);
}

/** The bounding box of GeoJSON coordinates (any nesting), or null when there are none. */
export function bboxOf(coordinates: unknown[]): BBox | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  walkPositions(coordinates, (x, y) => {
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x);
    y2 = Math.max(y2, y);
  });
  return Number.isFinite(x1) ? [x1, y1, x2, y2] : null;
}

/** Where to draw an entity: a Point's position, else the middle of its geometry's box. */
export function pointOf(geometry: unknown): [number, number] | null {
  if (typeof geometry !== 'object' || geometry === null) return null;
  const g = geometry as Partial<Geometry>;
  if (g.type === 'Point' && Array.isArray(g.coordinates)) {
    const [x, y] = g.coordinates as unknown[];
    return typeof x === 'number' && typeof y === 'number' ? [x, y] : null;
  }
  const box = bboxOf([g.coordinates]);
  return box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : null;
}

/** The last segment of an entity id (urn:ngsi-ld:Building:42 → 42), for entities without a name. */
export function shortId(id: string): string {
  const parts = id.split(':');
  return parts.length > 3 ? parts.slice(3).join(':') : id;
}
