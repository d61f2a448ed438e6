// SPDX-License-Identifier: Apache-2.0
// The demo province's digital twin: buildings, hydrants, water-level and air-quality sensors, shelters,
// hospitals, schools and enterprises placed in its villages, related to each other, with a year of
// source-timed observations (daily water levels with a flood season, daily air quality, monthly figures).
// Everything is written through the twin's batch upsert, as an IoT agent or a data load would.
import type { RequestContext } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { rng } from '../regions/index.ts';
import { CORE_CONTEXT, upsertBatch } from '../twin/index.ts';

type Place = { code: string; name: string; x: number; y: number; w: number; h: number };
type Entity = Record<string, unknown> & { id: string; type: string };

const DAY = 86_400_000;
const prop = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, ...extra });
const rel = (object: string) => ({ type: 'Relationship', object });

/** Seeds the twin entities and a year of observations ending yesterday; returns how many of each were written. */
export async function seedDemoTwin(
  deps: Deps,
  ctx: RequestContext,
  opts: { seed: number; now?: Date; onProgress?: (stage: string, done: number, total: number) => void },
): Promise<{ entities: number; observations: number }> {
  const rand = rng(opts.seed + 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const { rows } = await deps.db.pool.query<{ code: string; name: string; level: string; x: number; y: number; x1: number; y1: number; x2: number; y2: number }>(
    `SELECT code, name, level, centroid[0] AS x, centroid[1] AS y, (bbox[0])[0] AS x2, (bbox[0])[1] AS y2, (bbox[1])[0] AS x1, (bbox[1])[1] AS y1
       FROM region WHERE code LIKE '99%' AND level IN ('county', 'township', 'village') AND valid_to IS NULL AND centroid IS NOT NULL ORDER BY code`,
  );
  const place = (r: (typeof rows)[number]): Place => ({ code: r.code, name: r.name, x: r.x, y: r.y, w: Math.abs(r.x2 - r.x1), h: Math.abs(r.y2 - r.y1) });
  const counties = rows.filter((r) => r.level === 'county').map(place);
  const townships = rows.filter((r) => r.level === 'township').map(place);
  const villages = rows.filter((r) => r.level === 'village').map(place);
  // A point near the middle of a region (within a fifth of its extent), so that it falls inside it.
  const near = (p: Place, spread = 0.2): [number, number] => [
    Math.round((p.x + (rand() - 0.5) * p.w * spread) * 1e6) / 1e6,
    Math.round((p.y + (rand() - 0.5) * p.h * spread) * 1e6) / 1e6,
  ];
  const point = (c: [number, number]) => ({ type: 'GeoProperty', value: { type: 'Point', coordinates: c } });
  const entities: Entity[] = [];
  const villagesOf = (prefix: string) => villages.filter((v) => v.code.startsWith(prefix));

  // Buildings: a few per village, the first public.
  const buildingsByVillage = new Map<string, string[]>();
  for (const v of villages) {
    const ids: string[] = [];
    const n = 2 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      const id = `urn:ngsi-ld:Building:${v.code}-${i + 1}`;
      const category = i === 0 ? 'public' : pick(['residential', 'residential', 'residential', 'commercial']);
      const floors = category === 'residential' ? 2 + Math.floor(rand() * 16) : 1 + Math.floor(rand() * 8);
      entities.push({
        id, type: 'Building', name: prop(`${v.name}${i === 0 ? '村民服务中心' : `${i}号楼`}`), category: prop(category), floors: prop(floors),
        occupants: prop(category === 'residential' ? floors * (6 + Math.floor(rand() * 20)) : 5 + Math.floor(rand() * 80)),
        yearBuilt: prop(1985 + Math.floor(rand() * 40)), location: point(near(v)),
      });
      ids.push(id);
    }
    buildingsByVillage.set(v.code, ids);
    // One fire hydrant per village, protecting its buildings.
    entities.push({
      id: `urn:ngsi-ld:FireHydrant:${v.code}`, type: 'FireHydrant', name: prop(`${v.name}消火栓`), status: prop(rand() < 0.93 ? 'working' : 'faulty'),
      pressure: prop(Math.round((0.25 + rand() * 0.2) * 100) / 100, { unitCode: 'MPA' }), protects: ids.slice(0, 2).map((b, k) => ({ ...rel(b), datasetId: `urn:ngsi-ld:Dataset:building-${k + 1}` })),
      location: point(near(v)),
    });
  }
  // Per township: a school (which hosts the shelter), a health centre, enterprises.
  for (const t of townships) {
    const vs = villagesOf(t.code.slice(0, 9));
    const host = vs[0] ?? t;
    const school = `urn:ngsi-ld:School:${t.code}`;
    entities.push({
      id: school, type: 'School', name: prop(`${t.name}中心小学`), schoolType: prop('primary'), students: prop(200 + Math.floor(rand() * 900)),
      location: point(near(host)),
    });
    entities.push({
      id: `urn:ngsi-ld:Shelter:${t.code}`, type: 'Shelter', name: prop(`${t.name}应急避难场所`), capacity: prop(500 + Math.floor(rand() * 20) * 100),
      occupancy: prop(0), areaM2: prop(3000 + Math.floor(rand() * 120) * 100, { unitCode: 'MTK' }), hostedBy: rel(school), location: point(near(host)),
    });
    entities.push({
      id: `urn:ngsi-ld:Hospital:${t.code}`, type: 'Hospital', name: prop(`${t.name}卫生院`), grade: prop('一级'), beds: prop(20 + Math.floor(rand() * 60)),
      location: point(near(host)),
    });
    const nEnt = 2 + Math.floor(rand() * 4);
    for (let i = 0; i < nEnt; i++) {
      const v = vs.length ? pick(vs) : t;
      const building = (buildingsByVillage.get(v.code) ?? [])[0];
      const industry = pick(['manufacturing', 'agriculture', 'chemicals', 'logistics', 'retail', 'construction'] as const);
      entities.push({
        id: `urn:ngsi-ld:Enterprise:${t.code}-${i + 1}`, type: 'Enterprise', name: prop(`${v.name}${['农业', '建材', '化工', '物流', '商贸', '建设'][['agriculture', 'manufacturing', 'chemicals', 'logistics', 'retail', 'construction'].indexOf(industry)]}有限公司`),
        industry: prop(industry), employees: prop(10 + Math.floor(rand() * 400)), safetyRisk: prop(industry === 'chemicals' ? 'high' : pick(['low', 'low', 'medium'])),
        ...(building ? { locatedIn: rel(building) } : {}), location: point(near(v)),
      });
    }
  }
  // Per county: the people's hospital, water-level stations along the river, air-quality stations on public buildings.
  const waterSensors: { id: string; base: number; warning: number; county: number }[] = [];
  const airSensors: { id: string; base: number }[] = [];
  counties.forEach((c, ci) => {
    const vs = villagesOf(c.code.slice(0, 6));
    entities.push({
      id: `urn:ngsi-ld:Hospital:${c.code}`, type: 'Hospital', name: prop(`${c.name}人民医院`), grade: prop(ci % 4 === 0 ? '三级' : '二级'), beds: prop(300 + Math.floor(rand() * 900)),
      location: point(near(c, 0.1)),
    });
    for (let i = 0; i < 5 && vs.length; i++) {
      const v = vs[Math.floor((i / 5) * vs.length)] as Place;
      const base = Math.round((2 + rand() * 3) * 100) / 100;
      const id = `urn:ngsi-ld:WaterLevelSensor:${c.code}-${i + 1}`;
      waterSensors.push({ id, base, warning: Math.round((base + 2.2 + rand() * 0.8) * 100) / 100, county: ci });
      entities.push({
        id, type: 'WaterLevelSensor', name: prop(`${v.name}水位站`), river: prop(`${c.name.replace(/[县区市]$/, '')}河`),
        warningLevel: prop((waterSensors.at(-1) as { warning: number }).warning, { unitCode: 'MTR' }), location: point(near(v)),
      });
    }
    for (let i = 0; i < 2 && vs.length; i++) {
      const v = vs[Math.floor(((i + 0.5) / 2) * vs.length)] as Place;
      const id = `urn:ngsi-ld:AirQualitySensor:${c.code}-${i + 1}`;
      airSensors.push({ id, base: 25 + rand() * 30 });
      const building = (buildingsByVillage.get(v.code) ?? [])[0];
      entities.push({ id, type: 'AirQualitySensor', name: prop(`${v.name}空气质量监测点`), ...(building ? { mountedOn: rel(building) } : {}), location: point(near(v)) });
    }
  });

  const ld = CORE_CONTEXT;
  const total = entities.length;
  for (let i = 0; i < entities.length; i += 2000) {
    const r = await upsertBatch(deps, ctx, entities.slice(i, i + 2000), ld, 'update');
    if (r.errors.length) throw new Error(`demo twin: ${r.errors.length} entities not written, first: ${JSON.stringify(r.errors[0])}`);
    opts.onProgress?.('twin entities', Math.min(i + 2000, total), total);
  }

  // A year of observations ending yesterday (local morning readings), in time order.
  const now = opts.now ?? new Date();
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - DAY;
  const days = 365;
  // Two flood events in the rainy season, each hitting some counties harder.
  const year = new Date(end).getUTCFullYear();
  const floods = [Date.UTC(now.getUTCMonth() >= 6 ? year : year - 1, 5, 18), Date.UTC(now.getUTCMonth() >= 6 ? year : year - 1, 6, 9)];
  const observations: Entity[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const t = end - d * DAY;
    const at = new Date(t).toISOString(); // 08:00 local time
    const doy = (t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / DAY;
    const season = Math.max(0, Math.sin(((doy - 100) / 365) * 2 * Math.PI)); // high from April to September
    for (const s of waterSensors) {
      let level = s.base + season * 1.4 + (rand() - 0.5) * 0.25;
      for (const f of floods) {
        const k = (t - f) / DAY;
        if (k >= 0 && k < 12) level += (s.county % 3 === 0 ? 3.2 : 1.6) * Math.exp(-k / 3.5) * (1 - Math.exp(-(k + 1)));
      }
      observations.push({ id: s.id, type: 'WaterLevelSensor', waterLevel: prop(Math.round(level * 100) / 100, { unitCode: 'MTR', observedAt: at }) });
    }
    for (const s of airSensors) {
      const winter = Math.cos(((doy - 15) / 365) * 2 * Math.PI); // worse in winter
      const pm25 = Math.max(5, Math.round(s.base + winter * 22 + (rand() - 0.3) * 30));
      const aqi = Math.round(pm25 <= 35 ? (pm25 / 35) * 50 : pm25 <= 75 ? 50 + ((pm25 - 35) / 40) * 50 : 100 + ((pm25 - 75) / 40) * 50);
      observations.push({ id: s.id, type: 'AirQualitySensor', pm25: prop(pm25, { unitCode: 'GQ', observedAt: at }), aqi: prop(aqi, { observedAt: at }) });
    }
  }
  // Monthly figures: hospital bed occupancy and enterprise output.
  const monthly = entities.filter((e) => e.type === 'Hospital' || e.type === 'Enterprise');
  for (let m = 11; m >= 0; m--) {
    const first = new Date(Date.UTC(new Date(end).getUTCFullYear(), new Date(end).getUTCMonth() - m, 1, 0)).toISOString();
    for (const e of monthly) {
      observations.push(
        e.type === 'Hospital'
          ? { id: e.id, type: 'Hospital', bedOccupancy: prop(Math.round((0.55 + rand() * 0.4) * 1000) / 10, { unitCode: 'P1', observedAt: first }) }
          : { id: e.id, type: 'Enterprise', outputValue: prop(Math.round((50 + rand() * 950) * (1 + (11 - m) * 0.01)) * 10_000, { unitCode: 'CNY', observedAt: first }) },
      );
    }
  }
  for (let i = 0; i < observations.length; i += 5000) {
    const r = await upsertBatch(deps, ctx, observations.slice(i, i + 5000), ld, 'update');
    if (r.errors.length) throw new Error(`demo twin: ${r.errors.length} observations not written, first: ${JSON.stringify(r.errors[0])}`);
    opts.onProgress?.('twin observations', Math.min(i + 5000, observations.length), observations.length);
  }
  return { entities: entities.length, observations: observations.length };
}
