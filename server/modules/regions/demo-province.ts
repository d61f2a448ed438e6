// SPDX-License-Identifier: Apache-2.0
// The demo province (示范省): deterministic from a seed, under province code 99, which no real province
// uses, so that real divisions imported beside it never collide. Polygons nest exactly (each region is
// split into its children) and never overlap.
import type { BoundaryGeometry, Level } from '../../../contracts/regions.ts';
import { areaKm2, bboxOf, boxLiteral, centroidOf } from './geo.ts';
import type { RegionInsert } from './regions.store.ts';

/** A small, seeded pseudo-random generator (mulberry32): the same seed gives the same province. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES: [string, string][] = [
  ['云', 'Yun'], ['青', 'Qing'], ['安', 'An'], ['宁', 'Ning'], ['平', 'Ping'], ['江', 'Jiang'], ['山', 'Shan'], ['河', 'He'], ['东', 'Dong'], ['西', 'Xi'],
  ['南', 'Nan'], ['北', 'Bei'], ['阳', 'Yang'], ['林', 'Lin'], ['泉', 'Quan'], ['石', 'Shi'], ['桥', 'Qiao'], ['溪', 'Xi'], ['兴', 'Xing'], ['华', 'Hua'],
  ['丰', 'Feng'], ['隆', 'Long'], ['昌', 'Chang'], ['盛', 'Sheng'], ['和', 'He'], ['德', 'De'], ['福', 'Fu'], ['新', 'Xin'], ['永', 'Yong'], ['长', 'Chang'],
  ['清', 'Qing'], ['明', 'Ming'], ['春', 'Chun'], ['秋', 'Qiu'], ['松', 'Song'], ['柏', 'Bai'], ['梅', 'Mei'], ['竹', 'Zhu'], ['湖', 'Hu'], ['峰', 'Feng'],
  ['岭', 'Ling'], ['坪', 'Ping'], ['塘', 'Tang'], ['湾', 'Wan'], ['洲', 'Zhou'], ['源', 'Yuan'], ['川', 'Chuan'], ['凤', 'Feng'], ['龙', 'Long'], ['金', 'Jin'],
  ['玉', 'Yu'], ['白', 'Bai'], ['红', 'Hong'], ['绿', 'Lü'], ['黄', 'Huang'], ['茶', 'Cha'], ['桃', 'Tao'], ['杏', 'Xing'], ['樟', 'Zhang'], ['枫', 'Feng'],
  ['汇', 'Hui'], ['通', 'Tong'], ['泰', 'Tai'], ['康', 'Kang'], ['乐', 'Le'], ['富', 'Fu'], ['顺', 'Shun'], ['广', 'Guang'], ['远', 'Yuan'], ['志', 'Zhi'],
];

const SUFFIX: Record<Exclude<Level, 'province'>, [string, string][]> = {
  city: [['市', 'City']],
  county: [['县', 'County'], ['县', 'County'], ['区', 'District']],
  township: [['镇', 'Town'], ['镇', 'Town'], ['乡', 'Township'], ['街道', 'Subdistrict']],
  village: [['村', 'Village'], ['村', 'Village'], ['村', 'Village'], ['社区', 'Community']],
  grid: [['网格', 'Grid']],
};

/** Where the demo province lies: [minLon, minLat, maxLon, maxLat], about 19,000 km². */
export const DEMO_BOUNDS: [number, number, number, number] = [113.0, 28.0, 114.6, 29.1];

/** Sizes of a demo province with `villages` villages (600 → 3 cities, 12 counties, 60 townships). */
export function demoShape(villages: number) {
  const cities = Math.min(20, Math.max(3, Math.round(villages / 2000)));
  // every unit has at least one child: a small province has as many townships as villages at most
  const townships = Math.min(villages, Math.max(60, Math.round(villages / 10)));
  const counties = Math.min(townships, cities * 20, Math.max(cities * 4, Math.round(villages / 50)));
  return { cities: Math.min(cities, counties), counties, townships: Math.min(townships, counties * 60), villages };
}

