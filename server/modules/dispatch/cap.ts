// SPDX-License-Identifier: Apache-2.0
// CAP 1.2 documents and the Atom feed of current alerts, written by a small serializer: every text is
// escaped here and nowhere else, and characters XML 1.0 cannot carry are dropped (input validation
// refuses them first). Pure functions: the service stores what they return.
import { simplify } from '@turf/turf';
import { CAP_GEOCODE_NAME, type CapCategory, type CapMsgType, type CapResponseType, type CapStatus, type WarningCircle, type WarningText } from '../../../contracts/dispatch-warnings.ts';
import type { BoundaryGeometry } from '../../../contracts/regions.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
/** The largest polygon CAP profiles accept (e.g. the US IPAWS profile: 100 points); larger ones are simplified. */
export const CAP_MAX_POLYGON_POINTS = 100;
/** At most this many polygons per region boundary (the largest parts of a multi-part boundary). */
const MAX_PARTS = 10;

const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute content, escaped. */
export function escapeXml(s: string): string {
  return s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A child element with escaped text, or nothing when the value is absent. */
function el(name: string, value: string | null | undefined, indent: string): string {
  return value === null || value === undefined ? '' : `${indent}<${name}>${escapeXml(value)}</${name}>\n`;
}

/** CAP's dateTime: seconds, no fraction, with the China Standard Time offset (+08:00; no daylight saving). */
export function capDateTime(d: Date): string {
  const local = new Date(Math.floor(d.getTime() / 1000) * 1000 + 8 * 3_600_000);
  return `${local.toISOString().slice(0, 19)}+08:00`;
}

/** A time truncated to the second, as CAP writes it. */
export function toSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

const round = (n: number) => Math.round(n * 100_000) / 100_000;

/** A ring as CAP writes a polygon: "lat,lon" pairs, space-separated, first and last the same, at least four. */
export function capPolygon(ring: readonly (readonly number[])[]): string | null {
  const pts: [number, number][] = [];
  for (const p of ring) {
    const lon = round(p[0] ?? 0);
    const lat = round(p[1] ?? 0);
    const last = pts[pts.length - 1];
    if (!last || last[0] !== lon || last[1] !== lat) pts.push([lon, lat]);
  }
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) pts.push([first[0], first[1]]);
  if (pts.length < 4 || new Set(pts.map(([lon, lat]) => `${lon},${lat}`)).size < 3) return null;
  return pts.map(([lon, lat]) => `${lat},${lon}`).join(' ');
}

/** A circle as CAP writes it: "lat,lon radius" (kilometres). */
export function capCircle(c: WarningCircle): string {
  return `${round(c.lat)},${round(c.lon)} ${Math.round(c.radiusKm * 1000) / 1000}`;
}

/** Simplifies a ring until it has at most CAP_MAX_POLYGON_POINTS points (closing point included). */
export function simplifyRing(ring: readonly (readonly number[])[]): [number, number][] {
  let coords = ring.map((p) => [p[0] ?? 0, p[1] ?? 0] as [number, number]);
  const f = coords[0];
  const l = coords[coords.length - 1];
  if (f && l && (f[0] !== l[0] || f[1] !== l[1])) coords = [...coords, [f[0], f[1]]];
  if (coords.length <= CAP_MAX_POLYGON_POINTS || coords.length < 4) return coords;
  const xs = coords.map((c) => c[0]);
  const ys = coords.map((c) => c[1]);
  let tolerance = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 1000;
  for (let i = 0; i < 30; i++) {
    const out = simplify({ type: 'Polygon', coordinates: [coords] }, { tolerance, highQuality: true, mutate: false }).coordinates[0] ?? [];
    if (out.length <= CAP_MAX_POLYGON_POINTS && out.length >= 4) return out.map((p) => [p[0] ?? 0, p[1] ?? 0]);
    tolerance *= 2;
  }
  // a pathological ring: every n-th point still outlines it
  const step = Math.ceil(coords.length / (CAP_MAX_POLYGON_POINTS - 1));
  const kept = coords.filter((_, i) => i % step === 0);
  const first = kept[0] as [number, number];
  return [...kept, [first[0], first[1]]];
}

/** A region boundary as CAP polygons: the outer ring of each part (the largest parts first), simplified. */
export function boundaryPolygons(g: BoundaryGeometry): [number, number][][] {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const outer = parts.map((p) => p[0] ?? []).filter((r) => r.length >= 4);
  const size = (r: readonly (readonly number[])[]) => {
    let a = 0;
    for (let i = 1; i < r.length; i++) a += ((r[i - 1]?.[0] ?? 0) * (r[i]?.[1] ?? 0)) - ((r[i]?.[0] ?? 0) * (r[i - 1]?.[1] ?? 0));
    return Math.abs(a);
  };
  return outer.sort((a, b) => size(b) - size(a)).slice(0, MAX_PARTS).map(simplifyRing);
}

