// SPDX-License-Identifier: Apache-2.0
// Public warnings as CAP 1.2: issue, update and cancel with references, Exercise for drills, polygons,
// circles and geocodes, both languages, XML escaping, the public Atom feed and its expiry, scope and
// permissions, bad input. Every CAP document the platform emits is validated against the CAP 1.2 XML
// schema with xmllint (Debian package libxml2-utils; test/run.ts installs it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contracts/audit.ts';
import type { ReportOutcome } from '../../contracts/dispatch-incidents.ts';
import { CAP_GEOCODE_NAME, type Warning, type WarningDetail } from '../../contracts/dispatch-warnings.ts';
import type { Region } from '../../contracts/regions.ts';
import { issueWarning, seedDemoWarnings } from '../../server/modules/dispatch/index.ts';
import { systemContext } from '../../server/platform/context.ts';
import type { DeliveredEvent } from '../../server/platform/outbox.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { expectProblem, ok } from '../helpers/expect.ts';

const SCHEMA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'cap-1.2.xsd');
const SENDER = 'yunzheng@warnings.test';
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'yz-cap-'));
const NIL = '00000000-0000-4000-8000-000000000000';
const HOUR = 3_600_000;
/** CAP dateTime: seconds, no fraction, an explicit offset. */
const CAP_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;
const NASTY = `水位 > 警戒线 & "上涨" <快> 'x' ]]> &amp;`;

type Page<T> = { items: T[]; total: number };

let p: TestPlatform;
let countyA: string;
let countyB: string;
let cityA: string;
let villageA: Region;
let fileCounter = 0;
const events: DeliveredEvent[] = [];

function xmllint(args: string[]): string {
  try {
    return execFileSync('xmllint', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; stdout?: string };
    if (e.code === 'ENOENT') throw new Error('xmllint is missing: install Debian\'s libxml2-utils (apt-get install -y libxml2-utils); npm test does it when it can');
    throw new Error(`xmllint ${args.join(' ')} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

function writeTmp(xml: string): string {
  const file = path.join(TMP, `doc-${++fileCounter}.xml`);
  fs.writeFileSync(file, xml);
  return file;
}

/** Validates a CAP document against the CAP 1.2 schema (throws with xmllint's complaint when it does not). */
function validateCap(xml: string): void {
  xmllint(['--noout', '--schema', SCHEMA, writeTmp(xml)]);
}

/** The string value of an XPath over a document (namespace-blind: local names). */
function xpath(xml: string, expr: string): string {
  return xmllint(['--xpath', expr, writeTmp(xml)]).replace(/\n$/, '');
}
const capEl = (name: string) => `//*[local-name()="${name}"]`;

const as = (username: string) => p.login(username);
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    categories: ['Met', 'Geo'],
    urgency: 'Expected',
    severity: 'Severe',
    certainty: 'Likely',
    responseTypes: ['Prepare', 'Monitor'],
    expires: inHours(12),
    zh: { event: '洪水', headline: '洪水橙色预警', description: '预计未来12小时河道水位持续上涨。', instruction: '请沿河居民做好转移准备。' },
    en: { event: 'Flood', headline: 'Orange flood warning', description: 'River levels will keep rising over the next 12 hours.', instruction: 'Residents along the river should prepare to leave.' },
    area: { regionCodes: [countyA] },
    ...overrides,
  };
}

async function issue(who: string, b: Record<string, unknown>, status = 201): Promise<WarningDetail> {
  return ok<WarningDetail>(await p.call('POST', '/api/warnings', { as: await as(who), body: b }), status);
}

/** Fetches a CAP document without credentials and validates it against the schema. */
async function cap(url: string): Promise<string> {
  const res = await p.call('GET', url);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expect(String(res.headers['content-type'])).toMatch(/^application\/cap\+xml/);
  validateCap(res.text);
  return res.text;
}

async function feed(query = ''): Promise<string> {
  const res = await p.call('GET', `/cap/alerts${query}`);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expect(String(res.headers['content-type'])).toMatch(/^application\/atom\+xml/);
  xmllint(['--noout', writeTmp(res.text)]);
  return res.text;
}

async function rowCount(): Promise<number> {
  const { rows } = await p.deps.db.pool.query<{ n: number }>('SELECT ((SELECT count(*) FROM warning) + (SELECT count(*) FROM warning_message))::int AS n');
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  p = await createTestPlatform({ YZ_CAP_SENDER: SENDER, YZ_PUBLIC_URL: 'https://alerts.example.gov.cn/' });
  countyA = p.account('operator-a').scope as string;
  countyB = p.account('operator-b').scope as string;
  cityA = p.account('dispatcher').scope as string;
  const villages = ok<Page<Region>>(await p.call('GET', `/api/regions/${countyA}/subtree?level=village&limit=5`, { as: await as('sysadmin') })).items;
  villageA = villages[0] as Region;
  p.deps.outbox.subscribe('*', (e) => {
    if (e.topic.startsWith('warning.')) events.push(e);
  });
});
afterAll(async () => {
  await p?.stop();
  fs.rmSync(TMP, { recursive: true, force: true });
});

