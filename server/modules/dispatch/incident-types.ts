// SPDX-License-Identifier: Apache-2.0
// The incident type catalogue (事件分类): categories and their leaf types with zh-CN and English names, the
// SLA of each type (minutes to verify, respond and resolve at grade IV; higher grades are faster), and
// which types citizens may report through Open311 (the urban-management ones, answered by a department
// rather than an emergency line).
import type { Grade, IncidentType, Open311Attribute } from '../../../contracts/dispatch-incidents.ts';

type Sla = { verify: number; respond: number; resolve: number };
type Category = { code: string; name: string; nameEn: string; description: string };
type Leaf = {
  code: string;
  parent: string;
  name: string;
  nameEn: string;
  description: string;
  sla: Sla;
  citizen?: boolean;
  keywords?: string[];
  attributes?: Open311Attribute[];
};

const H = 60;
const D = 24 * H;

const CATEGORIES: Category[] = [
  { code: 'natural-disaster', name: '自然灾害', nameEn: 'Natural disaster', description: '水旱、气象、地质、地震灾害' },
  { code: 'accident', name: '事故灾难', nameEn: 'Accident', description: '交通、火灾、危险化学品、建筑等事故' },
  { code: 'public-health', name: '公共卫生事件', nameEn: 'Public health', description: '传染病疫情、食品安全、职业危害' },
  { code: 'social-security', name: '社会安全事件', nameEn: 'Social security', description: '群体性事件、治安案件、涉外突发事件' },
  { code: 'urban-management', name: '城市管理', nameEn: 'Urban management', description: '市政设施、市容环境、违法建设' },
];

const SEVERITY: Open311Attribute = {
  variable: true, code: 'severity', datatype: 'singlevaluelist', required: false, datatype_description: '严重程度 Severity', order: 1,
  description: '严重程度 How serious is it?',
  values: [{ key: 'low', name: '轻微 Low' }, { key: 'medium', name: '一般 Medium' }, { key: 'high', name: '严重 High' }],
};
const PHOTO: Open311Attribute = {
  variable: true, code: 'photo_url', datatype: 'string', required: false, datatype_description: '照片链接 URL of a photo', order: 2,
  description: '现场照片 Photo of the site (URL)',
};
const URBAN = [SEVERITY, PHOTO];

const LEAVES: Leaf[] = [
  { code: 'flood', parent: 'natural-disaster', name: '洪涝灾害', nameEn: 'Flood', description: '江河洪水、山洪', sla: { verify: 30, respond: 2 * H, resolve: 3 * D } },
  { code: 'rainstorm-waterlogging', parent: 'natural-disaster', name: '暴雨内涝', nameEn: 'Rainstorm waterlogging', description: '强降雨造成的城乡内涝', sla: { verify: 30, respond: 2 * H, resolve: 2 * D } },
  { code: 'landslide', parent: 'natural-disaster', name: '滑坡泥石流', nameEn: 'Landslide', description: '滑坡、崩塌、泥石流', sla: { verify: 30, respond: 2 * H, resolve: 3 * D } },
  { code: 'earthquake', parent: 'natural-disaster', name: '地震灾害', nameEn: 'Earthquake', description: '破坏性地震', sla: { verify: 15, respond: H, resolve: 7 * D } },
  { code: 'typhoon', parent: 'natural-disaster', name: '台风大风', nameEn: 'Typhoon and gale', description: '台风、大风、冰雹', sla: { verify: 30, respond: 2 * H, resolve: 2 * D } },
  { code: 'forest-fire', parent: 'natural-disaster', name: '森林火灾', nameEn: 'Forest fire', description: '森林、草原火灾', sla: { verify: 15, respond: H, resolve: 2 * D } },
  { code: 'traffic-accident', parent: 'accident', name: '道路交通事故', nameEn: 'Traffic accident', description: '道路交通事故', sla: { verify: 15, respond: H, resolve: 12 * H } },
  { code: 'fire', parent: 'accident', name: '火灾', nameEn: 'Fire', description: '建筑、车辆等火灾', sla: { verify: 10, respond: 30, resolve: 12 * H } },
  { code: 'hazardous-chemicals', parent: 'accident', name: '危险化学品事故', nameEn: 'Hazardous chemicals', description: '危险化学品泄漏、爆炸', sla: { verify: 10, respond: 30, resolve: D } },
  { code: 'building-collapse', parent: 'accident', name: '建筑坍塌', nameEn: 'Building collapse', description: '房屋、工棚、脚手架坍塌', sla: { verify: 15, respond: H, resolve: 2 * D } },
  { code: 'infectious-disease', parent: 'public-health', name: '传染病疫情', nameEn: 'Infectious disease', description: '传染病暴发、聚集性病例', sla: { verify: 2 * H, respond: 6 * H, resolve: 14 * D } },
  { code: 'food-poisoning', parent: 'public-health', name: '食物中毒', nameEn: 'Food poisoning', description: '群体性食物中毒', sla: { verify: H, respond: 3 * H, resolve: 3 * D } },
  { code: 'mass-gathering', parent: 'social-security', name: '群体性事件', nameEn: 'Mass gathering', description: '聚集、上访、冲突', sla: { verify: 30, respond: 2 * H, resolve: 2 * D } },
  { code: 'public-order', parent: 'social-security', name: '治安事件', nameEn: 'Public order', description: '影响公共秩序的治安事件', sla: { verify: H, respond: 4 * H, resolve: 3 * D } },
  { code: 'road-damage', parent: 'urban-management', name: '道路破损', nameEn: 'Road damage', description: '路面坑洼、塌陷、破损', citizen: true, keywords: ['road', 'pothole', '道路', '坑洼'], sla: { verify: 4 * H, respond: D, resolve: 5 * D }, attributes: URBAN },
  { code: 'manhole-cover-missing', parent: 'urban-management', name: '井盖缺失', nameEn: 'Missing manhole cover', description: '井盖缺失、破损、移位', citizen: true, keywords: ['manhole', '井盖'], sla: { verify: H, respond: 4 * H, resolve: D }, attributes: URBAN },
  { code: 'illegal-construction', parent: 'urban-management', name: '违法建设', nameEn: 'Illegal construction', description: '违章搭建、私搭乱建', citizen: true, keywords: ['construction', '违建'], sla: { verify: D, respond: 3 * D, resolve: 30 * D }, attributes: URBAN },
  { code: 'garbage', parent: 'urban-management', name: '垃圾堆积', nameEn: 'Garbage', description: '垃圾堆积、乱倒、清运不及时', citizen: true, keywords: ['garbage', 'rubbish', '垃圾'], sla: { verify: 4 * H, respond: 12 * H, resolve: 2 * D }, attributes: URBAN },
  { code: 'street-light-out', parent: 'urban-management', name: '路灯不亮', nameEn: 'Street light out', description: '路灯不亮、损坏', citizen: true, keywords: ['street light', '路灯'], sla: { verify: 8 * H, respond: D, resolve: 3 * D }, attributes: URBAN },
  { code: 'waterlogged-street', parent: 'urban-management', name: '道路积水', nameEn: 'Waterlogged street', description: '道路、下穿通道积水', citizen: true, keywords: ['water', 'flooded street', '积水'], sla: { verify: H, respond: 3 * H, resolve: D }, attributes: URBAN },
];

