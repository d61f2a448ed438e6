// SPDX-License-Identifier: Apache-2.0
// `yunzheng plan export` and `yunzheng plan import`: a plan version written as a YAML or JSON package, and a
// package imported into another county with its bind report; dry runs, refusals and `--as` write nothing.
// `yunzheng simulate`: the same replay as the API, as a table or JSON, with variants and clear refusals.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { PlanPackage } from '../../contracts/dispatch-plans.ts';
import { buildDeps } from '../../server/main.ts';
import { createPlan, seedDemoIncidents, seedDemoPlans, seedDemoResources, transitionVersion, updateDraft } from '../../server/modules/dispatch/index.ts';
import type { Simulation } from '../../contracts/dispatch-simulation.ts';
import { demoPlanInputs } from '../../server/modules/dispatch/plans.demo.ts';
import { importRegionsCsv } from '../../server/modules/regions/index.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { systemContext } from '../../server/platform/context.ts';
import type { Database } from '../../server/platform/db.ts';
import { type CliHarness, cliHarness } from '../helpers/cli-harness.ts';
import { templateAccounts } from '../helpers/template.ts';

const PROVINCE = '990000000000';
/** A county added without any organization: no role binds there. */
const BARE_COUNTY = { code: '980101000000', name: '空白县' };
const REVISED_NAME = '防汛应急预案（修订稿）';

let h: CliHarness;
let dataDir: string;
let countyA: string;
let countyB: string;
/** A county of another city than the dispatcher's, holding no plan: where packages are imported. */
let target: { code: string; name: string };
/** A county of the dispatcher's city other than county A. */
let dispatcherCounty: string;
/** The province's flood plan: version 1 published, version 2 a draft. */
let floodId: string;
/** The province's emergency management department. */
let provinceEmergency: string;

const cli = (args: string[]) => h.cli(args);
const withDb = <T>(fn: (db: Database) => Promise<T>) => h.withDb(fn);
const rows = <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => h.rows<R>(sql, values);

/** Every row an import or a refusal could write. */
async function written(): Promise<Record<string, number>> {
  const [r] = await rows<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM plan) AS plans, (SELECT count(*)::int FROM plan_version) AS versions, (SELECT count(*)::int FROM plan_binding) AS bindings,
            (SELECT count(*)::int FROM plan_version_event) AS events, (SELECT count(*)::int FROM outbox) AS outbox, (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return r as Record<string, number>;
}

beforeAll(async () => {
  h = await cliHarness('yz-plan-cli-');
  dataDir = h.dataDir;
  const accounts = templateAccounts();
  const scopeOf = (username: string) => accounts.find((a) => a.username === username)?.scope as string;
  countyA = scopeOf('operator-a');
  countyB = scopeOf('operator-b');
  const dispatcherCity = scopeOf('dispatcher').slice(0, 4);
  await withDb(async (db) => {
    const deps = buildDeps(loadConfig({ YZ_LOG_LEVEL: 'silent', YZ_DATA_DIR: dataDir }), db);
    const ctx = systemContext('test');
    const counties = (await db.pool.query<{ code: string; name: string }>("SELECT code, name FROM region WHERE level = 'county' AND valid_to IS NULL ORDER BY code")).rows;
    const others = counties.filter((c) => c.code !== countyA && c.code !== countyB);
    target = others.find((c) => !c.code.startsWith(dispatcherCity)) as { code: string; name: string };
    dispatcherCounty = (others.find((c) => c.code.startsWith(dispatcherCity)) ?? { code: countyA }).code;
    expect(target).toBeDefined();
    const org = async (region: string) =>
      (await db.pool.query<{ id: string }>("SELECT id FROM organization WHERE region_code = $1 AND department_type = 'emergency-management'", [region])).rows[0]?.id as string;
    provinceEmergency = await org(PROVINCE);
    // the demo plans, published in the province and bound in counties A and B, as the demo seed makes them
    await seedDemoPlans(deps, ctx, { provinceCode: PROVINCE, ownerOrganizationId: provinceEmergency, bindRegions: [countyA, countyB] });
    // resources and a year of incidents to replay
    await seedDemoResources(deps, ctx, { seed: 5, provinceCode: PROVINCE });
    await seedDemoIncidents(deps, ctx, { seed: 5, count: 800, now: new Date('2026-11-01T00:00:00+08:00') });
    await importRegionsCsv(deps, ctx, `code,name,level,parent\n980000000000,空白省,province,\n980100000000,空白市,city,980000000000\n${BARE_COUNTY.code},${BARE_COUNTY.name},county,980100000000\n`);
    // the flood plan gets a revision in draft: version 2, not published
    const [flood] = (await db.pool.query<{ id: string }>("SELECT id FROM plan WHERE code = 'flood-response'")).rows;
    floodId = (flood as { id: string }).id;
    const revised = await transitionVersion(deps, ctx, floodId, 1, { action: 'revise', note: 'test' });
    expect(revised.created?.version).toBe(2);
    const v2 = revised.created as NonNullable<typeof revised.created>;
    await updateDraft(deps, ctx, floodId, 2, { name: REVISED_NAME, applicableRegions: v2.applicableRegions, triggers: v2.triggers, levels: v2.levels });
    // a county plan that was never published
    const waterlogging = demoPlanInputs(await org(countyA), countyA)[1] as Parameters<typeof createPlan>[2];
    await createPlan(deps, ctx, { ...waterlogging, code: 'county-waterlogging' });
  });
});
afterAll(async () => {
  await h?.close();
});

