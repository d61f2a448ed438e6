// SPDX-License-Identifier: Apache-2.0
// Composition root: config → database → migrations → modules → HTTP. Nothing here is a singleton.
import { buildHttp } from './api/app.ts';
import type { App } from './api/types.ts';
import type { Config } from './platform/config.ts';
import { type Database, openEmbeddedDatabase, openServerDatabase } from './platform/db.ts';
import type { Deps } from './platform/deps.ts';
import { migrate } from './platform/migrate.ts';
import { OutboxDispatcher } from './platform/outbox.ts';
import { registerSubscriptions } from './modules/twin/index.ts';
import { registerIncidentIntake, registerResourceMirror, startIncidentSupervision } from './modules/dispatch/index.ts';
import { startTaskSupervision } from './modules/tasks/index.ts';
import { startIndicatorSchedule } from './modules/indicators/index.ts';

/** Opens the configured database: PostgreSQL server when DATABASE_URL is set, else embedded in the data folder. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl ? openServerDatabase(config.databaseUrl) : openEmbeddedDatabase(config.dataDir);
}

/** Builds the platform's dependencies on an open, migrated database. */
export function buildDeps(config: Config, db: Database): Deps {
  const outbox = new OutboxDispatcher(db);
  return { db, config, outbox };
}

/** A running platform: the HTTP app and how to stop it. */
export type Platform = { app: App; deps: Deps; close(): Promise<void> };

/** Builds the platform on an open database (migrates first). */
export async function buildPlatform(config: Config, db: Database, opts: { logger?: boolean } = {}): Promise<Platform> {
  await migrate(db);
  const deps = buildDeps(config, db);
  registerSubscriptions(deps);
  // 自动感知: twin readings over a rule's threshold report incidents
  registerIncidentIntake(deps);
  // resources live in the twin too: their status and position as NGSI-LD entities
  registerResourceMirror(deps);
  const app = await buildHttp(deps, opts);
  deps.outbox.start();
  // 督办: overdue incidents are flagged and escalated by a periodic sweep
  const supervision = startIncidentSupervision(deps, { onError: (err) => app.log.error({ err }, 'incident supervision sweep failed') });
  const taskSupervision = startTaskSupervision(deps, { onError: (err) => app.log.error({ err }, 'task supervision sweep failed') });
  // 指标: every indicator's recent periods, and earlier ones whose data arrived late, on a schedule
  const indicatorSchedule = startIndicatorSchedule(deps, { intervalMs: deps.config.indicatorIntervalSeconds * 1000, onError: (err) => app.log.error({ err }, 'indicator computation failed') });
  return {
    app,
    deps,
    async close() {
      await supervision.stop();
      await taskSupervision.stop();
      await indicatorSchedule.stop();
      await deps.outbox.stop();
      await app.close();
    },
  };
}
