// SPDX-License-Identifier: Apache-2.0
// A listening platform serving the built console, for browser tests.
import type { DemoAccount } from '../../server/modules/demo/index.ts';
import { createTestPlatform } from './platform.ts';

export async function startConsoleServer(): Promise<{ baseUrl: string; accounts: DemoAccount[]; close(): Promise<void> }> {
  const p = await createTestPlatform();
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  const address = p.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { baseUrl: `http://127.0.0.1:${port}`, accounts: p.accounts, close: () => p.stop() };
}