describe('issuing a warning', () => {
  it('publishes a CAP 1.2 Alert with both languages, the region polygon and geocode, and a circle', async () => {
    const w = await issue('dispatcher', body({ area: { regionCodes: [countyA], circles: [{ lon: 113.25, lat: 28.5, radiusKm: 12.5 }] } }));
    expect(w).toMatchObject({ regionCode: countyA, status: 'active', exercise: false, categories: ['Met', 'Geo'], messageCount: 1, issuedBy: 'dispatcher' });
    expect(w.messages).toHaveLength(1);
    const m = w.messages[0];
    expect(m).toMatchObject({ msgType: 'Alert', status: 'Actual', sender: SENDER, references: null, identifier: w.latestIdentifier });
    expect(m?.url).toBe(`/cap/alerts/${m?.identifier}.xml`);
    const xml = await cap(m?.url ?? '');
    expect(xpath(xml, `string(${capEl('identifier')})`)).toBe(m?.identifier);
    expect(xpath(xml, `string(${capEl('sender')})`)).toBe(SENDER);
    expect(xpath(xml, `string(${capEl('sent')})`)).toMatch(CAP_TIME);
    expect(xpath(xml, `string(${capEl('status')})`)).toBe('Actual');
    expect(xpath(xml, `string(${capEl('msgType')})`)).toBe('Alert');
    expect(xpath(xml, `string(${capEl('scope')})`)).toBe('Public');
    expect(xpath(xml, `count(${capEl('info')})`)).toBe('2');
    expect(xpath(xml, `string(${capEl('info')}[1]/*[local-name()="language"])`)).toBe('zh-CN');
    expect(xpath(xml, `string(${capEl('info')}[2]/*[local-name()="language"])`)).toBe('en-US');
    expect(xpath(xml, `string(${capEl('info')}[2]/*[local-name()="headline"])`)).toBe('Orange flood warning');
    expect(xpath(xml, `string(${capEl('info')}[1]/*[local-name()="expires"])`)).toMatch(CAP_TIME);
    // the circle as "lat,lon radius"; the geocode names the region code
    expect(xpath(xml, `string(${capEl('info')}[1]//*[local-name()="circle"])`)).toBe('28.5,113.25 12.5');
    expect(xpath(xml, `string(${capEl('info')}[1]//*[local-name()="geocode"]/*[local-name()="valueName"])`)).toBe(CAP_GEOCODE_NAME);
    expect(xpath(xml, `string(${capEl('info')}[1]//*[local-name()="geocode"]/*[local-name()="value"])`)).toBe(countyA);
    // the county's boundary as polygons of "lat,lon" pairs, closed, at most 100 points each
    const polygons = Number(xpath(xml, `count(${capEl('info')}[1]//*[local-name()="polygon"])`));
    expect(polygons).toBeGreaterThan(0);
    const polygon = xpath(xml, `string(${capEl('info')}[1]//*[local-name()="polygon"][1])`);
    const points = polygon.split(' ');
    expect(points.length).toBeGreaterThanOrEqual(4);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points[0]).toBe(points.at(-1));
    for (const pt of points) {
      const [lat, lon] = pt.split(',').map(Number);
      expect(lat).toBeGreaterThan(-90);
      expect(lat).toBeLessThan(90);
      expect(lon).toBeGreaterThan(60); // longitude second: the demo province lies east of 60°E
    }
    // area descriptions default to the region's names in each language
    const county = ok<Region>(await p.call('GET', `/api/regions/${countyA}`, { as: await as('sysadmin') }));
    expect(xpath(xml, `string(${capEl('info')}[1]//*[local-name()="areaDesc"])`)).toBe(county.name);
    expect(xpath(xml, `string(${capEl('info')}[2]//*[local-name()="areaDesc"])`)).toBe(county.nameEn ?? county.name);
  });

  it('escapes special characters in every text so the document stays valid and says exactly what was written', async () => {
    const nastyEn = `Level > warning & "rising" <fast> 'x' ]]>`;
    const w = await issue('dispatcher', body({
      zh: { event: '洪水 & 内涝', headline: NASTY, description: `${NASTY}\n第二行\t制表`, instruction: '<script>alert(1)</script>', areaDesc: '河 "东" & <西>' },
      en: { event: 'Flood & waterlogging', headline: nastyEn, description: nastyEn, areaDesc: 'East & <West>' },
      contact: 'hotline <12345> & "110"',
    }));
    const xml = await cap(w.messages[0]?.url ?? '');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;');
    expect(xpath(xml, `string(${capEl('info')}[1]/*[local-name()="headline"])`)).toBe(NASTY);
    expect(xpath(xml, `string(${capEl('info')}[1]/*[local-name()="description"])`)).toBe(`${NASTY}\n第二行\t制表`);
    expect(xpath(xml, `string(${capEl('info')}[1]/*[local-name()="event"])`)).toBe('洪水 & 内涝');
    expect(xpath(xml, `string(${capEl('info')}[1]//*[local-name()="areaDesc"])`)).toBe('河 "东" & <西>');
    expect(xpath(xml, `string(${capEl('info')}[2]/*[local-name()="headline"])`)).toBe(nastyEn);
    expect(xpath(xml, `string(${capEl('info')}[1]/*[local-name()="contact"])`)).toBe('hotline <12345> & "110"');
    // the API returns the texts as given
    expect(w.zh.headline).toBe(NASTY);
  });

  it('places a circle-only warning in the region under its centre and a given polygon is closed and simplified to 100 points', async () => {
    const [lon, lat] = villageA.centroid as [number, number];
    const circle = await issue('dispatcher', body({ area: { circles: [{ lon, lat, radiusKm: 2 }] } }));
    expect(circle.regionCode.startsWith(villageA.code.slice(0, 9))).toBe(true);
    const circleXml = await cap(circle.latestUrl);
    expect(xpath(circleXml, `count(${capEl('info')}[1]//*[local-name()="polygon"])`)).toBe('0');
    expect(xpath(circleXml, `count(${capEl('info')}[1]//*[local-name()="geocode"])`)).toBe('0');
    expect(xpath(circleXml, `string(${capEl('info')}[1]//*[local-name()="areaDesc"])`)).toBe('指定区域');
    // a 500-point ring, not closed
    const ring = Array.from({ length: 500 }, (_, i) => [lon + 0.05 * Math.cos((2 * Math.PI * i) / 500), lat + 0.05 * Math.sin((2 * Math.PI * i) / 500)]);
    const poly = await issue('dispatcher', body({ regionCode: countyA, area: { polygons: [ring] } }));
    const xml = await cap(poly.latestUrl);
    const points = xpath(xml, `string(${capEl('info')}[1]//*[local-name()="polygon"])`).split(' ');
    expect(points.length).toBeGreaterThanOrEqual(4);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points[0]).toBe(points.at(-1));
    // a small triangle keeps its points and is closed
    const tri = await issue('dispatcher', body({ regionCode: countyA, area: { polygons: [[[lon, lat], [lon + 0.01, lat], [lon, lat + 0.01]]] } }));
    const triXml = await cap(tri.latestUrl);
    expect(xpath(triXml, `string(${capEl('info')}[1]//*[local-name()="polygon"])`)).toBe(`${round5(lat)},${round5(lon)} ${round5(lat)},${round5(lon + 0.01)} ${round5(lat + 0.01)},${round5(lon)} ${round5(lat)},${round5(lon)}`);
  });

  it('a region code without its polygon: only the geocode', async () => {
    const w = await issue('province-admin', body({ area: { regionCodes: [villageA.code, countyB], regionPolygons: false } }));
    // the deepest region holding both: their common ancestor
    expect(w.regionCode).toBe(`${countyA.slice(0, 2)}0000000000`);
    const xml = await cap(w.latestUrl);
    expect(xpath(xml, `count(${capEl('info')}[1]//*[local-name()="polygon"])`)).toBe('0');
    expect(xpath(xml, `count(${capEl('info')}[1]//*[local-name()="geocode"])`)).toBe('2');
  });
});

