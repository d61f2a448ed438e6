// SPDX-License-Identifier: Apache-2.0
// Calls the twin map makes: the analysis API (types, roll-ups, graph) and NGSI-LD (entities, history).
import type { Graph, H3Result, RollupResult, TwinType } from '../../../../contracts/twin.ts';
import { api, ApiError, type Items } from '../../lib/api.ts';

export type { Graph, H3Result, RollupResult, TwinType };

/** One attribute of a type, as /api/twin/types lists it. */
export type TwinTypeAttribute = TwinType['attributes'][number];

/** [minLon, minLat, maxLon, maxLat]. */
export type BBox = [number, number, number, number];

/** A GeoJSON geometry as NGSI-LD holds a GeoProperty's value. */
export type Geometry = { type: string; coordinates: unknown };

/** An entity in NGSI-LD keyValues form: attribute → value (a Relationship → its target id). */
export type KeyValuesEntity = { id: string; type: string; [attr: string]: unknown };

/** One attribute instance in NGSI-LD normalized form. */
export type AttributeInstance = {
  type: 'Property' | 'GeoProperty' | 'Relationship' | 'LanguageProperty';
  value?: unknown;
  object?: string;
  languageMap?: Record<string, string>;
  unitCode?: string;
  observedAt?: string;
  datasetId?: string;
};

/** An entity in NGSI-LD normalized form. */
export type NormalizedEntity = { id: string; type: string; [attr: string]: unknown };

/** Aggregated history: per attribute, [value, periodStart, periodEnd] per period. */
export type AggregatedHistory = Record<string, Array<[number | null, string, string]>>;

/** The latest value of each entity at a time: id → value (absent: no value before that time). */
export type ValuesAsOf = Map<string, unknown>;

const NGSI = '/ngsi-ld/v1';
/** The most entities one NGSI-LD query answers. */
const PAGE = 1000;
/** The most entities the map draws: a province's worth of buildings; narrower views need no more. */
export const ENTITY_LIMIT = 5 * PAGE;
/** Pages of entities read when the type list has to be derived from the entities themselves. */
const SAMPLE_PAGES = 10;

/** Reads pages of up to 1,000 until a short page or `ENTITY_LIMIT` entities. */
async function allPages<T>(page: (offset: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < ENTITY_LIMIT; offset += PAGE) {
    const items = await page(offset);
    out.push(...items);
    if (items.length < PAGE) break;
  }
  return out;
}

/** A closed polygon ring around a bounding box, as NGSI-LD `coordinates` for geometry=Polygon. */
export function bboxPolygon([x1, y1, x2, y2]: BBox): string {
  return JSON.stringify([[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]);
}

function geoFilter(bbox: BBox) {
  return { georel: 'within', geometry: 'Polygon', coordinates: bboxPolygon(bbox) };
}

/** Whether `value` is one normalized attribute instance. */
export function isInstance(value: unknown): value is AttributeInstance {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'Property' || t === 'GeoProperty' || t === 'Relationship' || t === 'LanguageProperty';
}

/** The instances of an attribute of a normalized entity (several when datasetIds tell them apart). */
export function instancesOf(value: unknown): AttributeInstance[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter(isInstance);
}

/**
 * The type list derived from the entities themselves, for when /api/twin/types cannot answer: reads the
 * entities in the caller's scope page by page (normalized, so that kinds and units are known).
 */
async function typesFromEntities(signal?: AbortSignal): Promise<TwinType[]> {
  const byType = new Map<string, { entities: number; attrs: Map<string, TwinTypeAttribute> }>();
  for (let page = 0; page < SAMPLE_PAGES; page++) {
    const items = await api.get<NormalizedEntity[]>(`${NGSI}/entities`, { idPattern: '.*', limit: PAGE, offset: page * PAGE }, signal);
    for (const e of items) {
      let t = byType.get(e.type);
      if (!t) byType.set(e.type, (t = { entities: 0, attrs: new Map() }));
      t.entities++;
      for (const [name, value] of Object.entries(e)) {
        const inst = instancesOf(value)[0];
        if (!inst) continue;
        const known = t.attrs.get(name);
        const numeric = typeof inst.value === 'number';
        t.attrs.set(name, {
          name,
          kind: inst.type,
          numeric: (known?.numeric ?? false) || numeric,
          unitCode: known?.unitCode ?? inst.unitCode ?? null,
          entities: (known?.entities ?? 0) + 1,
        });
      }
    }
    if (items.length < PAGE) break;
  }
  return [...byType]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([type, t]) => ({ type, iri: type, entities: t.entities, attributes: [...t.attrs.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) }));
}

