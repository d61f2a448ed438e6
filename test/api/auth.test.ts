// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ YZ_LOGIN_MAX_FAILURES: '3', YZ_SESSION_IDLE_MINUTES: '30' });
});
afterAll(async () => {
  await p?.stop();
});

type Me = { username: string; roles: string[]; permissions: string[]; scopeCode: string | null; scopeName: string | null };
type User = { id: string; username: string; phone: string | null; idCard: string | null; locked: boolean };

describe('authentication', () => {
  it('logs in with a session cookie that is httpOnly and SameSite', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'operator-a', password: p.account('operator-a').password } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/yz_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const me = (await p.call('GET', '/api/auth/me', { as: `yz_session=${res.cookies[0]?.value}` })).body as Me;
    expect(me.username).toBe('operator-a');
    expect(me.scopeCode).toBe(p.account('operator-a').scope);
    expect(me.permissions).toContain('region:read');
    expect(me.permissions).not.toContain('audit:read');
  });

  it('rejects wrong passwords with 401 and unknown users the same way', async () => {
    const wrong = await p.call('POST', '/api/auth/login', { body: { username: 'viewer', password: 'not-the-password' } });
    const unknown = await p.call('POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'whatever' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((wrong.body as { code: string }).code).toBe('invalid-credentials');
    expect((unknown.body as { detail: string }).detail).toBe((wrong.body as { detail: string }).detail);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('locks an account after repeated failures until the security admin unlocks it', async () => {
    for (let i = 0; i < 2; i++) expect((await p.call('POST', '/api/auth/login', { body: { username: 'task-handler', password: 'bad' } })).status).toBe(401);
    const third = await p.call('POST', '/api/auth/login', { body: { username: 'task-handler', password: 'bad' } });
    expect(third.status).toBe(423);
    expect((third.body as { code: string }).code).toBe('account-locked');
    // even the right password is refused while locked
    const right = await p.call('POST', '/api/auth/login', { body: { username: 'task-handler', password: p.account('task-handler').password } });
    expect(right.status).toBe(423);
    const sec = await p.login('secadmin');
    const users = (await p.call('GET', '/api/users?q=task-handler', { as: sec })).body as { items: User[] };
    const target = users.items.find((u) => u.username === 'task-handler') as User;
    expect(target.locked).toBe(true);
    const unlocked = await p.call('POST', `/api/users/${target.id}/unlock`, { as: sec });
    expect(unlocked.status).toBe(200);
    expect((unlocked.body as User).locked).toBe(false);
    expect((await p.call('POST', '/api/auth/login', { body: { username: 'task-handler', password: p.account('task-handler').password } })).status).toBe(200);
    const audit = (await p.call('GET', '/api/audit?action=auth.account-locked', { as: await p.login('auditadmin') })).body as { items: { resourceId: string }[] };
    expect(audit.items.some((a) => a.resourceId === target.id)).toBe(true);
  });

  it('logs out: the session no longer works', async () => {
    const cookie = await p.login('viewer', p.account('viewer').password);
    expect((await p.call('GET', '/api/auth/me', { as: cookie })).status).toBe(200);
    expect((await p.call('POST', '/api/auth/logout', { as: cookie })).status).toBe(204);
    const after = await p.call('GET', '/api/auth/me', { as: cookie });
    expect(after.status).toBe(401);
  });

  it('expires idle sessions', async () => {
    const cookie = await p.login('viewer', p.account('viewer').password);
    await p.deps.db.pool.query("UPDATE user_session SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM app_user WHERE username = 'viewer')");
    expect((await p.call('GET', '/api/auth/me', { as: cookie })).status).toBe(401);
  });

  it('expires sessions at their absolute limit', async () => {
    const cookie = await p.login('viewer', p.account('viewer').password);
    await p.deps.db.pool.query("UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM app_user WHERE username = 'viewer')");
    expect((await p.call('GET', '/api/auth/me', { as: cookie })).status).toBe(401);
  });

  it('changes the own password under the password policy', async () => {
    const cookie = await p.login('dispatcher', p.account('dispatcher').password);
    const weak = await p.call('POST', '/api/auth/password', { as: cookie, body: { currentPassword: p.account('dispatcher').password, newPassword: 'short' } });
    expect(weak.status).toBe(400);
    expect((weak.body as { code: string }).code).toBe('weak-password');
    const wrongCurrent = await p.call('POST', '/api/auth/password', { as: cookie, body: { currentPassword: 'nope', newPassword: 'A-much-Better-pass1' } });
    expect(wrongCurrent.status).toBe(400);
    const ok = await p.call('POST', '/api/auth/password', { as: cookie, body: { currentPassword: p.account('dispatcher').password, newPassword: 'A-much-Better-pass1' } });
    expect(ok.status).toBe(204);
    expect((await p.call('POST', '/api/auth/login', { body: { username: 'dispatcher', password: 'A-much-Better-pass1' } })).status).toBe(200);
  });

  it('stores argon2id hashes, never passwords', async () => {
    const { rows } = await p.deps.db.pool.query<{ password_hash: string }>("SELECT password_hash FROM app_user WHERE username = 'viewer'");
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('data classification and masking', () => {
  it('masks phone and ID-card numbers for actors without clearance, shows them to the cleared', async () => {
    const admin = await p.login('sysadmin'); // clearance internal
    const masked = ((await p.call('GET', '/api/users?q=operator-a', { as: admin })).body as { items: User[] }).items[0] as User;
    expect(masked.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(masked.idCard).toMatch(/^\d{4}\*+[\dX]{4}$/);
    const sec = await p.login('secadmin'); // clearance core
    const clear = ((await p.call('GET', '/api/users?q=operator-a', { as: sec })).body as { items: User[] }).items[0] as User;
    expect(clear.phone).toMatch(/^\d{11}$/);
    expect(clear.idCard).toMatch(/^\d{17}[\dX]$/);
  });

  it('lets a person see their own personal data', async () => {
    const cookie = await p.login('viewer', p.account('viewer').password);
    const me = (await p.call('GET', '/api/auth/me', { as: cookie })).body as { id: string };
    const self = (await p.call('GET', `/api/users/${me.id}`, { as: cookie })).body as User;
    expect(self.phone).toMatch(/^\d{11}$/);
  });

  it('applies a changed classification at once', async () => {
    const sec = await p.login('secadmin');
    const res = await p.call('PUT', '/api/classifications', { as: sec, body: { entity: 'user', field: 'phone', classification: 'public', masking: 'phone' } });
    expect(res.status).toBe(200);
    const admin = await p.login('sysadmin');
    const u = ((await p.call('GET', '/api/users?q=operator-a', { as: admin })).body as { items: User[] }).items[0] as User;
    expect(u.phone).toMatch(/^\d{11}$/);
    await p.call('PUT', '/api/classifications', { as: sec, body: { entity: 'user', field: 'phone', classification: 'sensitive', masking: 'phone' } });
  });
});

describe('HTTP surface', () => {
  it('serves OpenAPI 3.1, health, readiness and Prometheus metrics', async () => {
    const doc = (await p.call('GET', '/api/openapi.json')).body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/regions/{code}', '/api/users', '/api/audit/verify']));
    expect((await p.call('GET', '/healthz')).status).toBe(200);
    expect((await p.call('GET', '/readyz')).body).toMatchObject({ status: 'ready' });
    const metrics = await p.call('GET', '/metrics');
    expect(metrics.text).toMatch(/yz_http_requests_total\{/);
    expect(metrics.text).toMatch(/yz_outbox_pending_events \d+/);
  });

  it('sends security headers and a request id', async () => {
    const res = await p.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toMatch(/default-src 'self'/);
  });

  it('answers unknown API routes with a problem', async () => {
    expect((await p.call('GET', '/api/nothing-here')).status).toBe(401); // no route enumeration without credentials
    const res = await p.call('GET', '/api/nothing-here', { as: await p.login('viewer') });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('rate-limits logins', async () => {
    const limited = await createTestPlatform({ YZ_LOGIN_RATE_LIMIT: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.call('POST', '/api/auth/login', { body: { username: 'x', password: 'y' } })).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[4]).toBe(429);
    } finally {
      await limited.stop();
    }
  });
});