const round5 = (n: number) => Math.round(n * 100_000) / 100_000;

describe('updates and cancellation', () => {
  it('an Update references the Alert, a second Update both, the Cancel all three; the history is kept', async () => {
    const w = await issue('dispatcher', body());
    const alert = w.messages[0];
    const alertXml = await cap(alert?.url ?? '');
    const alertSent = xpath(alertXml, `string(${capEl('sent')})`);
    const up1 = ok<WarningDetail>(await p.call('PATCH', `/api/warnings/${w.id}`, {
      as: await as('dispatcher'),
      body: { severity: 'Extreme', urgency: 'Immediate', responseTypes: ['Evacuate'], note: '水位超过保证水位 & 继续上涨' },
    }));
    expect(up1.severity).toBe('Extreme');
    expect(up1.messages.map((m) => m.msgType)).toEqual(['Alert', 'Update']);
    const u1 = up1.messages[1];
    expect(u1?.references).toBe(`${SENDER},${alert?.identifier},${alertSent}`);
    expect(u1?.identifier).not.toBe(alert?.identifier);
    const u1Xml = await cap(u1?.url ?? '');
    expect(xpath(u1Xml, `string(${capEl('msgType')})`)).toBe('Update');
    expect(xpath(u1Xml, `string(${capEl('references')})`)).toBe(`${SENDER},${alert?.identifier},${alertSent}`);
    expect(xpath(u1Xml, `string(${capEl('note')})`)).toBe('水位超过保证水位 & 继续上涨');
    expect(xpath(u1Xml, `string(${capEl('info')}[1]/*[local-name()="severity"])`)).toBe('Extreme');
    expect(xpath(u1Xml, `string(${capEl('info')}[1]/*[local-name()="responseType"])`)).toBe('Evacuate');
    // the Alert's document is unchanged
    expect(await cap(alert?.url ?? '')).toBe(alertXml);

    const up2 = ok<WarningDetail>(await p.call('PATCH', `/api/warnings/${w.id}`, {
      as: await as('province-admin'),
      body: { en: { event: 'Flood', headline: 'Red flood warning', description: 'Evacuate now.' }, expires: inHours(6), area: { regionCodes: [countyA], circles: [{ lon: 113, lat: 28, radiusKm: 5 }] } },
    }));
    const u2 = up2.messages[2];
    const u1Sent = xpath(u1Xml, `string(${capEl('sent')})`);
    expect(u2?.references).toBe(`${SENDER},${alert?.identifier},${alertSent} ${SENDER},${u1?.identifier},${u1Sent}`);
    const u2Xml = await cap(u2?.url ?? '');
    expect(xpath(u2Xml, `string(${capEl('info')}[2]/*[local-name()="headline"])`)).toBe('Red flood warning');
    expect(xpath(u2Xml, `string(${capEl('info')}[1]/*[local-name()="headline"])`)).toBe('洪水橙色预警');
    expect(xpath(u2Xml, `count(${capEl('info')}[1]//*[local-name()="circle"])`)).toBe('1');

    const cancelled = ok<WarningDetail>(await p.call('POST', `/api/warnings/${w.id}/cancel`, { as: await as('dispatcher'), body: { note: '汛情解除' } }));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.messages.map((m) => m.msgType)).toEqual(['Alert', 'Update', 'Update', 'Cancel']);
    const c = cancelled.messages[3];
    expect(c?.references?.split(' ').map((r) => r.split(',')[1])).toEqual([alert?.identifier, u1?.identifier, u2?.identifier]);
    const cXml = await cap(c?.url ?? '');
    expect(xpath(cXml, `string(${capEl('msgType')})`)).toBe('Cancel');
    expect(xpath(cXml, `string(${capEl('note')})`)).toBe('汛情解除');
    // a cancelled warning takes no more changes
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: await as('dispatcher'), body: { severity: 'Minor' } }), 409, 'warning-cancelled');
    expectProblem(await p.call('POST', `/api/warnings/${w.id}/cancel`, { as: await as('dispatcher'), body: {} }), 409, 'warning-cancelled');
    // identifiers are unique and every message stays readable
    const detail = ok<WarningDetail>(await p.call('GET', `/api/warnings/${w.id}`, { as: await as('viewer') }));
    expect(new Set(detail.messages.map((m) => m.identifier)).size).toBe(4);
    expect(detail.messages.map((m) => m.actor)).toEqual(['dispatcher', 'dispatcher', 'province-admin', 'dispatcher']);
  });
});

