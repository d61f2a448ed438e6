// SPDX-License-Identifier: Apache-2.0
// A whole platform on a fresh copy of the test database, driven through HTTP (fastify inject).
import type { InjectOptions } from 'fastify';
import os from 'node:os';
import { buildPlatform, type Platform } from '../../server/main.ts';
import { loadConfig } from '../../server/platform/config.ts';
import type { DemoAccount } from '../../server/modules/demo/index.ts';
import { openTestDatabase, templateAccounts } from './template.ts';

export type TestResponse = { status: number; body: unknown; headers: Record<string, unknown>; text: string };

/** The test platform with helpers to log in and call the API. */
export type TestPlatform = Platform & {
  accounts: DemoAccount[];
  account(username: string): DemoAccount;
  /** Logs in and returns the Cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /** Calls the API; `as` is a cookie from login() or a bearer token. */
  call(method: InjectOptions['method'], url: string, opts?: { as?: string; body?: unknown; headers?: Record<string, string> }): Promise<TestResponse>;
  stop(): Promise<void>;
};

export async function createTestPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const config = loadConfig({ YZ_LOG_LEVEL: 'silent', YZ_DATA_DIR: os.tmpdir(), YZ_LOGIN_RATE_LIMIT: '10000', ...env });
  const db = await openTestDatabase();
  const platform = await buildPlatform(config, db, { logger: false });
  const accounts = templateAccounts();
  const cookies = new Map<string, string>();
  const account = (username: string) => {
    const a = accounts.find((x) => x.username === username);
    if (!a) throw new Error(`no demo account ${username}`);
    return a;
  };
  const call: TestPlatform['call'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.as?.startsWith('yzt_')) headers.authorization = `Bearer ${opts.as}`;
    else if (opts.as) headers.cookie = opts.as;
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await platform.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    let body: unknown = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body, headers: res.headers, text: res.body };
  };
  return {
    ...platform,
    accounts,
    account,
    call,
    async login(username, password) {
      if (!password && cookies.has(username)) return cookies.get(username) as string;
      const res = await platform.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: password ?? account(username).password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const set = res.cookies.find((c) => c.name === 'yz_session');
      if (!set) throw new Error('no session cookie');
      const cookie = `yz_session=${set.value}`;
      if (!password) cookies.set(username, cookie);
      return cookie;
    },
    async stop() {
      await platform.close();
      await db.close();
    },
  };
}
