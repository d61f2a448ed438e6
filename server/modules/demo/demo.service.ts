// SPDX-License-Identifier: Apache-2.0
// Seeds the demo province: regions with boundaries, organizations for every county, and one account per
// role with a generated password (written to <data dir>/demo-accounts.json, never hard-coded).
import fs from 'node:fs';
import path from 'node:path';
import { DEPARTMENT_TYPES, type DepartmentType, type Role } from '../../../contracts/identity.ts';
import { systemContext } from '../../platform/context.ts';
import { generatePassword } from '../../platform/crypto.ts';
import { withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { actorForUsername, createUserAsSystem } from '../identity/index.ts';
import { seedDemoDatasets } from './demo-datasets.ts';
import { seedDemoIndicators } from '../indicators/index.ts';
import { seedDemoTwin } from './demo-twin.ts';
import { mirrorResources, seedDemoActivation, seedDemoIncidents, seedDemoIntakeRules, seedDemoPlans, seedDemoResources, seedDemoWarnings } from '../dispatch/index.ts';
import { insertDemoProvince, rng } from '../regions/index.ts';

/** A demo account as written to demo-accounts.json. */
export type DemoAccount = { username: string; password: string; roles: Role[]; scope: string | null };

const DEPT_NAMES: Record<DepartmentType, string> = {
  'government-office': '人民政府办公室',
  'emergency-management': '应急管理局',
  'public-security': '公安局',
  'fire-rescue': '消防救援大队',
  health: '卫生健康局',
  'urban-management': '城市管理局',
  'water-resources': '水利局',
  transport: '交通运输局',
  'civil-affairs': '民政局',
  'natural-resources': '自然资源局',
  'ecology-environment': '生态环境局',
  'big-data': '大数据局',
};

/** Whether the platform already holds the demo province. */
export async function hasDemoProvince(deps: Deps): Promise<boolean> {
  const { rows } = await deps.db.pool.query("SELECT 1 FROM region WHERE code = '990000000000' LIMIT 1");
  return rows.length > 0;
}

type Org = { id: string; kind: 'government' | 'social'; name: string; region: string; dept?: DepartmentType; social?: 'enterprise' | 'ngo' | 'volunteer-team'; quals?: string[] };

/** Seeds the demo province; returns the demo accounts (with their generated passwords). */
export async function seedDemo(
  deps: Deps,
  opts: { villages: number; seed: number; twin?: boolean; resources?: boolean; incidents?: boolean; plans?: boolean; warnings?: boolean; indicators?: boolean; onProgress?: (stage: string, done: number, total: number) => void },
): Promise<DemoAccount[]> {
  const ctx = systemContext('seed');
  const rand = rng(opts.seed + 1);
  const orgs: Org[] = [];
  let regionCount = 0;
  const counties: { code: string; name: string }[] = [];
  const cities: string[] = [];
  let firstTownship = '';
  await withTransaction(deps.db, async (tx) => {
    regionCount = await insertDemoProvince(tx, { villages: opts.villages, seed: opts.seed }, (d, t) => opts.onProgress?.('regions', d, t));
    const { rows } = await tx.query<{ code: string; name: string; level: string }>(
      "SELECT code, name, level FROM region WHERE code LIKE '99%' AND level IN ('province', 'city', 'county') AND valid_to IS NULL ORDER BY code",
    );
    const t = await tx.query<{ code: string }>("SELECT code FROM region WHERE code LIKE '99%' AND level = 'township' ORDER BY code LIMIT 1");
    firstTownship = t.rows[0]?.code ?? '';
    for (const r of rows) {
      if (r.level === 'province') {
        orgs.push({ id: newId(), kind: 'government', name: `${r.name}大数据局`, region: r.code, dept: 'big-data' });
        orgs.push({ id: newId(), kind: 'government', name: `${r.name}应急管理厅`, region: r.code, dept: 'emergency-management' });
        orgs.push({ id: newId(), kind: 'government', name: `${r.name}人民政府办公厅`, region: r.code, dept: 'government-office' });
      } else if (r.level === 'city') {
        cities.push(r.code);
        for (const dept of ['government-office', 'emergency-management', 'public-security', 'health', 'big-data'] as DepartmentType[]) {
          orgs.push({ id: newId(), kind: 'government', name: `${r.name}${DEPT_NAMES[dept]}`, region: r.code, dept });
        }
      } else {
        counties.push({ code: r.code, name: r.name });
        for (const dept of DEPARTMENT_TYPES.filter((d) => d !== 'big-data')) {
          orgs.push({ id: newId(), kind: 'government', name: `${r.name}${DEPT_NAMES[dept]}`, region: r.code, dept });
        }
      }
    }
    const socialKinds = [
      ['enterprise', '建设工程有限公司', ['工程施工总承包二级', '应急抢险']],
      ['enterprise', '物业服务有限公司', ['物业服务', '社区养老服务']],
      ['ngo', '社会工作服务中心', ['社会工作服务', '心理援助']],
      ['volunteer-team', '蓝天救援队', ['水域救援', '山地搜救']],
    ] as const;
    for (const c of counties) {
      for (const [kind, suffix, quals] of socialKinds) {
        if (rand() < 0.6 || kind === 'volunteer-team') orgs.push({ id: newId(), kind: 'social', name: `${c.name}${suffix}`, region: c.code, social: kind, quals: [...quals] });
      }
    }
    for (let i = 0; i < orgs.length; i += 500) {
      const chunk = orgs.slice(i, i + 500);
      const values: unknown[] = [];
      const tuples = chunk.map((o) => {
        const b = values.length;
        const credit = o.kind === 'social' ? `91${o.region.slice(0, 6)}MA${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null;
        values.push(o.id, o.kind, o.name, o.region, o.dept ?? null, o.social ?? null, credit, o.quals ?? [],
          `${'王李张刘陈杨赵黄周吴'[Math.floor(rand() * 10)]}${'伟芳娜敏静丽强磊军洋'[Math.floor(rand() * 10)]}`,
          `1${3 + Math.floor(rand() * 7)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`);
        return `(${Array.from({ length: 10 }, (_, k) => `$${b + k + 1}`).join(',')})`;
      });
      await tx.query(
        `INSERT INTO organization (id, kind, name, region_code, department_type, social_type, credit_code, qualifications, contact_name, contact_phone) VALUES ${tuples.join(',')}`,
        values,
      );
    }
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'demo.seeded', resourceType: 'region', resourceId: '990000000000', regionCode: '990000000000', details: { regions: regionCount, organizations: orgs.length } });
  });
  opts.onProgress?.('organizations', orgs.length, orgs.length);

  const org = (region: string, dept: DepartmentType) => orgs.find((o) => o.region === region && o.dept === dept)?.id as string;
  const socialOrg = orgs.find((o) => o.kind === 'social' && o.region === counties[0]?.code) as Org;
  const [countyA, countyB] = [counties[0] as { code: string }, counties[counties.length - 1] as { code: string }];
  const plan: { username: string; displayName: string; roles: Role[]; scope: string | null; org: string; clearance: 'internal' | 'sensitive' | 'core' }[] = [
    { username: 'sysadmin', displayName: '系统管理员', roles: ['system-admin'], scope: null, org: org('990000000000', 'big-data'), clearance: 'internal' },
    { username: 'secadmin', displayName: '安全保密管理员', roles: ['security-admin'], scope: null, org: org('990000000000', 'big-data'), clearance: 'core' },
    { username: 'auditadmin', displayName: '安全审计员', roles: ['audit-admin'], scope: null, org: org('990000000000', 'big-data'), clearance: 'internal' },
    { username: 'province-admin', displayName: '省级区域管理员', roles: ['region-admin'], scope: '990000000000', org: org('990000000000', 'government-office'), clearance: 'sensitive' },
    { username: 'operator-a', displayName: '县级操作员甲', roles: ['operator'], scope: countyA.code, org: org(countyA.code, 'emergency-management'), clearance: 'internal' },
    { username: 'operator-b', displayName: '县级操作员乙', roles: ['operator'], scope: countyB.code, org: org(countyB.code, 'emergency-management'), clearance: 'internal' },
    { username: 'dispatcher', displayName: '市级调度员', roles: ['dispatcher'], scope: cities[0] as string, org: org(cities[0] as string, 'emergency-management'), clearance: 'sensitive' },
    { username: 'task-handler', displayName: '乡镇任务处理人', roles: ['task-handler'], scope: firstTownship, org: org(countyA.code, 'government-office'), clearance: 'internal' },
    { username: 'social-member', displayName: '社会组织成员', roles: ['social-member'], scope: socialOrg.region, org: socialOrg.id, clearance: 'internal' },
    { username: 'viewer', displayName: '只读用户', roles: ['viewer'], scope: '990000000000', org: org('990000000000', 'government-office'), clearance: 'internal' },
  ];
  const accounts: DemoAccount[] = [];
  for (const p of plan) {
    const password = generatePassword(16);
    await createUserAsSystem(deps, ctx, {
      username: p.username, displayName: p.displayName, organizationId: p.org, roles: p.roles, scopeCode: p.scope, clearance: p.clearance, password,
      phone: `1${3 + Math.floor(rand() * 7)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`,
      idCard: `${(p.scope ?? '990000000000').slice(0, 6)}19${String(70 + Math.floor(rand() * 30))}0${1 + Math.floor(rand() * 9)}1${Math.floor(rand() * 9)}${String(Math.floor(rand() * 1000)).padStart(3, '0')}X`,
    });
    accounts.push({ username: p.username, password, roles: p.roles, scope: p.scope });
    opts.onProgress?.('accounts', accounts.length, plan.length);
  }
  const villages = await deps.db.pool.query<{ code: string; name: string }>("SELECT code, name FROM region WHERE code LIKE '99%' AND level = 'village' AND valid_to IS NULL ORDER BY code");
  await seedDemoDatasets(deps, ctx, { provinceCode: '990000000000', ownerOrganizationId: org('990000000000', 'big-data'), villages: villages.rows, seed: opts.seed });
  opts.onProgress?.('datasets', 1, 1);
  if (opts.twin !== false) await seedDemoTwin(deps, ctx, { seed: opts.seed, onProgress: opts.onProgress });
  if (opts.resources !== false) {
    const n = await seedDemoResources(deps, ctx, { seed: opts.seed });
    opts.onProgress?.('resources', n, n);
    if (opts.twin !== false) await mirrorResources(deps);
  }
  if (opts.incidents !== false) {
    const n = await seedDemoIncidents(deps, ctx, { seed: opts.seed });
    opts.onProgress?.('incidents', n, n);
  }
  if (opts.plans !== false) {
    // published plans of the province, bound in the two counties that have operator accounts
    const n = await seedDemoPlans(deps, ctx, { provinceCode: '990000000000', ownerOrganizationId: org('990000000000', 'emergency-management'), bindRegions: [countyA.code, countyB.code] });
    opts.onProgress?.('plans', n, n);
    // 自动感知: water-level stations at their warning level report floods, which the flood plan answers
    const rules = await seedDemoIntakeRules(deps, ctx, { provinceCode: '990000000000' });
    opts.onProgress?.('intake rules', rules, rules);
    const dispatcher = await actorForUsername(deps.db.pool, 'dispatcher');
    if (opts.resources !== false && dispatcher) {
      // a flood answered right now: orders on the board, tasks under way
      const orders = await seedDemoActivation(deps, { actor: dispatcher.actor, requestId: 'demo', ip: null }, { countyCode: countyA.code });
      opts.onProgress?.('activation', orders, orders);
    }
  }
  if (opts.warnings !== false) {
    // past public warnings: a flood warning (Alert, Update, Cancel) and a drill
    const n = await seedDemoWarnings(deps, ctx, { floodRegionCode: countyA.code, drillRegionCode: countyB.code });
    opts.onProgress?.('warnings', n, n);
  }
  if (opts.indicators !== false) {
    // 指标: a year of values for every region, targets, and the alerts of the recent months
    const n = await seedDemoIndicators(deps, ctx, {
      seed: opts.seed, provinceCode: '990000000000', ownerOrganizationId: org('990000000000', 'big-data'), healthOrganizationId: org('990000000000', 'government-office'),
    });
    opts.onProgress?.('indicators', n, n);
  }
  return accounts;
}

/** Writes the demo accounts to `<dataDir>/demo-accounts.json`, readable by the owner only. */
export function writeDemoAccounts(dataDir: string, accounts: DemoAccount[]): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'demo-accounts.json');
  fs.writeFileSync(file, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  return file;
}