describe('drills', () => {
  it('a warning about a drill incident is an Exercise, and so is one flagged exercise', async () => {
    const drill = ok<ReportOutcome>(await p.call('POST', '/api/incidents', { as: await as('dispatcher'), body: { typeCode: 'flood', regionCode: countyA, exercise: true, title: '防汛演练' } }), 201);
    const w = await issue('dispatcher', body({ incidentId: drill.incident.id }));
    expect(w).toMatchObject({ exercise: true, incidentId: drill.incident.id, regionCode: countyA });
    expect(w.messages[0]?.status).toBe('Exercise');
    const xml = await cap(w.latestUrl);
    expect(xpath(xml, `string(${capEl('status')})`)).toBe('Exercise');
    expect(xpath(xml, `string(${capEl('incidents')})`)).toBe(drill.incident.id);
    const up = ok<WarningDetail>(await p.call('PATCH', `/api/warnings/${w.id}`, { as: await as('dispatcher'), body: { certainty: 'Observed' } }));
    expect(xpath(await cap(up.latestUrl), `string(${capEl('status')})`)).toBe('Exercise');

    const flagged = await issue('dispatcher', body({ exercise: true }));
    expect(xpath(await cap(flagged.latestUrl), `string(${capEl('status')})`)).toBe('Exercise');
    // the feed can be narrowed to drills or to real alerts
    expect(await feed('?status=Exercise')).toContain(flagged.latestIdentifier);
    expect(await feed('?status=Actual')).not.toContain(flagged.latestIdentifier);
  });

  it('issueWarning (for plan activation) takes an incident and fills the region from it', async () => {
    const real = ok<ReportOutcome>(await p.call('POST', '/api/incidents', { as: await as('dispatcher'), body: { typeCode: 'landslide', regionCode: villageA.code, title: '山体滑坡' } }), 201);
    const w = await issueWarning(p.deps, systemContext('plan-activation'), {
      incidentId: real.incident.id, categories: ['Geo'], urgency: 'Immediate', severity: 'Severe', certainty: 'Observed',
      zh: { event: '山体滑坡', headline: '山体滑坡预警', description: '请远离山坡。' }, en: { event: 'Landslide', headline: 'Landslide warning', description: 'Keep away from slopes.' },
      area: { circles: [{ lon: 113.1, lat: 28.1, radiusKm: 1 }] },
    });
    expect(w).toMatchObject({ regionCode: villageA.code, exercise: false, incidentId: real.incident.id });
    expect(Date.parse(w.expires) - Date.parse(w.effective)).toBe(24 * HOUR);
    validateCap((await p.call('GET', w.latestUrl)).text);
  });
});

