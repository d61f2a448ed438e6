// SPDX-License-Identifier: Apache-2.0
// Rendering entities in the NGSI-LD representations: normalized, concise, keyValues, GeoJSON, temporal.
import type { EntityRow, HistoryRow, Instance } from './entities.store.ts';
import { compact, expand, type LdContext } from './ngsi-context.ts';

/** Which representation the client asked for. */
export type RenderOptions = { format: 'normalized' | 'concise' | 'keyValues'; attrs?: Set<string>; sysAttrs?: boolean };

const LOCATION = 'https://uri.etsi.org/ngsi-ld/location';

function renderInstance(inst: Instance, opts: RenderOptions): unknown {
  if (opts.format === 'keyValues') {
    if (inst.type === 'Relationship') return inst.object;
    if (inst.type === 'LanguageProperty') return inst.languageMap;
    return inst.value;
  }
  if (opts.format === 'concise') {
    const { type, ...rest } = inst;
    const keys = Object.keys(rest);
    if (type === 'Property' && keys.length === 1 && keys[0] === 'value' && (typeof rest.value !== 'object' || rest.value === null)) return rest.value;
    return rest;
  }
  return inst;
}

/** An entity in the requested representation, with attribute names compacted against `ld`. */
export function renderEntity(row: EntityRow, ld: LdContext, opts: RenderOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id, type: compact(ld, row.type) };
  for (const [iri, value] of Object.entries(row.attrs)) {
    if (opts.attrs && !opts.attrs.has(iri)) continue;
    const list = Array.isArray(value) ? value : [value];
    const rendered = list.map((i) => renderInstance(i, opts));
    out[compact(ld, iri)] = rendered.length === 1 ? rendered[0] : rendered;
  }
  if (opts.sysAttrs && opts.format === 'normalized') {
    out.createdAt = row.created_at.toISOString();
    out.modifiedAt = row.modified_at.toISOString();
  }
  return out;
}

/** A GeoJSON Feature of an entity (Accept: application/geo+json). */
export function renderFeature(row: EntityRow, ld: LdContext, opts: RenderOptions, geoproperty = LOCATION): Record<string, unknown> {
  const props = renderEntity(row, ld, opts);
  const geo = row.attrs[geoproperty];
  const inst = Array.isArray(geo) ? geo[0] : geo;
  return { id: row.id, type: 'Feature', geometry: inst && inst.type === 'GeoProperty' ? inst.value : null, properties: props };
}

/** Parses `attrs=a,b` into expanded names. */
export function parseAttrsParam(ld: LdContext, attrs: string | undefined): Set<string> | undefined {
  if (!attrs) return undefined;
  return new Set(attrs.split(',').map((a) => a.trim()).filter(Boolean).map((a) => expand(ld, a)));
}

/** The temporal representation of an entity: each attribute as the list of its instances over time. */
export function renderTemporal(row: Pick<EntityRow, 'id' | 'type'>, history: HistoryRow[], ld: LdContext, temporalValues: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id, type: compact(ld, row.type) };
  const byAttr = new Map<string, HistoryRow[]>();
  for (const h of history) {
    if (!h.instance) continue; // a deletion marks the end of a series, not a value
    const list = byAttr.get(h.attr) ?? [];
    list.push(h);
    byAttr.set(h.attr, list);
  }
  for (const [attr, list] of byAttr) {
    const at = (h: HistoryRow) => (h.observed_at ?? h.received_at).toISOString();
    if (temporalValues) {
      const first = list[0]?.instance;
      out[compact(ld, attr)] = {
        type: first?.type ?? 'Property',
        values: list.map((h) => [h.instance?.type === 'Relationship' ? h.instance.object : h.instance?.value, at(h)]),
      };
    } else {
      out[compact(ld, attr)] = list.map((h) => ({ ...(h.instance as Instance), observedAt: at(h), instanceId: `urn:ngsi-ld:instance:${h.received_at.getTime()}` }));
    }
  }
  return out;
}
