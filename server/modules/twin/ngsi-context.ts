// SPDX-License-Identifier: Apache-2.0
// JSON-LD term handling for NGSI-LD with the core @context built in (no network access at run time):
// attribute names and types are stored expanded (as IRIs) and compacted against the requester's context.
import { Invalid } from '../../platform/errors.ts';
import { AppError } from '../../platform/errors.ts';

/** The URL clients put in their Link header for the core context (any published version). */
export const CORE_CONTEXT_URL = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld';
const CORE_URL_PATTERN = /^https:\/\/uri\.etsi\.org\/ngsi-ld\/(v1\/)?ngsi-ld-core-context(-v[\d.]+)?\.jsonld$/;
/** Where terms no context defines are put (@vocab of the core context). */
export const DEFAULT_VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';
const NGSI = 'https://uri.etsi.org/ngsi-ld/';

// Members of entities and attributes that the core context defines: never expanded as user attributes.
export const CORE_MEMBERS = new Set([
  '@context', 'id', 'type', 'scope', 'createdAt', 'modifiedAt', 'deletedAt', 'observedAt', 'unitCode', 'datasetId', 'value', 'object',
  'languageMap', 'instanceId', 'objectType', 'vocab', 'json', 'valueList', 'objectList',
]);
// Core terms that are attributes (or types) with fixed IRIs.
const CORE_TERMS: Record<string, string> = {
  location: `${NGSI}location`,
  observationSpace: `${NGSI}observationSpace`,
  operationSpace: `${NGSI}operationSpace`,
  name: `${NGSI}name`,
  description: `${NGSI}description`,
  Property: `${NGSI}Property`,
  Relationship: `${NGSI}Relationship`,
  GeoProperty: `${NGSI}GeoProperty`,
  LanguageProperty: `${NGSI}LanguageProperty`,
};

/** 503 LdContextNotAvailable: a remote context we will not fetch. */
export class LdContextNotAvailable extends AppError {
  readonly status = 503;
  constructor(url: string) {
    super('ld-context-not-available', `the @context ${url} is not available: only the NGSI-LD core context and inline contexts are served (no network access)`);
  }
}

/** A resolved request context: term → IRI, and IRI → term for compaction. */
export type LdContext = { terms: Map<string, string>; reverse: Map<string, string>; source: unknown };

/** Resolves an @context value (the core URL, inline objects, or an array of them). */
export function resolveContext(value: unknown): LdContext {
  const terms = new Map<string, string>(Object.entries(CORE_TERMS));
  const visit = (v: unknown) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') {
      if (!CORE_URL_PATTERN.test(v)) throw new LdContextNotAvailable(v);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const prefixes = new Map<string, string>();
      for (const [term, def] of Object.entries(obj)) {
        if (typeof def === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(def) && (def.endsWith('/') || def.endsWith('#'))) prefixes.set(term, def);
      }
      for (const [term, def] of Object.entries(obj)) {
        if (term.startsWith('@')) continue;
        const iri = typeof def === 'string' ? def : def && typeof def === 'object' && typeof (def as { '@id'?: unknown })['@id'] === 'string' ? (def as { '@id': string })['@id'] : undefined;
        if (!iri) continue;
        const colon = iri.indexOf(':');
        const prefix = colon > 0 ? prefixes.get(iri.slice(0, colon)) : undefined;
        terms.set(term, prefix && !iri.includes('://') ? prefix + iri.slice(colon + 1) : iri);
      }
      return;
    }
    throw new Invalid('the @context must be a URL, an object or an array of them', [{ field: '@context', message: 'not a JSON-LD context' }]);
  };
  visit(value);
  const reverse = new Map<string, string>();
  for (const [term, iri] of terms) if (!reverse.has(iri)) reverse.set(iri, term);
  return { terms, reverse, source: value ?? CORE_CONTEXT_URL };
}

/** The core context alone. */
export const CORE_CONTEXT = resolveContext(undefined);

/** Expands a term (attribute name or type) to its IRI. */
export function expand(ctx: LdContext, term: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(term) && !ctx.terms.has(term)) {
    // a compact IRI (prefix:suffix) or a full IRI
    const colon = term.indexOf(':');
    const prefix = ctx.terms.get(term.slice(0, colon));
    return prefix && !term.slice(colon + 1).startsWith('//') ? prefix + term.slice(colon + 1) : term;
  }
  return ctx.terms.get(term) ?? DEFAULT_VOCAB + term;
}

/** Compacts an IRI to the shortest term the context (or the default vocabulary) gives. */
export function compact(ctx: LdContext, iri: string): string {
  const term = ctx.reverse.get(iri);
  if (term) return term;
  if (iri.startsWith(DEFAULT_VOCAB)) return iri.slice(DEFAULT_VOCAB.length);
  return iri;
}

/** Parses the JSON-LD context from a Link header (rel=http://www.w3.org/ns/json-ld#context). */
export function contextFromLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]+)>(.*)$/.exec(part);
    if (m?.[1] && /rel="?http:\/\/www\.w3\.org\/ns\/json-ld#context"?/.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

/** The Link header that names the core context on JSON responses. */
export const CORE_LINK = `<${CORE_CONTEXT_URL}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
