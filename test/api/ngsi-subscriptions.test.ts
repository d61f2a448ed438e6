// SPDX-License-Identifier: Apache-2.0
// NGSI-LD subscriptions: matching, HTTP notifications from the outbox, retries and status.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const BASE = '/ngsi-ld/v1';
let p: TestPlatform;
let op: string;
let receiver: http.Server;
let url = '';
let failNext = 0;
const received: { subscriptionId: string; type: string; data: Record<string, unknown>[] }[] = [];
let village: [number, number];

beforeAll(async () => {
  p = await createTestPlatform();
  op = await p.login('operator-a');
  const admin = await p.login('sysadmin');
  const scope = p.account('operator-a').scope as string;
  const v = ((await p.call('GET', `/api/regions/${scope}/subtree?level=village&limit=1`, { as: admin })).body as { items: { centroid: [number, number] }[] }).items[0];
  village = v?.centroid as [number, number];
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/notify`;
});
afterAll(async () => {
  await p?.stop();
  await new Promise((r) => receiver?.close(r));
});

const sensor = (id: string, level: number) => ({
  id,
  type: 'WaterLevelSensor',
  waterLevel: { type: 'Property', value: level },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: village } },
});

describe('subscriptions', () => {
  it('notifies matching changes of watched attributes, filtered by q, with the requested attributes', async () => {
    const sub = await p.call('POST', `${BASE}/subscriptions`, {
      as: op,
      body: {
        type: 'Subscription',
        entities: [{ type: 'WaterLevelSensor' }],
        watchedAttributes: ['waterLevel'],
        q: 'waterLevel>5',
        notification: { endpoint: { uri: url, accept: 'application/json' }, attributes: ['waterLevel'], format: 'keyValues' },
      },
    });
    expect(sub.status).toBe(201);
    const subId = decodeURIComponent(String(sub.headers.location).split('/').pop() ?? '');
    await p.call('POST', `${BASE}/entities`, { as: op, body: sensor('urn:ngsi-ld:WaterLevelSensor:s1', 2) }); // q does not match
    await p.call('PATCH', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:s1/attrs`, { as: op, body: { waterLevel: { type: 'Property', value: 7 } } });
    await p.call('POST', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:s1/attrs`, { as: op, body: { battery: { type: 'Property', value: 0.5 } } }); // not watched
    await p.deps.outbox.drain();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: 'Notification', subscriptionId: subId, data: [{ id: 'urn:ngsi-ld:WaterLevelSensor:s1', type: 'WaterLevelSensor', waterLevel: 7 }] });
    expect(Object.keys(received[0]?.data[0] ?? {}).sort()).toEqual(['id', 'type', 'waterLevel']);
    const status = (await p.call('GET', `${BASE}/subscriptions/${encodeURIComponent(subId)}`, { as: op })).body as { notification: { timesSent: number; status: string; lastNotification?: string } };
    expect(status.notification).toMatchObject({ timesSent: 1, status: 'ok' });
    expect(status.notification.lastNotification).toBeDefined();
    expect((await p.call('DELETE', `${BASE}/subscriptions/${encodeURIComponent(subId)}`, { as: op })).status).toBe(204);
  });

  it('retries a failed delivery, recording the failure, and honours throttling', async () => {
    received.length = 0;
    const sub = await p.call('POST', `${BASE}/subscriptions`, {
      as: op,
      body: { id: 'urn:ngsi-ld:Subscription:retry', type: 'Subscription', entities: [{ type: 'WaterLevelSensor', idPattern: ':s2$' }], throttling: 3600, notification: { endpoint: { uri: url } } },
    });
    expect(sub.status).toBe(201);
    failNext = 1;
    await p.call('POST', `${BASE}/entities`, { as: op, body: sensor('urn:ngsi-ld:WaterLevelSensor:s2', 1) });
    await p.deps.outbox.drain();
    expect(received).toHaveLength(0);
    const failed = (await p.call('GET', `${BASE}/subscriptions/urn:ngsi-ld:Subscription:retry`, { as: op })).body as { notification: { status: string; timesFailed: number; lastFailure?: string } };
    expect(failed.notification).toMatchObject({ status: 'failed', timesFailed: 1 });
    await p.deps.db.pool.query("UPDATE outbox SET locked_until = now() - interval '1 second' WHERE topic = 'twin.notification' AND published_at IS NULL"); // the backoff has passed
    await p.deps.outbox.drain();
    expect(received).toHaveLength(1);
    expect(received[0]?.data[0]).toMatchObject({ id: 'urn:ngsi-ld:WaterLevelSensor:s2', waterLevel: { type: 'Property', value: 1 } });
    // a second change within the throttling window is not notified
    await p.call('PATCH', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:s2/attrs`, { as: op, body: { waterLevel: { type: 'Property', value: 3 } } });
    await p.deps.outbox.drain();
    expect(received).toHaveLength(1);
    const ok = (await p.call('GET', `${BASE}/subscriptions/urn:ngsi-ld:Subscription:retry`, { as: op })).body as { notification: { status: string; timesSent: number } };
    expect(ok.notification).toMatchObject({ status: 'ok', timesSent: 1 });
  });

  it('pauses with PATCH isActive=false, lists the own subscriptions, and keeps others out', async () => {
    received.length = 0;
    expect((await p.call('PATCH', `${BASE}/subscriptions/urn:ngsi-ld:Subscription:retry`, { as: op, body: { isActive: false, throttling: 0 } })).status).toBe(204);
    await p.call('PATCH', `${BASE}/entities/urn:ngsi-ld:WaterLevelSensor:s2/attrs`, { as: op, body: { waterLevel: { type: 'Property', value: 4 } } });
    await p.deps.outbox.drain();
    expect(received).toHaveLength(0);
    const list = await p.call('GET', `${BASE}/subscriptions?count=true`, { as: op });
    expect(list.headers['ngsild-results-count']).toBe('1');
    expect((list.body as { id: string; status: string }[])[0]).toMatchObject({ id: 'urn:ngsi-ld:Subscription:retry', status: 'paused' });
    const other = await p.login('operator-b');
    expect((await p.call('GET', `${BASE}/subscriptions/urn:ngsi-ld:Subscription:retry`, { as: other })).status).toBe(404);
    expect((await p.call('GET', `${BASE}/subscriptions`, { as: other })).body).toEqual([]);
  });

  it('rejects invalid subscriptions with BadRequestData', async () => {
    for (const body of [
      { type: 'Subscription', notification: { endpoint: { uri: url } } },
      { type: 'Subscription', entities: [{ type: 'X' }], notification: { endpoint: { uri: 'ftp://x' } } },
      { type: 'Subscription', entities: [{ type: 'X' }], q: 'a>', notification: { endpoint: { uri: url } } },
      { type: 'Subscription', entities: [{ type: 'X' }], geoQ: { georel: 'near', geometry: 'Point', coordinates: [1, 2] }, notification: { endpoint: { uri: url } } },
      { type: 'Subscription', entities: [{}], notification: { endpoint: { uri: url } } },
      { type: 'Subscription', entities: [{ type: 'X' }], throttling: -1, notification: { endpoint: { uri: url } } },
      { type: 'Subscription', entities: [{ type: 'X' }], bogus: 1, notification: { endpoint: { uri: url } } },
      { type: 'Other', entities: [{ type: 'X' }], notification: { endpoint: { uri: url } } },
      [],
    ]) {
      const r = await p.call('POST', `${BASE}/subscriptions`, { as: op, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.body as { type: string }).type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    }
  });
});

describe('trusted-network mode', () => {
  it('serves NGSI-LD without authentication under the fixed scope and role, and nothing else', async () => {
    const scope = p.account('operator-b').scope as string;
    const trusted = await createTestPlatform({ YZ_NGSI_TRUSTED_NETWORK: 'true', YZ_NGSI_TRUSTED_SCOPE: scope, YZ_NGSI_TRUSTED_ROLE: 'viewer' });
    try {
      const list = await trusted.call('GET', `${BASE}/entities?type=WaterLevelSensor`);
      expect(list.status).toBe(200);
      const write = await trusted.call('POST', `${BASE}/entities`, { body: { id: 'urn:ngsi-ld:T:trusted', type: 'T', regionCode: { type: 'Property', value: scope } } });
      expect(write.status).toBe(403); // the fixed role reads only
      expect((await trusted.call('GET', '/api/regions/roots')).status).toBe(401); // the rest of the API still asks
    } finally {
      await trusted.stop();
    }
    // off by default
    expect((await p.call('GET', `${BASE}/entities?type=WaterLevelSensor`)).status).toBe(401);
  });
});