function readPackage(text: string, format: 'yaml' | 'json'): PlanPackage {
  return PlanPackage.parse(format === 'yaml' ? parseYaml(text) : JSON.parse(text));
}

describe('yunzheng plan', { timeout: 300_000 }, () => {
  it('refuses bad arguments with usage (exit 2)', () => {
    const pkg = path.join(dataDir, 'args.yaml');
    fs.writeFileSync(pkg, 'format: x\n');
    const cases: [string[], RegExp][] = [
      [['plan'], /plan takes one action: export or import/],
      [['plan', 'drop'], /plan takes one action: export or import/],
      [['plan', 'export'], /plan export takes one plan code or id/],
      [['plan', 'export', 'Flood Response'], /neither a plan code nor a plan id/],
      [['plan', 'export', 'flood-response', '--format', 'xml'], /--format must be yaml or json/],
      [['plan', 'export', 'flood-response', '--version', 'latest'], /--version must be a whole number/],
      [['plan', 'export', 'flood-response', '--out', path.join(dataDir, 'no-such-folder', 'p.yaml')], /no such folder/],
      [['plan', 'export', 'flood-response', '--bogus'], /Unknown option '--bogus'/],
      [['plan', 'import'], /plan import takes one package file/],
      [['plan', 'import', pkg], /needs --region CODE/],
      [['plan', 'import', pkg, pkg, '--region', PROVINCE], /plan import takes one package file/],
      [['plan', 'import', pkg, '--region', '12345'], /--region: a region code has 12 digits/],
      [['plan', 'import', pkg, '--region', PROVINCE, '--code', 'Bad Code'], /--code: /],
      [['plan', 'import', path.join(dataDir, 'no-such-file.yaml'), '--region', PROVINCE], /no such file/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err).toMatch(/Usage: yunzheng/);
      expect(r.out).toBe('');
    }
    expect(cli(['--help']).out).toMatch(/plan export CODE\|ID[\s\S]*plan import FILE --region CODE/);
  });

  it('exports the published version as YAML by default, any version as JSON, and a never-published plan at its latest', () => {
    const yamlRun = cli(['plan', 'export', 'flood-response']);
    expect(yamlRun.code, yamlRun.err).toBe(0);
    const fromYaml = readPackage(yamlRun.out, 'yaml');
    expect(fromYaml.format).toBe('yunzheng.plan-package/1');
    // version 2 is a draft: the default is the published version 1
    expect(fromYaml.source).toEqual({ regionCode: PROVINCE, code: 'flood-response', version: 1 });
    const flood = demoPlanInputs('owner', PROVINCE)[0] as NonNullable<ReturnType<typeof demoPlanInputs>[0]>;
    expect(fromYaml.plan).toMatchObject({ code: 'flood-response', scenarioType: 'flood', name: '防汛应急预案', applicableRegions: [PROVINCE] });
    expect(fromYaml.plan.levels).toEqual(flood.levels);
    expect(fromYaml.plan.triggers).toEqual(flood.triggers);
    expect(fromYaml.roles.map((r) => r.key).sort()).toEqual(['civil-affairs', 'county-emergency-bureau', 'fire-rescue', 'health', 'township-head', 'water-resources-bureau']);
    expect(fromYaml.resourceTypes.map((t) => t.code).sort()).toEqual(['pump-truck', 'rescue-team', 'sandbags', 'shelter']);
    fs.writeFileSync(path.join(dataDir, 'flood.yaml'), yamlRun.out);

    const file = path.join(dataDir, 'flood.json');
    const jsonRun = cli(['plan', 'export', 'flood-response', '--format', 'json', '--out', file]);
    expect(jsonRun.code, jsonRun.err).toBe(0);
    expect(jsonRun.out).toMatch(new RegExp(`^flood-response version 1 of ${PROVINCE} written to .*flood\\.json \\(json, \\d+ bytes\\)\\n$`));
    const fromJson = readPackage(fs.readFileSync(file, 'utf8'), 'json');
    expect(fromJson.source).toEqual(fromYaml.source);
    expect(fromJson.plan).toEqual(fromYaml.plan);
    expect(fromJson.roles).toEqual(fromYaml.roles);
    expect(fromJson.resourceTypes).toEqual(fromYaml.resourceTypes);

    // any version on request, by code or by id
    const v2 = cli(['plan', 'export', floodId.toUpperCase(), '--version', '2', '--format', 'yaml']);
    expect(v2.code, v2.err).toBe(0);
    expect(readPackage(v2.out, 'yaml')).toMatchObject({ source: { regionCode: PROVINCE, version: 2 }, plan: { name: REVISED_NAME } });

    // never published: its latest version
    const draft = cli(['plan', 'export', 'county-waterlogging']);
    expect(draft.code, draft.err).toBe(0);
    expect(readPackage(draft.out, 'yaml')).toMatchObject({ source: { regionCode: countyA, code: 'county-waterlogging', version: 1 }, plan: { applicableRegions: [countyA] } });
  });

  it('imports a package into another county with a bind report; a dry run writes nothing', async () => {
    const yamlFile = path.join(dataDir, 'flood.yaml');
    const before = await written();
    const dry = cli(['plan', 'import', yamlFile, '--region', target.code, '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(new RegExp(`bind report for region ${target.code}:`));
    expect(dry.out).toMatch(new RegExp(`county-emergency-bureau\\s+→ ${target.name}应急管理局`));
    expect(dry.out).toMatch(/unknown roles: none\n\s+unknown resource types: none\n\s+unknown incident type: none/);
    expect(dry.out).toMatch(new RegExp(`dry run: the package can be imported into ${target.code} ${target.name}; nothing was written`));
    expect(await written()).toEqual(before);

    // the JSON export imports the same way
    const imported = cli(['plan', 'import', path.join(dataDir, 'flood.json'), '--region', target.code]);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out.split('\n').filter((l) => l.includes('→'))).toEqual(dry.out.split('\n').filter((l) => l.includes('→')));
    const bound = [...imported.out.matchAll(/^ {4}(\S+)\s+→ (.+)$/gm)].map((m) => [m[1], m[2]]).sort();
    expect(bound.length).toBe(6);
    expect(imported.out).toMatch(new RegExp(`imported into ${target.code} ${target.name} as plan flood-response \\(id [0-9a-f-]{36}\\), version 1, a draft owned by ${target.name}应急管理局`));

    // a county without organizations: nothing binds, and the owner must be named
    const bareDry = cli(['plan', 'import', yamlFile, '--region', BARE_COUNTY.code, '--dry-run']);
    expect(bareDry.code).toBe(1);
    expect(bareDry.out).toMatch(/^ {2}bound: none$/m);
    const unbound = bareDry.out.match(/^ {2}unbound: (.*) — no organization in or above the region fits them: bind them before the plan is activated$/m)?.[1];
    expect(unbound?.split(', ').sort()).toEqual(['civil-affairs (民政局)', 'county-emergency-bureau (县（区）应急管理局)', 'fire-rescue (消防救援大队)', 'health (卫生健康局)', 'township-head (乡镇（街道）主要负责人)', 'water-resources-bureau (水利局)']);
    expect(bareDry.err).toMatch(new RegExp(`^error: dry run: the package cannot be imported into ${BARE_COUNTY.code} ${BARE_COUNTY.name} as it is; nothing was written\\. Import without --dry-run to have every problem listed`));
    const bareRun = cli(['plan', 'import', yamlFile, '--region', BARE_COUNTY.code]);
    expect(bareRun.code).toBe(1);
    expect(bareRun.err).toMatch(new RegExp(`--owner: no emergency management department in or above ${BARE_COUNTY.code}: name the owner`));
    const bareOwned = cli(['plan', 'import', yamlFile, '--region', BARE_COUNTY.code, '--owner', provinceEmergency]);
    expect(bareOwned.code, bareOwned.err).toBe(0);
    expect(bareOwned.out).toMatch(/^ {2}bound: none$/m);
    expect(bareOwned.out).toMatch(new RegExp(`imported into ${BARE_COUNTY.code} ${BARE_COUNTY.name} as plan flood-response .* a draft owned by .*应急管理厅`));

    await withDb(async (db) => {
      const q = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => (await db.pool.query<R>(sql, values)).rows;
      const bare = await q<{ owner: string; bindings: number }>(
        'SELECT p.owner_organization_id AS owner, (SELECT count(*)::int FROM plan_binding b WHERE b.plan_id = p.id) AS bindings FROM plan p WHERE p.region_code = $1',
        [BARE_COUNTY.code],
      );
      expect(bare).toEqual([{ owner: provinceEmergency, bindings: 0 }]);
      const [plan] = await q<{ id: string; status: string; latest_version: number; imported_from: unknown; owner: string }>(
        'SELECT p.id, p.status, p.latest_version, p.imported_from, o.name AS owner FROM plan p JOIN organization o ON o.id = p.owner_organization_id WHERE p.region_code = $1 AND p.code = $2',
        [target.code, 'flood-response'],
      );
      expect(plan).toMatchObject({ status: 'draft', latest_version: 1, imported_from: { regionCode: PROVINCE, code: 'flood-response', version: 1 }, owner: `${target.name}应急管理局` });
      const bindings = await q<{ role_key: string; name: string }>(
        'SELECT b.role_key, o.name FROM plan_binding b JOIN organization o ON o.id = b.organization_id WHERE b.plan_id = $1 AND b.region_code = $2',
        [plan?.id, target.code],
      );
      expect(bindings.map((b) => [b.role_key, b.name]).sort()).toEqual(bound);
      expect(bindings.every((b) => b.name.startsWith(target.name))).toBe(true);
      const audit = await q<{ actor_name: string }>("SELECT actor_name FROM audit_log WHERE action = 'plan.imported' AND resource_id = $1", [plan?.id]);
      expect(audit.map((a) => a.actor_name)).toEqual(['system']);
    });
  });

  it('refuses bad files, unknown regions, invalid packages and a taken code with a clear message, writing nothing', async () => {
    const before = await written();
    const file = (name: string, text: string) => {
      const f = path.join(dataDir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const brokenJson = cli(['plan', 'import', file('broken.json', '{ "format": '), '--region', target.code]);
    expect(brokenJson.code).toBe(2);
    expect(brokenJson.err).toMatch(/broken\.json is not valid JSON/);
    const brokenYaml = cli(['plan', 'import', file('broken.yaml', 'plan: [1, 2\nroles: x\n'), '--region', target.code]);
    expect(brokenYaml.code).toBe(2);
    expect(brokenYaml.err).toMatch(/broken\.yaml is neither valid YAML nor JSON/);
    const big = cli(['plan', 'import', file('big.yaml', `# ${'x'.repeat(600 * 1024)}\n`), '--region', target.code]);
    expect(big.code).toBe(1);
    expect(big.err).toMatch(/big\.yaml is too large for a plan package/);

    const notPackage = cli(['plan', 'import', file('other.yaml', 'hello: world\n'), '--region', target.code]);
    expect(notPackage.code).toBe(1);
    expect(notPackage.err).toMatch(/^error: the package is not a valid plan package\n/);
    expect(notPackage.err).toMatch(/package\.format: /);
    expect(notPackage.err).not.toMatch(/Usage/);

    const pkg = readPackage(fs.readFileSync(path.join(dataDir, 'flood.json'), 'utf8'), 'json');
    const unknownRegion = cli(['plan', 'import', file('ok.yaml', stringifyYaml(pkg)), '--region', '970000000000']);
    expect(unknownRegion.code).toBe(1);
    expect(unknownRegion.err).toMatch(/^error: no such region\n\s+--region: no current region 970000000000/);

    // a package naming a role and a resource type that do not exist here: the report says so, the import is refused
    const odd = structuredClone(pkg);
    const level = odd.plan.levels[0] as (typeof odd.plan.levels)[number];
    (level.steps[0] as (typeof level.steps)[number]).roleKey = 'river-spirit';
    (level.resources[0] as (typeof level.resources)[number]).resourceType = 'hovercraft';
    const oddFile = file('odd.yaml', stringifyYaml(odd));
    const oddDry = cli(['plan', 'import', oddFile, '--region', target.code, '--code', 'odd-flood', '--dry-run']);
    expect(oddDry.code).toBe(1);
    expect(oddDry.out).toMatch(/unknown roles: river-spirit\n\s+unknown resource types: hovercraft/);
    expect(oddDry.err).toMatch(/cannot be imported into .*: roles river-spirit are not in the role catalog; resource types hovercraft are unknown here; nothing was written/);
    const oddRun = cli(['plan', 'import', oddFile, '--region', target.code, '--code', 'odd-flood']);
    expect(oddRun.code).toBe(1);
    expect(oddRun.err).toMatch(/package\.plan\.levels\[0\]\.steps\[0\]\.roleKey: no role river-spirit/);
    expect(oddRun.err).toMatch(/package\.plan\.levels\[0\]\.resources\[0\]\.resourceType: no resource type hovercraft/);

    // the target county holds flood-response now: the code is taken there, and the code alone no longer names one plan
    const taken = cli(['plan', 'import', path.join(dataDir, 'flood.yaml'), '--region', target.code]);
    expect(taken.code).toBe(1);
    expect(taken.err).toMatch(/^error: the package cannot be imported here\n\s+--code: region \d+ already has a plan flood-response: give another code/);
    const renamed = cli(['plan', 'import', path.join(dataDir, 'flood.yaml'), '--region', target.code, '--code', 'flood-response-copy', '--dry-run']);
    expect(renamed.code, renamed.err).toBe(0);
    const ambiguous = cli(['plan', 'export', 'flood-response']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toMatch(/^error: 3 regions hold a plan flood-response: name one with --region, or give the plan's id\n/);
    expect(ambiguous.err.match(/^ {2}\d{12}: .+, id [0-9a-f-]{36}$/gm)?.map((l) => l.trim().slice(0, 12)).sort()).toEqual([BARE_COUNTY.code, target.code, PROVINCE].sort());
    expect(ambiguous.err).toContain(`${target.code}: ${target.name}, id `);
    const copy = cli(['plan', 'export', 'flood-response', '--region', target.code]);
    expect(copy.code, copy.err).toBe(0);
    expect(readPackage(copy.out, 'yaml')).toMatchObject({ source: { regionCode: target.code, code: 'flood-response', version: 1 }, plan: { applicableRegions: [target.code] } });

    // no file extension: the content tells
    const bare = path.join(dataDir, 'flood-package');
    fs.copyFileSync(path.join(dataDir, 'flood.json'), bare);
    const byContent = cli(['plan', 'import', bare, '--region', countyB, '--dry-run']);
    expect(byContent.code, byContent.err).toBe(0);
    expect(byContent.out).toMatch(new RegExp(`bind report for region ${countyB}`));

    expect(await written()).toEqual(before);
  });

  it('acts as an account with --as: its roles and scope apply, and the audit log names it', async () => {
    const yamlFile = path.join(dataDir, 'flood.yaml');
    const nobody = cli(['plan', 'import', yamlFile, '--region', target.code, '--code', 'flood-n', '--as', 'nobody']);
    expect(nobody.code).toBe(1);
    expect(nobody.err).toMatch(/^error: no account nobody/);
    // a dispatcher writes plans within their city only
    const outside = cli(['plan', 'import', yamlFile, '--region', target.code, '--code', 'flood-o', '--as', 'dispatcher']);
    expect(outside.code).toBe(1);
    expect(outside.err).toMatch(/^error: not allowed/);
    const inside = cli(['plan', 'import', yamlFile, '--region', dispatcherCounty, '--code', 'flood-d', '--as', 'DISPATCHER']);
    expect(inside.code, inside.err).toBe(0);
    await withDb(async (db) => {
      const { rows: created } = await db.pool.query<{ code: string; username: string | null; actor: string | null }>(
        `SELECT p.code, u.username, a.actor_name AS actor FROM plan p LEFT JOIN app_user u ON u.id = p.created_by
         LEFT JOIN audit_log a ON a.action = 'plan.imported' AND a.resource_id = p.id::text WHERE p.code LIKE 'flood-_'`,
      );
      expect(created).toEqual([{ code: 'flood-d', username: 'dispatcher', actor: 'dispatcher' }]);
    });

    // reading: the operator of county A sees the province's plans; the operator of county B not the target county's copy
    const read = cli(['plan', 'export', 'flood-response', '--region', PROVINCE, '--as', 'operator-a']);
    expect(read.code, read.err).toBe(0);
    expect(readPackage(read.out, 'yaml').source.regionCode).toBe(PROVINCE);
    const hidden = cli(['plan', 'export', 'flood-response', '--region', target.code, '--as', 'operator-b']);
    expect(hidden.code).toBe(1);
    expect(hidden.err).toMatch(new RegExp(`^error: no plan flood-response held by ${target.code} visible to operator-b`));
  });
});

describe('yunzheng simulate', { timeout: 300_000 }, () => {
  it('replays a county\'s year with a variant beside the configuration as it is, the same for the same seed', () => {
    const args = ['simulate', '--region', countyA, '--from', '2025-11-01', '--to', '2026-11-01', '--seed', '4', '--variant', `两台泵车=pump-truck@${countyA}+2`];
    const json = cli([...args, '--json']);
    expect(json.code, json.err).toBe(0);
    const result = JSON.parse(json.out) as Simulation;
    expect(result).toMatchObject({ regionCode: countyA, from: '2025-11-01', to: '2026-11-01', seed: 4 });
    expect(result.variants.map((v) => v.name)).toEqual(['现状', '两台泵车']);
    expect(result.incidents).toBeGreaterThan(0);
    const table = cli(args);
    expect(table.code, table.err).toBe(0);
    const lines = table.out.split('\n');
    expect(lines[2]).toMatch(/^\s+现状\s+两台泵车$/);
    const p50 = lines.find((l) => l.startsWith('response p50'));
    expect(p50?.split(/\s{2,}/).slice(1)).toEqual(result.variants.map((v) => (v.responseMinutes.p50 === null ? '—' : String(v.responseMinutes.p50))));
  });

  it('refuses what it cannot run, naming the option', () => {
    const noRegion = cli(['simulate']);
    expect(noRegion.code).toBe(2);
    expect(noRegion.err).toMatch(/simulate needs --region/);
    const badVariant = cli(['simulate', '--region', countyA, '--variant', 'more trucks']);
    expect(badVariant.code).toBe(2);
    expect(badVariant.err).toMatch(/--variant more trucks: write NAME=TYPE@REGION\+N/);
    const backwards = cli(['simulate', '--region', countyA, '--from', '2026-05-01', '--to', '2026-04-01', '--variant', `x=hovercraft@${countyA}+1`]);
    expect(backwards.code).toBe(1);
    expect(backwards.err).toMatch(/--to: the period ends before it starts/);
    expect(backwards.err).toMatch(/--variant\[0\]\.changes\[0\]\.type: no resource type hovercraft/);
    const outside = cli(['simulate', '--region', countyA, '--as', 'operator-b']);
    expect(outside.code).toBe(1);
    expect(outside.err).toMatch(/^error: not allowed: region \d+ is outside the scope/m);
  });
});