describe('the public feed', () => {
  it('is an Atom feed of current alerts, without credentials, each entry linking to its CAP document', async () => {
    const w = await issue('dispatcher', body({ zh: { event: '暴雨', headline: `暴雨 & 大风 <黄色>`, description: '注意防范。' } }));
    const xml = await feed();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    const href = `https://alerts.example.gov.cn/cap/alerts/${w.latestIdentifier}.xml`;
    expect(xml).toContain(`<link rel="alternate" type="application/cap+xml" href="${href}"/>`);
    expect(xml).toContain('暴雨 &amp; 大风 &lt;黄色&gt;');
    const entries = Number(xpath(xml, 'count(//*[local-name()="entry"])'));
    expect(entries).toBeGreaterThan(0);
    // each entry's link resolves to a valid CAP document
    const hrefs = xpath(xml, '//*[local-name()="entry"]/*[local-name()="link"]/@href').match(/href="([^"]+)"/g) ?? [];
    expect(hrefs.length).toBe(entries);
    for (const h of hrefs) await cap(h.slice(6, -1).replace('https://alerts.example.gov.cn', ''));
    // an update replaces the entry's link with the latest message
    const up = ok<WarningDetail>(await p.call('PATCH', `/api/warnings/${w.id}`, { as: await as('dispatcher'), body: { severity: 'Moderate' } }));
    const after = await feed();
    expect(after).toContain(up.latestIdentifier);
    expect(after).not.toContain(`${w.latestIdentifier}.xml`);
  });

  it('filters by region: alerts in the region, and alerts covering it from above', async () => {
    const inA = await issue('dispatcher', body({ area: { regionCodes: [villageA.code] } }));
    const inB = await issue('province-admin', body({ area: { regionCodes: [countyB] } }));
    const provinceWide = await issue('province-admin', body({ area: { regionCodes: [`${countyA.slice(0, 2)}0000000000`], regionPolygons: false } }));
    const a = await feed(`?regionCode=${countyA}`);
    expect(a).toContain(inA.latestIdentifier);
    expect(a).toContain(provinceWide.latestIdentifier);
    expect(a).not.toContain(inB.latestIdentifier);
    const village = await feed(`?regionCode=${villageA.code}`);
    expect(village).toContain(inA.latestIdentifier);
    expect(village).toContain(provinceWide.latestIdentifier);
    expect(await feed(`?regionCode=${countyB.slice(0, 6)}`)).toContain(inB.latestIdentifier);
    expect(await feed(`?regionCode=${cityA.slice(0, 4)}&limit=500`)).not.toContain(inB.latestIdentifier);
  });

  it('leaves out expired and cancelled warnings; the API still lists them by status', async () => {
    const w = await issue('dispatcher', body());
    const gone = await issue('dispatcher', body());
    expect(await feed('?limit=500')).toContain(w.latestIdentifier);
    await p.deps.db.pool.query(`UPDATE warning SET effective_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1`, [w.id]);
    ok(await p.call('POST', `/api/warnings/${gone.id}/cancel`, { as: await as('dispatcher'), body: {} }));
    const xml = await feed('?limit=500');
    expect(xml).not.toContain(w.latestIdentifier);
    expect(xml).not.toContain(gone.id);
    const expired = ok<Page<Warning>>(await p.call('GET', '/api/warnings?status=expired', { as: await as('dispatcher') }));
    expect(expired.items.map((x) => x.id)).toContain(w.id);
    expect(expired.items.find((x) => x.id === w.id)?.status).toBe('expired');
    const cancelled = ok<Page<Warning>>(await p.call('GET', '/api/warnings?status=cancelled', { as: await as('dispatcher') }));
    expect(cancelled.items.map((x) => x.id)).toContain(gone.id);
    const active = ok<Page<Warning>>(await p.call('GET', '/api/warnings?status=active&limit=1000', { as: await as('dispatcher') }));
    expect(active.items.map((x) => x.id)).not.toContain(w.id);
    // their documents stay public
    await cap(w.latestUrl);
  });

  it('answers unknown alerts and paths with problem+json, and never asks for credentials', async () => {
    expectProblem(await p.call('GET', '/cap/alerts/yz-no-such-alert.xml'), 404, 'not-found');
    expectProblem(await p.call('GET', '/cap/alerts/bad%20id%26.xml'), 400);
    expectProblem(await p.call('GET', '/cap/elsewhere'), 404, 'not-found');
    expectProblem(await p.call('GET', '/cap/alerts?regionCode=abc'), 400);
    expectProblem(await p.call('GET', '/cap/alerts?limit=100000'), 400);
    expect((await p.call('GET', '/cap/alerts', { headers: { cookie: 'yz_session=forged' } })).status).toBe(200);
    // rate-limited per client (YZ_CAP_RATE_LIMIT a minute)
    const limited = await p.call('GET', '/cap/alerts');
    expect(limited.headers['x-ratelimit-limit']).toBe('600');
  });
});

