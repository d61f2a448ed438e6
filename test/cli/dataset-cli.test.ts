// SPDX-License-Identifier: Apache-2.0
// `yunzheng dataset publish`: a new version of a back-flow data set from a CSV or JSON file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoProvince } from '../../server/modules/regions/index.ts';
import { emptyServerDatabase } from '../helpers/template.ts';

const SEED = 42;

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'yunzheng.js');
let dataDir: string;
let server: Awaited<ReturnType<typeof emptyServerDatabase>>;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, YZ_DATA_DIR: dataDir, YZ_LOG_LEVEL: 'warn', ...(server ? { DATABASE_URL: server.url } : {}) },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yz-dataset-cli-'));
  server = await emptyServerDatabase();
});
afterAll(async () => {
  await server?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('yunzheng dataset publish', { timeout: 300_000 }, () => {
  it('refuses bad arguments with usage (exit 2)', () => {
    for (const args of [['dataset'], ['dataset', 'drop'], ['dataset', 'publish'], ['dataset', 'publish', 'village-population'], ['dataset', 'publish', 'village-population', 'x.csv'], ['dataset', 'publish', 'village-population', path.join(os.tmpdir(), 'no-such-file.csv'), '--source', 's'], ['dataset', 'publish', 'a', 'b', 'c', '--source', 's']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/Usage: yunzheng/);
    }
  });

  it('publishes a CSV and a JSON version of the demo data set, and refuses a bad file whole', () => {
    const seed = cli(['seed', 'demo', '--villages', '10', '--seed', String(SEED)]);
    expect(seed.code, seed.err).toBe(0);
    // the same generator and seed give the same villages
    const villages = generateDemoProvince({ villages: 10, seed: SEED }).filter((r) => r.level === 'village');
    expect(villages.length).toBe(10);
    const csv = path.join(dataDir, 'villages.csv');
    fs.writeFileSync(csv, ['villageCode,villageName,population,households', ...villages.map((v, i) => `${v.code},${v.name},${1000 + i},${300 + i}`)].join('\n'));
    const v3 = cli(['dataset', 'publish', 'village-population', csv, '--source', '县级核对表', '--note', 'CLI']);
    expect(v3.code, v3.err).toBe(0);
    expect(v3.out).toMatch(/village-population version 3: 0 added, 10 changed, 0 removed, 10 rows/);

    const json = path.join(dataDir, 'villages.json');
    fs.writeFileSync(json, JSON.stringify(villages.slice(1).map((v, i) => ({ villageCode: v.code, villageName: v.name, population: 1001 + i, households: 301 + i }))));
    const v4 = cli(['dataset', 'publish', 'village-population', json, '--source', '县级核对表']);
    expect(v4.code, v4.err).toBe(0);
    expect(v4.out).toMatch(/version 4: 0 added, 0 changed, 1 removed, 9 rows/);

    fs.writeFileSync(json, JSON.stringify([{ villageCode: 'not-a-code', villageName: 'x', population: 1, households: 1 }]));
    const refused = cli(['dataset', 'publish', 'village-population', json, '--source', 'file']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/row 1\.villageCode/);
    expect(cli(['dataset', 'publish', 'no-such-set', json, '--source', 'file']).code).toBe(1);
    fs.writeFileSync(json, '{ not json');
    expect(cli(['dataset', 'publish', 'village-population', json, '--source', 'file']).code).toBe(2);
  });
});
