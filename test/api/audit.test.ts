// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

type AuditRecord = { seq: number; action: string; actorName: string; resourceId: string | null; outcome: string; algorithm: string };
type Verification = { ok: boolean; checked: number; firstBroken: { seq: number; reason: string } | null };

async function orgId(): Promise<string> {
  const admin = await p.login('sysadmin');
  const orgs = (await p.call('GET', '/api/organizations?kind=government&limit=1', { as: admin })).body as { items: { id: string }[] };
  return (orgs.items[0] as { id: string }).id;
}

describe('audit log', () => {
  it('records a change in the same transaction, with who and what', async () => {
    const admin = await p.login('sysadmin');
    const created = await p.call('POST', '/api/users', {
      as: admin,
      body: { username: 'audited-user', displayName: '被审计用户', organizationId: await orgId(), roles: ['viewer'], scopeCode: '990000000000', password: 'Audit-Pass-2026' },
    });
    expect(created.status).toBe(201);
    const auditor = await p.login('auditadmin');
    const page = (await p.call('GET', '/api/audit?action=user.created&limit=5', { as: auditor })).body as { items: AuditRecord[] };
    const rec = page.items.find((r) => r.resourceId === (created.body as { id: string }).id) as AuditRecord;
    expect(rec).toBeDefined();
    expect(rec.actorName).toBe('sysadmin');
    expect(rec.outcome).toBe('success');
  });

  it('does not record a change that failed', async () => {
    const admin = await p.login('sysadmin');
    const before = ((await p.call('GET', '/api/audit?action=user.created&limit=1', { as: await p.login('auditadmin') })).body as { total: number }).total;
    const dup = await p.call('POST', '/api/users', {
      as: admin,
      body: { username: 'audited-user', displayName: 'dup', organizationId: await orgId(), roles: ['viewer'], scopeCode: '990000000000', password: 'Audit-Pass-2026' },
    });
    expect(dup.status).toBe(409);
    const after = ((await p.call('GET', '/api/audit?action=user.created&limit=1', { as: await p.login('auditadmin') })).body as { total: number }).total;
    expect(after).toBe(before);
  });

  it('refuses updates and deletes of audit rows at the database', async () => {
    await expect(p.deps.db.pool.query("UPDATE audit_log SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(p.deps.db.pool.query('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  it('offers no way to change the log through the API', async () => {
    const auditor = await p.login('auditadmin');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await p.call(method, '/api/audit', { as: auditor, body: {} });
      expect(res.status).toBe(404);
    }
  });

  it('verifies the chain, and finds a row changed directly in the database', async () => {
    const auditor = await p.login('auditadmin');
    const ok = (await p.call('GET', '/api/audit/verify', { as: auditor })).body as Verification;
    expect(ok.ok).toBe(true);
    expect(ok.checked).toBeGreaterThan(5);
    const client = await p.deps.db.pool.connect();
    try {
      // bypass the append-only trigger as a database superuser could
      await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
      await client.query("UPDATE audit_log SET details = jsonb_set(details, '{tampered}', 'true') WHERE seq = 3");
      await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change');
    } finally {
      client.release();
    }
    const broken = (await p.call('GET', '/api/audit/verify', { as: auditor })).body as Verification;
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken?.seq).toBe(3);
    expect(broken.checked).toBe(2);
  });
});

describe('audit with SM3', () => {
  it('chains records with the national hash when configured, and verifies them', async () => {
    const sm = await createTestPlatform({ YZ_AUDIT_HASH: 'sm3' });
    try {
      await sm.login('viewer');
      const auditor = await sm.login('auditadmin');
      const page = (await sm.call('GET', '/api/audit?limit=1', { as: auditor })).body as { items: AuditRecord[] };
      expect(page.items[0]?.algorithm).toBe('sm3');
      const v = (await sm.call('GET', '/api/audit/verify', { as: auditor })).body as Verification;
      expect(v.ok).toBe(true);
    } finally {
      await sm.stop();
    }
  });
});