describe('scope and permissions', () => {
  it('only those who manage incidents issue, within their region; incident readers read', async () => {
    const before = await rowCount();
    expectProblem(await p.call('POST', '/api/warnings', { as: await as('viewer'), body: body() }), 403, 'forbidden');
    expectProblem(await p.call('POST', '/api/warnings', { as: await as('operator-a'), body: body() }), 403, 'forbidden');
    expectProblem(await p.call('POST', '/api/warnings', { as: await as('task-handler'), body: body() }), 403, 'forbidden');
    expectProblem(await p.call('POST', '/api/warnings', { as: await as('auditadmin'), body: body() }), 403, 'forbidden');
    // a city dispatcher issues for the city, not for another city's county
    expectProblem(await p.call('POST', '/api/warnings', { as: await as('dispatcher'), body: body({ area: { regionCodes: [countyB] } }) }), 403, 'forbidden');
    expectProblem(await p.call('POST', '/api/warnings', { as: await as('dispatcher'), body: body({ regionCode: countyA, area: { regionCodes: [countyA, countyB] } }) }), 403, 'forbidden');
    expect(await rowCount()).toBe(before);

    const w = await issue('province-admin', body({ area: { regionCodes: [countyB] } }));
    // readers of incidents read warnings in their scope
    ok(await p.call('GET', `/api/warnings/${w.id}`, { as: await as('viewer') }));
    ok(await p.call('GET', `/api/warnings/${w.id}`, { as: await as('operator-b') }));
    expectProblem(await p.call('GET', `/api/warnings/${w.id}`, { as: await as('operator-a') }), 403, 'forbidden');
    expectProblem(await p.call('GET', '/api/warnings', { as: await as('social-member') }), 403, 'forbidden');
    expectProblem(await p.call('GET', '/api/warnings', { as: await as('secadmin') }), 403, 'forbidden');
    const list = ok<Page<Warning>>(await p.call('GET', '/api/warnings?limit=1000', { as: await as('operator-a') }));
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((x) => x.regionCode.startsWith(countyA.slice(0, 6)))).toBe(true);
    // another city's dispatcher cannot change or cancel it; nothing is written
    const mid = await rowCount();
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: await as('dispatcher'), body: { severity: 'Minor' } }), 403, 'forbidden');
    expectProblem(await p.call('POST', `/api/warnings/${w.id}/cancel`, { as: await as('dispatcher'), body: {} }), 403, 'forbidden');
    expect(await rowCount()).toBe(mid);
    // an update may not move the area out of scope either
    const mine = await issue('dispatcher', body());
    expectProblem(await p.call('PATCH', `/api/warnings/${mine.id}`, { as: await as('dispatcher'), body: { area: { regionCodes: [countyB] } } }), 403, 'forbidden');
    expect(ok<WarningDetail>(await p.call('GET', `/api/warnings/${mine.id}`, { as: await as('dispatcher') })).messages).toHaveLength(1);
    const denied = ok<Page<AuditRecord>>(await p.call('GET', '/api/audit?action=access.denied&limit=1000', { as: await as('auditadmin') }));
    expect(denied.items.some((r) => r.details.requested === 'warning:issue' && r.resourceId === w.id)).toBe(true);
  });

  it('lists filter by region, exercise, incident and text', async () => {
    const w = await issue('dispatcher', body({ zh: { event: '大雾', headline: '大雾蓝色预警 特征词', description: '能见度低。' } }));
    const hit = ok<Page<Warning>>(await p.call('GET', `/api/warnings?q=${encodeURIComponent('特征词')}`, { as: await as('dispatcher') }));
    expect(hit.items.map((x) => x.id)).toEqual([w.id]);
    const inB = ok<Page<Warning>>(await p.call('GET', `/api/warnings?regionCode=${countyB}&limit=1000`, { as: await as('viewer') }));
    expect(inB.items.every((x) => x.regionCode.startsWith(countyB.slice(0, 6)))).toBe(true);
    const drills = ok<Page<Warning>>(await p.call('GET', '/api/warnings?exercise=true&limit=1000', { as: await as('viewer') }));
    expect(drills.items.length).toBeGreaterThan(0);
    expect(drills.items.every((x) => x.exercise)).toBe(true);
    const paged = ok<Page<Warning>>(await p.call('GET', '/api/warnings?limit=2&offset=1', { as: await as('viewer') }));
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThan(3);
  });
});