/** One <info> block's content. */
export type CapInfo = {
  language: 'zh-CN' | 'en-US';
  text: WarningText;
  senderName: string | null;
  areaDesc: string;
};

/** Everything a CAP message says. */
export type CapAlert = {
  identifier: string;
  sender: string;
  sent: Date;
  status: CapStatus;
  msgType: CapMsgType;
  source: string;
  note: string | null;
  references: string | null;
  incidents: string | null;
  categories: readonly CapCategory[];
  responseTypes: readonly CapResponseType[];
  urgency: string;
  severity: string;
  certainty: string;
  effective: Date;
  onset: Date | null;
  expires: Date;
  contact: string | null;
  infos: CapInfo[];
  /** CAP polygons ("lat,lon …"), circles ("lat,lon r") and region codes of the one <area> of each <info>. */
  polygons: string[];
  circles: string[];
  regionCodes: string[];
};

/** A CAP reference to an earlier message: "sender,identifier,sent". */
export function capReference(m: { sender: string; identifier: string; sent: Date }): string {
  return `${m.sender},${m.identifier},${capDateTime(m.sent)}`;
}

/** The CAP 1.2 XML document of one message. */
export function renderCap(a: CapAlert): string {
  const i1 = '  ';
  const i2 = '    ';
  const i3 = '      ';
  const i4 = '        ';
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="${CAP_NAMESPACE}">\n`;
  out += el('identifier', a.identifier, i1);
  out += el('sender', a.sender, i1);
  out += el('sent', capDateTime(a.sent), i1);
  out += el('status', a.status, i1);
  out += el('msgType', a.msgType, i1);
  out += el('source', a.source, i1);
  out += el('scope', 'Public', i1);
  out += el('note', a.note, i1);
  out += el('references', a.references, i1);
  out += el('incidents', a.incidents, i1);
  for (const info of a.infos) {
    out += `${i1}<info>\n`;
    out += el('language', info.language, i2);
    for (const c of a.categories) out += el('category', c, i2);
    out += el('event', info.text.event, i2);
    for (const r of a.responseTypes) out += el('responseType', r, i2);
    out += el('urgency', a.urgency, i2);
    out += el('severity', a.severity, i2);
    out += el('certainty', a.certainty, i2);
    out += el('effective', capDateTime(a.effective), i2);
    out += el('onset', a.onset ? capDateTime(a.onset) : null, i2);
    out += el('expires', capDateTime(a.expires), i2);
    out += el('senderName', info.senderName, i2);
    out += el('headline', info.text.headline, i2);
    out += el('description', info.text.description, i2);
    out += el('instruction', info.text.instruction, i2);
    out += el('contact', a.contact, i2);
    out += `${i2}<area>\n`;
    out += el('areaDesc', info.areaDesc, i3);
    for (const p of a.polygons) out += el('polygon', p, i3);
    for (const c of a.circles) out += el('circle', c, i3);
    for (const code of a.regionCodes) out += `${i3}<geocode>\n${el('valueName', CAP_GEOCODE_NAME, i4)}${el('value', code, i4)}${i3}</geocode>\n`;
    out += `${i2}</area>\n`;
    out += `${i1}</info>\n`;
  }
  out += '</alert>\n';
  return out;
}

/** One entry of the Atom feed: a current alert and the link to its CAP document. */
export type FeedEntry = { identifier: string; url: string; title: string; summary: string; sent: Date; updated: Date; expires: Date; status: CapStatus; msgType: CapMsgType; categories: readonly string[] };

/** The Atom (RFC 4287) feed of current alerts, each entry linking to its CAP document (application/cap+xml). */
export function renderAtomFeed(feed: { selfUrl: string; title: string; sender: string; updated: Date; entries: FeedEntry[] }): string {
  const i1 = '  ';
  const i2 = '    ';
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n`;
  out += el('id', feed.selfUrl, i1);
  out += el('title', feed.title, i1);
  out += el('updated', capDateTime(feed.updated), i1);
  out += `${i1}<author>\n${el('name', feed.sender, i2)}${i1}</author>\n`;
  out += `${i1}<link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>\n`;
  for (const e of feed.entries) {
    out += `${i1}<entry>\n`;
    out += el('id', e.url, i2);
    out += el('title', e.status === 'Exercise' ? `[演练 Exercise] ${e.title}` : e.title, i2);
    out += el('published', capDateTime(e.sent), i2);
    out += el('updated', capDateTime(e.updated), i2);
    out += el('summary', e.summary, i2);
    for (const c of e.categories) out += `${i2}<category term="${escapeXml(c)}"/>\n`;
    out += `${i2}<link rel="alternate" type="application/cap+xml" href="${escapeXml(e.url)}"/>\n`;
    out += `${i1}</entry>\n`;
  }
  out += '</feed>\n';
  return out;
}