type Rect = { x0: number; y0: number; x1: number; y1: number };

/** Splits `n` into `parts` counts that vary a little around the mean and sum to n. */
function distribute(n: number, parts: number, rand: () => number): number[] {
  if (n < parts) throw new RangeError(`cannot give ${parts} units at least one of ${n}`);
  const weights = Array.from({ length: parts }, () => 0.7 + rand() * 0.6);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((w / sum) * n)));
  let rest = n - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest !== 0; i = (i + 1) % parts) {
    const c = counts[i] as number;
    if (rest > 0) {
      counts[i] = c + 1;
      rest--;
    } else if (c > 1) {
      counts[i] = c - 1;
      rest++;
    }
  }
  return counts;
}

/** Tiles `rect` into `weights.length` rectangles with areas proportional to the weights, in rows. */
function tile(rect: Rect, weights: number[]): Rect[] {
  const n = weights.length;
  const w = rect.x1 - rect.x0;
  const h = rect.y1 - rect.y0;
  const rows = Math.max(1, Math.min(n, Math.round(Math.sqrt((n * h) / w))));
  const perRow = distributeEven(n, rows);
  const total = weights.reduce((a, b) => a + b, 0);
  const out: Rect[] = [];
  let idx = 0;
  let y = rect.y1;
  for (let r = 0; r < rows; r++) {
    const rowWeights = weights.slice(idx, idx + (perRow[r] as number));
    const rowTotal = rowWeights.reduce((a, b) => a + b, 0);
    // the last row and column end exactly on the parent's edges: shared edges must be equal numbers
    const yBottom = r === rows - 1 ? rect.y0 : y - (h * rowTotal) / total;
    let x = rect.x0;
    rowWeights.forEach((wt, k) => {
      const xRight = k === rowWeights.length - 1 ? rect.x1 : x + (w * wt) / rowTotal;
      out.push({ x0: x, y0: yBottom, x1: xRight, y1: y });
      x = xRight;
    });
    y = yBottom;
    idx += perRow[r] as number;
  }
  return out;
}

