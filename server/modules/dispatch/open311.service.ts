// SPDX-License-Identifier: Apache-2.0
// Open311 GeoReport v2 (citizen reports): services are the leaf incident types citizens may report; a
// service request is an incident reported with source `open311`. Personal data never leaves through it.
import type { Incident, Open311Attribute, Open311Created, Open311Request, Open311Service, Open311ServiceDefinition } from '../../../contracts/dispatch-incidents.ts';
import { OPEN_STATUSES } from '../../../contracts/dispatch-incidents.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { authorize, loadClassificationRules } from '../access/index.ts';
import { describeIncidentType, findLeafType, leafTypes } from './incident-types.ts';
import { presentIncident, reportIncident } from './incidents.service.ts';
import * as store from './incidents.store.ts';

export type Locale = 'zh-CN' | 'en';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The services citizens may request (GET services.json, public). */
export function listServices(locale: Locale): Open311Service[] {
  return leafTypes()
    .filter((t) => t.citizen)
    .map((t) => {
      const group = describeIncidentType(t.parent);
      return {
        service_code: t.code,
        service_name: locale === 'en' ? t.nameEn : t.name,
        description: t.description,
        metadata: (t.attributes ?? []).length > 0,
        type: 'realtime' as const,
        keywords: (t.keywords ?? []).join(','),
        group: (locale === 'en' ? group?.nameEn : group?.name) ?? t.parent,
      };
    });
}

/** The attribute definitions of one service (GET services/{code}.json, public). */
export function serviceDefinition(code: string): Open311ServiceDefinition {
  const t = findLeafType(code);
  if (!t?.citizen) throw new NotFound(`no service ${code}`);
  return { service_code: t.code, attributes: t.attributes ?? [] };
}

/** A POST requests.json body, form-encoded or JSON, after the edge has checked its known fields. */
export type Open311Input = {
  service_code: string;
  lat?: number;
  long?: number;
  address_string?: string;
  description?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  media_url?: string;
  attributes: Record<string, string | string[]>;
};

