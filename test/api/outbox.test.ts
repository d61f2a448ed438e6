// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveredEvent } from '../../server/platform/outbox.ts';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

describe('transactional outbox', () => {
  it('delivers the events a committed change wrote, and none of a failed one', async () => {
    const seen: DeliveredEvent[] = [];
    p.deps.outbox.subscribe('organization.created', (e) => {
      seen.push(e);
    });
    await p.deps.outbox.drain();
    seen.length = 0;
    const admin = await p.login('sysadmin');
    const ok = await p.call('POST', '/api/organizations', { as: admin, body: { kind: 'social', socialType: 'ngo', name: '青山志愿者协会', regionCode: '990000000000', qualifications: ['志愿服务'] } });
    expect(ok.status).toBe(201);
    const dup = await p.call('POST', '/api/organizations', { as: admin, body: { kind: 'social', socialType: 'ngo', name: '青山志愿者协会', regionCode: '990000000000' } });
    expect(dup.status).toBe(409);
    await p.deps.outbox.drain();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.payload).toMatchObject({ name: '青山志愿者协会', kind: 'social' });
    expect(seen[0]?.regionCode).toBe('990000000000');
  });

  it('retries an event whose subscriber failed', async () => {
    let calls = 0;
    p.deps.outbox.subscribe('organization.updated', () => {
      calls++;
      if (calls === 1) throw new Error('subscriber down');
    });
    const admin = await p.login('sysadmin');
    const org = ((await p.call('GET', '/api/organizations?q=青山志愿者协会', { as: admin })).body as { items: { id: string }[] }).items[0] as { id: string };
    expect((await p.call('PATCH', `/api/organizations/${org.id}`, { as: admin, body: { contactName: '李青' } })).status).toBe(200);
    await p.deps.outbox.drain();
    expect(calls).toBe(1);
    const failed = await p.deps.db.pool.query<{ attempts: number; last_error: string; due: boolean }>(
      "SELECT attempts, last_error, locked_until > now() AS due FROM outbox WHERE topic = 'organization.updated'",
    );
    expect(failed.rows[0]).toMatchObject({ attempts: 1, due: true });
    expect(failed.rows[0]?.last_error).toMatch(/subscriber down/);
    await p.deps.db.pool.query("UPDATE outbox SET locked_until = now() - interval '1 second' WHERE topic = 'organization.updated'"); // the backoff has passed
    await p.deps.outbox.drain();
    expect(calls).toBe(2);
    const { rows } = await p.deps.db.pool.query<{ pending: number }>("SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL AND topic = 'organization.updated'");
    expect(rows[0]?.pending).toBe(0);
  });
});