export const twinApi = {
  /** Entity types in the user's region with their attributes. */
  types: async (signal?: AbortSignal): Promise<TwinType[]> => {
    try {
      return (await api.get<Items<TwinType>>('/api/twin/types', undefined, signal)).items;
    } catch (err) {
      // The analysis endpoint fails on some data (a type with Relationship attributes); the entities
      // themselves still tell which types exist.
      if (err instanceof ApiError && err.status >= 500) return typesFromEntities(signal);
      throw err;
    }
  },

  /** Entities of `type` inside `bbox`, optionally filtered by an NGSI-LD query. */
  entities: (p: { type: string; bbox: BBox; q?: string }, signal?: AbortSignal) =>
    allPages((offset) =>
      api.get<KeyValuesEntity[]>(`${NGSI}/entities`, { type: p.type, q: p.q, ...geoFilter(p.bbox), limit: PAGE, offset, options: 'keyValues' }, signal),
    ),

  /** The latest value of `attr` before `at` for each entity of `type` inside `bbox`. */
  valuesAsOf: async (p: { type: string; attr: string; bbox: BBox; q?: string; at: string }, signal?: AbortSignal): Promise<ValuesAsOf> => {
    const items = await allPages((offset) =>
      api.get<Array<Record<string, unknown>>>(
        `${NGSI}/temporal/entities`,
        { type: p.type, q: p.q, ...geoFilter(p.bbox), attrs: p.attr, timerel: 'before', timeAt: p.at, lastN: 1, options: 'temporalValues', limit: PAGE, offset },
        signal,
      ),
    );
    const out: ValuesAsOf = new Map();
    for (const e of items) {
      const series = e[p.attr] as { values?: Array<[unknown, string]> } | undefined;
      const last = series?.values?.at(-1);
      if (typeof e.id === 'string' && last) out.set(e.id, last[0]);
    }
    return out;
  },

  /** One entity, normalized (values with units and observation times). */
  entity: (id: string, signal?: AbortSignal) => api.get<NormalizedEntity>(`${NGSI}/entities/${encodeURIComponent(id)}`, undefined, signal),

  /** Daily averages of numeric attributes between two times. */
  history: async (p: { id: string; attrs: string[]; from: string; to: string }, signal?: AbortSignal): Promise<AggregatedHistory> => {
    const body = await api.get<Record<string, unknown>>(
      `${NGSI}/temporal/entities/${encodeURIComponent(p.id)}`,
      { attrs: p.attrs.join(','), timerel: 'between', timeAt: p.from, endTimeAt: p.to, aggrMethods: 'avg', aggrPeriodDuration: 'P1D' },
      signal,
    );
    const out: AggregatedHistory = {};
    for (const attr of p.attrs) {
      const series = body[attr] as { avg?: Array<[number | null, string, string]> } | undefined;
      if (series?.avg) out[attr] = series.avg;
    }
    return out;
  },

  /** Counts (or an attribute's statistics) of a type per region one level below `parent`, now or as of a time. */
  rollup: (p: { type: string; attr?: string; parent: string; level: string; asOf?: string; q?: string }, signal?: AbortSignal) =>
    api.get<RollupResult>('/api/twin/rollup', { type: p.type, attr: p.attr, parent: p.parent, levels: p.level, asOf: p.asOf, q: p.q }, signal),

  /** The same per H3 hexagon at a resolution. */
  h3: (p: { type: string; attr?: string; parent: string; resolution: number; asOf?: string; q?: string }, signal?: AbortSignal) =>
    api.get<H3Result>('/api/twin/rollup/h3', { type: p.type, attr: p.attr, parent: p.parent, resolution: p.resolution, asOf: p.asOf, q: p.q }, signal),

  /** Entities related to `id` within `hops` relationships. */
  graph: (id: string, hops: number, signal?: AbortSignal) => api.get<Graph>('/api/twin/graph', { id, hops }, signal),
};