/** Grade I is the most serious: its deadlines are a quarter of grade IV's. */
const GRADE_FACTOR: Record<Grade, number> = { I: 0.25, II: 0.5, III: 0.75, IV: 1 };

/** Grades as stored (1 = I … 4 = IV) and as the API writes them. */
export const GRADE_NUMBER: Record<Grade, number> = { I: 1, II: 2, III: 3, IV: 4 };
export const GRADE_OF: Record<number, Grade> = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' };

const byCode = new Map<string, Category | Leaf>([...CATEGORIES.map((c) => [c.code, c] as const), ...LEAVES.map((l) => [l.code, l] as const)]);

/** A leaf type by code, or undefined (categories cannot be reported: they group types). */
export function findLeafType(code: string): Leaf | undefined {
  const t = byCode.get(code);
  return t && 'parent' in t ? t : undefined;
}

/** The leaf codes under `code` (itself when a leaf), or [] when unknown. */
export function typeCodesUnder(code: string): string[] {
  if (findLeafType(code)) return [code];
  return LEAVES.filter((l) => l.parent === code).map((l) => l.code);
}

/** Minutes allowed for each stage of an incident of `type` and `grade`. */
export function slaMinutes(type: Pick<Leaf, 'sla'>, grade: Grade): Sla {
  const f = GRADE_FACTOR[grade];
  return { verify: Math.max(5, Math.round(type.sla.verify * f)), respond: Math.max(10, Math.round(type.sla.respond * f)), resolve: Math.max(30, Math.round(type.sla.resolve * f)) };
}

/** Due times of the three stages, counted from when the incident was reported. */
export function dueTimes(type: Pick<Leaf, 'sla'>, grade: Grade, reportedAt: Date): { verify: Date; respond: Date; resolve: Date } {
  const m = slaMinutes(type, grade);
  const at = (minutes: number) => new Date(reportedAt.getTime() + minutes * 60_000);
  return { verify: at(m.verify), respond: at(m.respond), resolve: at(m.resolve) };
}

function present(t: Category | Leaf): IncidentType {
  const leaf = 'parent' in t ? t : undefined;
  return {
    code: t.code,
    parentCode: leaf?.parent ?? null,
    name: t.name,
    nameEn: t.nameEn,
    description: t.description,
    leaf: leaf !== undefined,
    citizenReportable: leaf?.citizen === true,
    keywords: leaf?.keywords ?? [],
    sla: leaf ? { verifyMinutes: leaf.sla.verify, respondMinutes: leaf.sla.respond, resolveMinutes: leaf.sla.resolve } : null,
    attributes: leaf?.attributes ?? [],
  };
}

/** The whole catalogue, each category followed by its types. */
export function listIncidentTypes(): IncidentType[] {
  return CATEGORIES.flatMap((c) => [present(c), ...LEAVES.filter((l) => l.parent === c.code).map(present)]);
}

/** One type or category as the API shows it. */
export function describeIncidentType(code: string): IncidentType | undefined {
  const t = byCode.get(code);
  return t ? present(t) : undefined;
}

/** The category a leaf belongs to. */
export function categoryOf(code: string): Category | undefined {
  const leaf = findLeafType(code);
  const c = leaf ? byCode.get(leaf.parent) : undefined;
  return c && !('parent' in c) ? c : undefined;
}

/** Every leaf, for generators and Open311. */
export function leafTypes(): readonly Leaf[] {
  return LEAVES;
}
