// SPDX-License-Identifier: Apache-2.0
// Random bodies at the write endpoints of indicators, policies and service tasks: every answer is a 2xx or a 4xx problem+json, never
// a 5xx, and what a refused write would have touched is unchanged.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../contracts/identity.ts';
import type { IndicatorAlert } from '../../contracts/indicators.ts';
import { ok } from '../helpers/expect.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Page<T> = { items: T[]; total: number };
const SEED = 20_261_128;
const NIL = '00000000-0000-4000-8000-000000000000';

let p: TestPlatform;
let alertId = NIL;
let goalId = NIL;

beforeAll(async () => {
  p = await createTestPlatform();
  const admin = await p.login('province-admin');
  const province = p.account('province-admin').scope as string;
  const orgs = ok<Page<Organization>>(await p.call('GET', `/api/organizations?regionCode=${province}&limit=1000`, { as: admin })).items;
  const owner = (orgs.find((o) => o.regionCode === province) as Organization).id;
  ok(await p.call('POST', '/api/indicators', {
    as: admin, body: { code: 'fuzz.reported', name: '模糊测试', ownerOrganizationId: owner, numerator: { kind: 'reported' }, denominator: { kind: 'population' }, factor: 100 },
  }), 201);
  ok(await p.call('POST', '/api/indicators', {
    as: admin, body: { code: 'fuzz.regions', name: '模糊测试告警', ownerOrganizationId: owner, numerator: { kind: 'tasks' }, direction: 'higher_better', alarm: 1, alertLevels: ['province'] },
  }), 201);
  ok(await p.call('POST', '/api/indicators/fuzz.regions/compute', { as: admin, body: {} }));
  ok(await p.call('POST', '/api/policies', {
    as: admin, body: { code: 'FUZZ-1', title: '模糊测试政策', issuerOrganizationId: owner, regionCode: province, issuedOn: '2026-01-01', clauses: [{ number: '一', text: '条款' }] },
  }), 201);
  goalId = ok<{ id: string }>(await p.call('POST', '/api/policies/FUZZ-1/goals', {
    as: admin, body: { clause: '一', indicator: 'fuzz.regions', regionCode: province, period: '2026-01', target: 1, title: '目标' },
  }), 201).id;
  alertId = (ok<Page<IndicatorAlert>>(await p.call('GET', '/api/indicator-alerts?indicator=fuzz.regions', { as: admin })).items[0] as IndicatorAlert).id;
});
afterAll(async () => {
  await p?.stop();
});

const ENDPOINTS: { name: string; method: 'POST' | 'PUT' | 'PATCH'; url: () => string }[] = [
  { name: 'POST /api/policies', method: 'POST', url: () => '/api/policies' },
  { name: 'PATCH /api/policies/{code}', method: 'PATCH', url: () => '/api/policies/FUZZ-1' },
  { name: 'POST /api/policies/{code}/goals', method: 'POST', url: () => '/api/policies/FUZZ-1/goals' },
  { name: 'POST /api/goals/{id}/decompose', method: 'POST', url: () => `/api/goals/${goalId}/decompose` },
  { name: 'POST /api/service-tasks', method: 'POST', url: () => '/api/service-tasks' },
  { name: 'POST /api/service-tasks/{id}/award', method: 'POST', url: () => `/api/service-tasks/${NIL}/award` },
  { name: 'POST /api/indicators', method: 'POST', url: () => '/api/indicators' },
  { name: 'PUT /api/indicators/{code}', method: 'PUT', url: () => '/api/indicators/fuzz.reported' },
  { name: 'POST /api/indicators/{code}/compute', method: 'POST', url: () => '/api/indicators/fuzz.reported/compute' },
  { name: 'POST /api/indicators/{code}/reports', method: 'POST', url: () => '/api/indicators/fuzz.reported/reports' },
  { name: 'PUT /api/indicators/{code}/targets', method: 'PUT', url: () => '/api/indicators/fuzz.reported/targets' },
  { name: 'POST /api/indicator-alerts/{id}/actions', method: 'POST', url: () => `/api/indicator-alerts/${alertId}/actions` },
];

const FIELDS = ['code', 'name', 'unit', 'ownerOrganizationId', 'numerator', 'denominator', 'factor', 'period', 'aggregation', 'direction', 'warn', 'alarm', 'alertLevels',
  'analysisPlan', 'key', 'status', 'from', 'to', 'alerts', 'items', 'action', 'note', 'title', 'issuerOrganizationId', 'regionCode', 'issuedOn', 'clauses',
  'clause', 'indicator', 'target', 'departmentType', 'levels', 'deadline', 'standard', 'budget', 'qualifications', 'bidDeadline', 'bidId', 'amount'];
const VALUES = ['fuzz.reported', '一', 'health', 'township', ['county', 'township'], '2099-01-01T00:00:00Z', 'in_force', 'month', 'W01', '2026-02', '2026-13', 'recompute', 'sum', 'higher_better', 'acknowledge', 'close', '990000000000', -1, 0, 1e308, null, [], {}];
const source = fc.record({ kind: fc.constantFrom('incidents', 'tasks', 'twin', 'population', 'regions', 'reported', 'x'), level: fc.constantFrom('village', 'county', 'grid'), type: fc.constantFrom('flood', 'nope') }, { requiredKeys: ['kind'] });
const item = fc.record({ regionCode: fc.constantFrom('990000000000', '990101001001', 'x'), period: fc.constantFrom('2026-02', '2026-13', ''), value: fc.oneof(fc.double(), fc.constant(null)), target: fc.oneof(fc.double(), fc.constant(null)), component: fc.constantFrom('numerator', 'denominator', 'x') });
const body = fc.oneof(
  fc.anything(),
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(fc.anything(), fc.constantFrom(...VALUES), source, fc.array(item, { maxLength: 3 }))),
);

describe('random bodies', () => {
  for (const ep of ENDPOINTS) {
    it(`${ep.name}: never a 5xx, always problem+json when refused`, async () => {
      const admin = await p.login('province-admin');
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await p.call(ep.method, ep.url(), { as: admin, body: b });
          expect(res.status, `${JSON.stringify(b).slice(0, 200)} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
        }),
        { seed: SEED, numRuns: 60 },
      );
    }, 120_000);
  }
});
