// SPDX-License-Identifier: Apache-2.0
import type { Config } from './config.ts';
import type { Database } from './db.ts';
import type { OutboxDispatcher } from './outbox.ts';

/** What services are given: built once in main.ts, passed explicitly (no module singletons). */
export type Deps = { db: Database; config: Config; outbox: OutboxDispatcher };