describe('bad input', () => {
  const cases: [string, () => Record<string, unknown>, string?][] = [
    ['no English texts', () => ({ ...body(), en: undefined }), 'body.en'],
    ['an unknown field', () => body({ colour: 'orange' })],
    ['an unknown category', () => body({ categories: ['Weather'] }), 'body.categories.0'],
    ['a repeated category', () => body({ categories: ['Met', 'Met'] }), 'body.categories'],
    ['no category', () => body({ categories: [] }), 'body.categories'],
    ['a bad urgency', () => body({ urgency: 'Soon' }), 'body.urgency'],
    ['an empty area', () => body({ area: {} }), 'body.area.regionCodes'],
    ['an unknown region', () => body({ area: { regionCodes: [`${countyA.slice(0, 6)}998998`] } }), 'body.area.regionCodes.0'],
    ['a malformed region code', () => body({ area: { regionCodes: ['12345'] } }), 'body.area.regionCodes.0'],
    ['a polygon of two distinct points', () => body({ regionCode: countyA, area: { polygons: [[[113, 28], [113.1, 28], [113, 28], [113.1, 28]]] } }), 'body.area.polygons.0'],
    ['a circle without radius', () => body({ area: { circles: [{ lon: 113, lat: 28 }] } }), 'body.area.circles.0.radiusKm'],
    ['a negative radius', () => body({ area: { circles: [{ lon: 113, lat: 28, radiusKm: -1 }] } }), 'body.area.circles.0.radiusKm'],
    ['a latitude out of range', () => body({ area: { circles: [{ lon: 113, lat: 95, radiusKm: 1 }] } }), 'body.area.circles.0.lat'],
    ['expiry before effect', () => body({ effective: inHours(5), expires: inHours(2) }), 'body.expires'],
    ['already expired', () => body({ effective: inHours(-5), expires: inHours(-2) }), 'body.expires'],
    ['onset after expiry', () => body({ onset: inHours(20), expires: inHours(2) }), 'body.onset'],
    ['an impossible date', () => body({ expires: '2030-02-30T00:00:00+08:00' }), 'body.expires'],
    ['a date without offset', () => body({ expires: '2030-01-01T00:00:00' }), 'body.expires'],
    ['a control character', () => body({ zh: { event: '洪水', headline: 'a\u0007b', description: 'x' } }), 'body.zh.headline'],
    ['a lone surrogate', () => body({ en: { event: 'Flood', headline: 'a\ud800b', description: 'x' } }), 'body.en.headline'],
    ['an empty headline', () => body({ zh: { event: '洪水', headline: '   ', description: 'x' } }), 'body.zh.headline'],
    ['a headline too long', () => body({ zh: { event: '洪水', headline: 'x'.repeat(161), description: 'x' } }), 'body.zh.headline'],
    ['no such incident', () => body({ incidentId: '00000000-0000-4000-8000-000000000001' }), 'body.incidentId'],
    ['a bad incident id', () => body({ incidentId: 'incident-1' }), 'body.incidentId'],
    ['too many circles', () => body({ area: { circles: Array.from({ length: 11 }, () => ({ lon: 113, lat: 28, radiusKm: 1 })) } }), 'body.area.circles'],
  ];
  it.each(cases)('%s → 400, nothing written', async (_label, make, field) => {
    const before = await rowCount();
    const res = await p.call('POST', '/api/warnings', { as: await as('dispatcher'), body: make() });
    const problem = expectProblem(res, 400);
    if (field) expect(problem.errors?.map((e) => e.field), JSON.stringify(problem.errors)).toContain(field);
    expect(await rowCount()).toBe(before);
  });

  it('updates and cancels refuse bad input and unknown warnings', async () => {
    const w = await issue('dispatcher', body());
    const before = await rowCount();
    const as_ = await as('dispatcher');
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: as_, body: {} }), 400);
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: as_, body: { note: 'only a note' } }), 400);
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: as_, body: { incidentId: NIL } }), 400);
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: as_, body: { expires: inHours(-1) } }), 400);
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: as_, body: { area: { regionCodes: [`${countyA.slice(0, 6)}998998`] } } }), 400);
    expectProblem(await p.call('PATCH', `/api/warnings/${w.id}`, { as: as_, body: '{"severity":' }), 400);
    expectProblem(await p.call('POST', `/api/warnings/${w.id}/cancel`, { as: as_, body: { reason: 'x' } }), 400);
    expectProblem(await p.call('PATCH', '/api/warnings/42', { as: as_, body: { severity: 'Minor' } }), 400);
    expectProblem(await p.call('PATCH', `/api/warnings/${NIL}`, { as: as_, body: { severity: 'Minor' } }), 404, 'not-found');
    expectProblem(await p.call('POST', `/api/warnings/${NIL}/cancel`, { as: as_, body: {} }), 404, 'not-found');
    expectProblem(await p.call('GET', `/api/warnings/${NIL}`, { as: as_ }), 404, 'not-found');
    expectProblem(await p.call('GET', '/api/warnings?status=gone', { as: as_ }), 400);
    expect(await rowCount()).toBe(before);
  });
});