function distributeEven(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * Turns the nested rectangles into natural-looking boundaries that still nest exactly and never overlap:
 * every edge lying on a common line gets the same break points (all corners on that line, plus a fine
 * grid), and then every point goes through one smooth, one-to-one warp of the plane. Points shared
 * before the warp are shared after it, so neighbours keep one common border.
 */
function warpedPolygons(rects: Rect[], bounds: Rect, rand: () => number): BoundaryGeometry[] {
  const horizontal = new Map<number, number[]>(); // y → x break points
  const vertical = new Map<number, number[]>(); // x → y break points
  const add = (map: Map<number, number[]>, key: number, ...values: number[]) => {
    const list = map.get(key) ?? [];
    list.push(...values);
    map.set(key, list);
  };
  for (const r of rects) {
    add(horizontal, r.y0, r.x0, r.x1);
    add(horizontal, r.y1, r.x0, r.x1);
    add(vertical, r.x0, r.y0, r.y1);
    add(vertical, r.x1, r.y0, r.y1);
  }
  const w = bounds.x1 - bounds.x0;
  const h = bounds.y1 - bounds.y0;
  const step = w / 240;
  const grid = (from: number, to: number) => {
    const out: number[] = [];
    for (let v = Math.ceil(from / step) * step; v < to; v += step) out.push(v);
    return out;
  };
  const sorted = (map: Map<number, number[]>, lo: number, hi: number) => {
    const done = new Map<number, number[]>();
    for (const [k, values] of map) done.set(k, [...new Set([...values, ...grid(lo, hi)])].sort((a, b) => a - b));
    return done;
  };
  const hLines = sorted(horizontal, bounds.x0, bounds.x1);
  const vLines = sorted(vertical, bounds.y0, bounds.y1);
  const between = (line: number[], a: number, b: number) => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const inside = line.filter((v) => v > lo && v < hi);
    return a < b ? inside : inside.reverse();
  };
  // Smooth warp: low-frequency sines whose slopes stay well below 1, so the map is one-to-one.
  const p = Array.from({ length: 8 }, () => rand() * Math.PI * 2);
  const a1 = Math.min(w, h) * 0.06;
  const a2 = Math.min(w, h) * 0.012;
  const k1 = (2 * Math.PI) / (Math.min(w, h) * 1.2);
  const k2 = (2 * Math.PI) / (Math.min(w, h) * 0.25);
  const warp = (x: number, y: number): [number, number] => [
    round(x + a1 * Math.sin(k1 * y + (p[0] ?? 0)) * Math.cos(k1 * 0.7 * x + (p[1] ?? 0)) + a2 * Math.sin(k2 * y + (p[2] ?? 0)) * Math.cos(k2 * x + (p[3] ?? 0))),
    round(y + a1 * Math.sin(k1 * x + (p[4] ?? 0)) * Math.cos(k1 * 0.8 * y + (p[5] ?? 0)) + a2 * Math.sin(k2 * x + (p[6] ?? 0)) * Math.cos(k2 * y + (p[7] ?? 0))),
  ];
  return rects.map((r) => {
    const ring: [number, number][] = [];
    // counter-clockwise: bottom edge left→right, right edge up, top edge right→left, left edge down
    ring.push([r.x0, r.y0], ...between(hLines.get(r.y0) ?? [], r.x0, r.x1).map((x): [number, number] => [x, r.y0]));
    ring.push([r.x1, r.y0], ...between(vLines.get(r.x1) ?? [], r.y0, r.y1).map((y): [number, number] => [r.x1, y]));
    ring.push([r.x1, r.y1], ...between(hLines.get(r.y1) ?? [], r.x1, r.x0).map((x): [number, number] => [x, r.y1]));
    ring.push([r.x0, r.y1], ...between(vLines.get(r.x0) ?? [], r.y1, r.y0).map((y): [number, number] => [r.x0, y]));
    ring.push([r.x0, r.y0]);
    return { type: 'Polygon', coordinates: [ring.map(([x, y]) => warp(x, y))] };
  });
}

/** Options of the generator. */
export type DemoProvinceOptions = { villages: number; seed: number; gridsInFirstTownship?: number; validFrom?: string };

