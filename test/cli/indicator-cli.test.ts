// SPDX-License-Identifier: Apache-2.0
// `yunzheng indicator`: list, compute a range of periods for every region with progress, and report values
// from a CSV file — all or nothing; clear usage errors and refusals.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../server/main.ts';
import { createIndicator } from '../../server/modules/indicators/index.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { systemContext } from '../../server/platform/context.ts';
import { type CliHarness, cliHarness } from '../helpers/cli-harness.ts';
import { templateAccounts } from '../helpers/template.ts';

let h: CliHarness;
let villages: string[];
let county: string;
const CODE = 'cli.coverage';

const values = async (period: string) =>
  (await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id WHERE i.code = $1 AND v.period = $2`, [CODE, period]))[0]?.n;
const reports = async () => (await h.rows<{ n: number }>('SELECT count(*)::int AS n FROM indicator_report'))[0]?.n;

beforeAll(async () => {
  h = await cliHarness('yz-indicator-cli-');
  county = templateAccounts().find((a) => a.username === 'operator-a')?.scope as string;
  await h.withDb(async (db) => {
    const deps = buildDeps(loadConfig({ YZ_LOG_LEVEL: 'silent', YZ_DATA_DIR: h.dataDir }), db);
    villages = (await db.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'village' AND valid_to IS NULL AND code LIKE $1 ORDER BY code LIMIT 3`, [`${county.slice(0, 6)}%`])).rows.map((r) => r.code);
    const owner = (await db.pool.query<{ id: string }>(`SELECT id FROM organization WHERE region_code = '990000000000' AND department_type = 'government-office'`)).rows[0]?.id as string;
    await createIndicator(deps, systemContext('test'), {
      code: CODE, name: '体检覆盖率', nameEn: null, unit: '%', description: '', ownerOrganizationId: owner, numerator: { kind: 'reported', level: 'village' },
      denominator: { kind: 'reported', level: 'village' }, factor: 100, period: 'month', aggregation: 'recompute', direction: 'higher_better', warn: null, alarm: null,
      alertLevels: ['county'], analysisPlan: null, key: false,
    });
  });
});
afterAll(async () => {
  await h?.close();
});

describe('yunzheng indicator', { timeout: 300_000 }, () => {
  it('refuses bad arguments and files with usage (exit 2), writing nothing', () => {
    const file = (name: string, text: string) => {
      const f = path.join(h.dataDir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const cases: [string[], RegExp][] = [
      [['indicator'], /indicator needs list, compute or report/],
      [['indicator', 'erase'], /unknown indicator command: erase/],
      [['indicator', 'compute'], /needs one CODE/],
      [['indicator', 'compute', CODE, '--from', 'May'], /--from\/--to: May is not a month/],
      [['indicator', 'report', CODE], /needs CODE and FILE.csv/],
      [['indicator', 'report', CODE, path.join(h.dataDir, 'none.csv')], /cannot read/],
      [['indicator', 'report', CODE, file('head.csv', 'code,value\n1,2\n')], /names the columns regionCode,period,component,value/],
      [['indicator', 'report', CODE, file('nan.csv', `regionCode,period,component,value\n${villages[0]},2026-01,numerator,lots\n`)], /line 2: value is not a number/],
      [['indicator', 'report', CODE, file('comp.csv', `regionCode,period,component,value\n${villages[0]},2026-01,both,1\n`)], /component is numerator or denominator/],
      [['indicator', 'report', CODE, file('code.csv', `regionCode,period,component,value\n12,2026-01,numerator,1\n`)], /line 2: regionCode/],
      [['indicator', 'list', 'extra'], /takes no arguments/],
    ];
    for (const [args, message] of cases) {
      const r = h.cli(args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('reports values from a CSV file, all or nothing', async () => {
    const ok = path.join(h.dataDir, 'ok.csv');
    fs.writeFileSync(ok, `regionCode,period,component,value\n${villages.map((v, i) => `${v},2026-01,numerator,${50 + i * 10}\n${v},2026-01,denominator,100`).join('\n')}\n`);
    const r = h.cli(['indicator', 'report', CODE, ok]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/6 value\(s\) reported for 2026-01/);
    expect(await reports()).toBe(6);
    // one county-level row spoils the file: nothing is written
    const bad = path.join(h.dataDir, 'bad.csv');
    fs.writeFileSync(bad, `regionCode,period,value\n${villages[0]},2026-02,1\n${county},2026-02,1\n`);
    const refused = h.cli(['indicator', 'report', CODE, bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/values are reported for each village/);
    expect(await reports()).toBe(6);
    expect(h.cli(['indicator', 'report', CODE, ok, '--as', 'viewer']).code).toBe(1);
  });

  it('computes a range of periods for every region with progress, and lists the indicator as computed', async () => {
    const r = h.cli(['indicator', 'compute', CODE, '--from', '2025-11', '--to', '2026-02']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/cli\.coverage.*values/);
    expect(await values('2026-01')).toBeGreaterThan(100);
    expect(await values('2025-11')).toBeGreaterThan(100);
    const [v] = await h.rows<{ value: number; missing: number }>(
      `SELECT v.value, v.missing FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id WHERE i.code = $1 AND v.period = '2026-01' AND v.region_code = $2`, [CODE, villages[1]],
    );
    expect(v).toMatchObject({ value: 60, missing: 0 });
    const list = h.cli(['indicator', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${CODE.replace('.', '\\.')}\\s+month\\s+active\\s+\\d{4}-`));
    const json = JSON.parse(h.cli(['indicator', 'list', '--json']).out) as { code: string }[];
    expect(json.map((i) => i.code)).toContain(CODE);
    const denied = h.cli(['indicator', 'compute', CODE, '--as', 'viewer']);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/error: .*not allowed|error: .*indicator:write/);
    expect(h.cli(['indicator', 'compute', 'no.such']).code).toBe(1);
  });
});