/** Checks the attribute values against the service's definitions. */
function checkAttributes(defs: readonly Open311Attribute[], given: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  const errors: { field: string; message: string }[] = [];
  const byCode = new Map(defs.map((d) => [d.code, d]));
  for (const [code, raw] of Object.entries(given)) {
    const def = byCode.get(code);
    if (!def) {
      errors.push({ field: `attribute[${code}]`, message: `not an attribute of this service (attributes: ${defs.map((d) => d.code).join(', ') || 'none'})` });
      continue;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    if (def.datatype !== 'multivaluelist' && values.length > 1) errors.push({ field: `attribute[${code}]`, message: 'takes one value' });
    if (def.values && values.some((v) => !def.values?.some((k) => k.key === v))) {
      errors.push({ field: `attribute[${code}]`, message: `expected one of ${def.values.map((k) => k.key).join(', ')}` });
    }
    if (values.some((v) => v.length > 1000)) errors.push({ field: `attribute[${code}]`, message: 'at most 1000 characters' });
    out[code] = values.join(',');
  }
  for (const d of defs) if (d.required && !(d.code in out)) errors.push({ field: `attribute[${d.code}]`, message: 'required' });
  if (errors.length) throw new Invalid(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return out;
}

/**
 * Creates a service request: an incident with source `open311`. Without lat/long the report is placed in
 * the api_key's scope region (the platform does not geocode addresses).
 */
export async function createRequest(deps: Deps, ctx: RequestContext, input: Open311Input): Promise<{ created: Open311Created; duplicate: boolean }> {
  const type = findLeafType(input.service_code);
  if (!type?.citizen) throw new Invalid(`service_code: no service ${input.service_code} (see services.json)`, [{ field: 'service_code', message: 'unknown service' }]);
  const hasPoint = input.lat !== undefined && input.long !== undefined;
  if ((input.lat === undefined) !== (input.long === undefined)) throw new Invalid('lat and long: give both or neither', [{ field: 'lat', message: 'both or neither' }]);
  if (!hasPoint && !input.address_string) throw new Invalid('a location is required: lat and long, or address_string', [{ field: 'lat', message: 'required' }]);
  if (!hasPoint && !ctx.actor.scopeCode) {
    throw new Invalid('lat and long are required: the api_key has no region from which to take an address_string\'s place', [{ field: 'lat', message: 'required' }]);
  }
  const attributes = checkAttributes(type.attributes ?? [], input.attributes);
  const name = [input.last_name, input.first_name].filter(Boolean).join('');
  const outcome = await reportIncident(deps, ctx, {
    typeCode: type.code,
    grade: 'IV',
    description: input.description ?? '',
    ...(hasPoint ? { lon: input.long, lat: input.lat } : { regionCode: ctx.actor.scopeCode ?? undefined }),
    ...(input.address_string ? { address: input.address_string } : {}),
    exercise: false,
    reporter: { ...(name ? { name } : {}), ...(input.phone ? { phone: input.phone } : {}), ...(input.email ? { email: input.email } : {}) },
    attributes,
    ...(input.media_url ? { mediaUrl: input.media_url } : {}),
    source: 'open311',
  });
  const notice = outcome.duplicate
    ? `已有相同问题正在处理，您的报告已并入该事件 An open request for the same problem nearby exists; your report was added to it`
    : `已受理，请在 ${new Date(outcome.incident.dueVerifyAt).toISOString()} 前等待核实 Received; it will be verified by ${outcome.incident.dueVerifyAt}`;
  return { created: { service_request_id: outcome.incident.id, service_notice: notice, account_id: null }, duplicate: outcome.duplicate };
}

function presentRequest(i: Incident, notes: Map<string, string>, locale: Locale): Open311Request {
  const open = OPEN_STATUSES.includes(i.status);
  return {
    service_request_id: i.id,
    status: open ? 'open' : 'closed',
    status_notes: notes.get(i.id) ?? null,
    service_name: locale === 'en' ? i.typeNameEn : i.typeName,
    service_code: i.typeCode,
    description: i.description || null,
    agency_responsible: i.commandRegionName,
    service_notice: i.duplicateCount > 0 ? `${i.duplicateCount + 1} reports` : null,
    requested_datetime: i.reportedAt,
    updated_datetime: i.updatedAt,
    expected_datetime: open ? i.dueResolveAt : null,
    address: i.address,
    address_id: null,
    zipcode: null,
    lat: i.lat,
    long: i.lon,
    media_url: i.mediaUrl,
  };
}

export type RequestQuery = { ids?: string[]; serviceCodes?: string[]; start?: string; end?: string; status?: 'open' | 'closed' };

/** Service requests in the api_key's scope (GET requests.json): by ids, or by service, dates and status; at most 1000. */
export async function findRequests(deps: Deps, ctx: RequestContext, q: RequestQuery, locale: Locale): Promise<Open311Request[]> {
  await authorize(deps, ctx, 'incident:read');
  const ids = q.ids?.filter((id) => UUID.test(id));
  if (q.ids && ids?.length === 0) return [];
  // the standard's default window: the last 90 days, unless ids or dates are given
  const start = q.start ?? (q.ids || q.end ? undefined : new Date(Date.now() - 90 * 86_400_000).toISOString());
  const codes = q.serviceCodes;
  if (codes) {
    const unknown = codes.filter((c) => !findLeafType(c));
    if (unknown.length) throw new Invalid(`service_code: no service ${unknown.join(', ')}`, [{ field: 'service_code', message: 'unknown service' }]);
  }
  const statuses = q.status === 'open' ? [...OPEN_STATUSES] : q.status === 'closed' ? ['resolved', 'evaluated', 'closed', 'rejected'] : undefined;
  const db = executor(deps.db);
  const { rows } = await store.listIncidents(db, {
    scopePrefix: ctx.actor.scopePrefix, statuses, typeCodes: codes, ids, from: start, to: q.end,
  }, '-reportedAt', 1000, 0);
  const rules = await loadClassificationRules(db);
  const notes = await store.latestNotes(db, rows.map((r) => r.id));
  return rows.map((r) => presentRequest(presentIncident(ctx, rules, r), notes, locale));
}

/** One service request (GET requests/{id}.json, or tokens/{token}.json: requests are created at once, the token is the id). */
export async function findRequest(deps: Deps, ctx: RequestContext, id: string, locale: Locale): Promise<Open311Request> {
  await authorize(deps, ctx, 'incident:read');
  if (!UUID.test(id)) throw new NotFound(`no service request ${id}`);
  const db = executor(deps.db);
  const r = await store.findIncident(db, id);
  if (!r) throw new NotFound(`no service request ${id}`);
  await authorize(deps, ctx, 'incident:read', { regionCode: r.region_code, type: 'incident', id });
  const [found] = await findRequests(deps, ctx, { ids: [id] }, locale);
  if (!found) throw new NotFound(`no service request ${id}`);
  return found;
}