/** Generates the demo province's regions (parents before children). */
export function generateDemoProvince(opts: DemoProvinceOptions): RegionInsert[] {
  const rand = rng(opts.seed);
  const shape = demoShape(opts.villages);
  const usedNames = new Set<string>();
  const name = (level: Exclude<Level, 'province'>): [string, string] => {
    for (let attempt = 0; ; attempt++) {
      const a = SYLLABLES[Math.floor(rand() * SYLLABLES.length)] as [string, string];
      const b = SYLLABLES[Math.floor(rand() * SYLLABLES.length)] as [string, string];
      const suffixes = SUFFIX[level];
      const s = suffixes[Math.floor(rand() * suffixes.length)] as [string, string];
      const zh = level === 'city' ? `${a[0]}${b[0] === a[0] ? '州' : b[0]}${s[0]}` : `${a[0]}${b[0]}${s[0]}`;
      // Names repeat across the province in reality too; avoid it where we can, to keep search useful.
      if (!usedNames.has(zh) || attempt > 20) {
        usedNames.add(zh);
        return [zh, `${a[1]}${(b[0] === a[0] && level === 'city' ? 'zhou' : b[1]).toLowerCase()} ${s[1]}`];
      }
    }
  };
  const validFrom = opts.validFrom ?? '2020-01-01';
  const out: RegionInsert[] = [];
  const rects: Rect[] = [];
  const push = (code: string, level: Level, parent: string | null, names: [string, string], rect: Rect, population: number) => {
    rects.push(rect);
    out.push({
      code, level, parent_code: parent, name: names[0], name_en: names[1], population, boundary: null,
      area_km2: null, centroid: null, bbox: null, valid_from: validFrom, change_id: null,
    });
  };
  const provinceRect: Rect = { x0: DEMO_BOUNDS[0], y0: DEMO_BOUNDS[1], x1: DEMO_BOUNDS[2], y1: DEMO_BOUNDS[3] };
  const countiesPerCity = distribute(shape.counties, shape.cities, rand);
  const townshipsPerCounty = distribute(shape.townships, shape.counties, rand);
  const villagesPerTownship = distribute(shape.villages, shape.townships, rand);
  // Populations are decided at the bottom and summed upwards.
  const villagePops = villagesPerTownship.map((n) => Array.from({ length: n }, () => 600 + Math.floor(rand() * 3400)));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const townshipPops = villagePops.map(sum);

  const provincePop = sum(townshipPops);
  push('990000000000', 'province', null, ['云政示范省', 'Yunzheng Demo Province'], provinceRect, provincePop);

  let countyIdx = 0;
  let townshipIdx = 0;
  const cityPops: number[] = [];
  const countyPops: number[] = [];
  {
    let ci = 0;
    let ti = 0;
    for (const nc of countiesPerCity) {
      let cityPop = 0;
      for (let k = 0; k < nc; k++) {
        const nt = townshipsPerCounty[ci] as number;
        const pop = sum(townshipPops.slice(ti, ti + nt));
        countyPops.push(pop);
        cityPop += pop;
        ti += nt;
        ci++;
      }
      cityPops.push(cityPop);
    }
  }
  const cityRects = tile(provinceRect, cityPops);
  countiesPerCity.forEach((nc, c) => {
    const cityCode = `99${String(c + 1).padStart(2, '0')}00000000`;
    push(cityCode, 'city', '990000000000', name('city'), cityRects[c] as Rect, cityPops[c] as number);
    const countyRects = tile(cityRects[c] as Rect, countyPops.slice(countyIdx, countyIdx + nc));
    for (let k = 0; k < nc; k++) {
      const countyCode = `${cityCode.slice(0, 4)}${String(k + 1).padStart(2, '0')}000000`;
      const nt = townshipsPerCounty[countyIdx] as number;
      push(countyCode, 'county', cityCode, name('county'), countyRects[k] as Rect, countyPops[countyIdx] as number);
      const townshipRects = tile(countyRects[k] as Rect, townshipPops.slice(townshipIdx, townshipIdx + nt));
      for (let t = 0; t < nt; t++) {
        const townshipCode = `${countyCode.slice(0, 6)}${String(t + 1).padStart(3, '0')}000`;
        const pops = villagePops[townshipIdx] as number[];
        push(townshipCode, 'township', countyCode, name('township'), townshipRects[t] as Rect, townshipPops[townshipIdx] as number);
        const villageRects = tile(townshipRects[t] as Rect, pops);
        pops.forEach((vp, v) => {
          const villageCode = `${townshipCode.slice(0, 9)}${String(v + 1).padStart(3, '0')}`;
          push(villageCode, 'village', townshipCode, name('village'), villageRects[v] as Rect, vp);
          if (townshipIdx === 0 && (opts.gridsInFirstTownship ?? 4) > 0) {
            const g = opts.gridsInFirstTownship ?? 4;
            const gridPops = distribute(vp, g, rand);
            const gridRects = tile(villageRects[v] as Rect, gridPops);
            gridPops.forEach((gp, gi) => {
              push(`${villageCode}${String(gi + 1).padStart(3, '0')}`, 'grid', villageCode, [`第${gi + 1}网格`, `Grid ${gi + 1}`], gridRects[gi] as Rect, gp);
            });
          }
        });
        townshipIdx++;
      }
      countyIdx++;
    }
  });
  const shapes = warpedPolygons(rects, provinceRect, rand);
  out.forEach((row, i) => {
    const boundary = shapes[i] as BoundaryGeometry;
    row.boundary = boundary;
    row.area_km2 = areaKm2(boundary);
    row.centroid = centroidOf(boundary);
    row.bbox = boxLiteral(bboxOf(boundary));
  });
  return out;
}