describe('audit and outbox', () => {
  it('records every issue, update and cancel in the audit log and the outbox', async () => {
    await p.deps.outbox.drain();
    const w = await issue('dispatcher', body());
    ok(await p.call('PATCH', `/api/warnings/${w.id}`, { as: await as('dispatcher'), body: { severity: 'Minor' } }));
    ok(await p.call('POST', `/api/warnings/${w.id}/cancel`, { as: await as('dispatcher'), body: { note: '解除' } }));
    await p.deps.outbox.drain();
    const mine = events.filter((e) => e.aggregateId === w.id);
    expect(mine.map((e) => e.topic)).toEqual(['warning.issued', 'warning.updated', 'warning.cancelled']);
    expect(mine[1]?.payload).toMatchObject({ msgType: 'Update', status: 'Actual' });
    const audit = ok<Page<AuditRecord>>(await p.call('GET', '/api/audit?limit=1000', { as: await as('auditadmin') }));
    expect(audit.items.filter((r) => r.resourceId === w.id).map((r) => r.action).sort()).toEqual(['warning.cancelled', 'warning.issued', 'warning.updated']);
  });
});

describe('the demo warnings', () => {
  it('are a flood warning sent as Alert, Update and Cancel in the past and a drill sent as Exercise; none is current', async () => {
    const before = await feed('?limit=500');
    expect(await seedDemoWarnings(p.deps, systemContext('seed'), { floodRegionCode: countyA, drillRegionCode: countyB })).toBe(2);
    const list = ok<Page<Warning>>(await p.call('GET', '/api/warnings?limit=1000', { as: await as('sysadmin') }));
    const flood = list.items.find((w) => w.en.headline === 'Red flood warning' && w.contact === '防汛抗旱指挥部 12345');
    const drill = list.items.find((w) => w.en.headline === '[Exercise] Landslide warning');
    expect(flood).toMatchObject({ status: 'cancelled', regionCode: countyA, severity: 'Extreme', messageCount: 3 });
    expect(drill).toMatchObject({ status: 'expired', regionCode: countyB, exercise: true, messageCount: 1 });
    const d = ok<WarningDetail>(await p.call('GET', `/api/warnings/${flood?.id}`, { as: await as('sysadmin') }));
    expect(d.messages.map((m) => m.msgType)).toEqual(['Alert', 'Update', 'Cancel']);
    expect(d.messages[2]?.references?.split(' ')).toHaveLength(2);
    for (const m of d.messages) await cap(m.url);
    expect(xpath(await cap(drill?.latestUrl ?? ''), `string(${capEl('status')})`)).toBe('Exercise');
    const after = await feed('?limit=500');
    expect(after.split('<entry>').length).toBe(before.split('<entry>').length);
  });
});

describe('every emitted document', () => {
  it('validates against the CAP 1.2 schema (Alert, Update, Cancel, Actual and Exercise)', async () => {
    const { rows } = await p.deps.db.pool.query<{ identifier: string; msg_type: string; status: string; xml: string }>('SELECT identifier, msg_type, status, xml FROM warning_message ORDER BY identifier');
    expect(new Set(rows.map((r) => r.msg_type))).toEqual(new Set(['Alert', 'Update', 'Cancel']));
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['Actual', 'Exercise']));
    const files = rows.map((r) => writeTmp(r.xml));
    // one xmllint run over all of them: it exits non-zero when any fails
    xmllint(['--noout', '--schema', SCHEMA, ...files]);
    for (const r of rows) expect((await p.call('GET', `/cap/alerts/${r.identifier}.xml`)).text).toBe(r.xml);
  });
});
