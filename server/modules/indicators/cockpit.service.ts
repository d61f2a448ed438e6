// SPDX-License-Identifier: Apache-2.0
// The cockpit (驾驶舱): one screen for a region — its key indicators with trend, target gap and the child
// regions furthest behind; open alerts; incidents and tasks — drilled down level by level.
import type { Cockpit } from '../../../contracts/indicators.ts';
import { lastPeriods } from '../../../contracts/indicator-periods.ts';
import type { Level } from '../../../contracts/regions.ts';
import { ancestorCodes, inScope } from '../../../contracts/region-codes.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../access/index.ts';
import { incidentCounts } from '../dispatch/index.ts';
import { findCurrentRegion, findCurrentRegions } from '../regions/index.ts';
import { taskCounts } from '../tasks/index.ts';
import { shortfall } from './indicator.engine.ts';
import { presentAlert, presentValue as present } from './indicators.service.ts';
import * as store from './indicators.store.ts';

/** Key indicators on the cockpit at most. */
const MAX_KEY = 8;
const TREND_PERIODS = 12;
const LAGGING = 5;

export async function cockpit(deps: Deps, ctx: RequestContext, regionCode?: string): Promise<Cockpit> {
  const db = executor(deps.db);
  let code = regionCode ?? ctx.actor.scopeCode ?? undefined;
  if (!code) {
    const { rows } = await db.query<{ code: string }>(`SELECT code FROM region WHERE level = 'province' AND valid_to IS NULL ORDER BY code LIMIT 2`);
    if (rows.length !== 1) throw new Invalid('say which region (region)', [{ field: 'querystring.region', message: 'required when several provinces exist' }]);
    code = (rows[0] as { code: string }).code;
  }
  await authorize(deps, ctx, 'indicator:read', { type: 'cockpit', regionCode: code });
  const region = await findCurrentRegion(db, code);
  if (!region) throw new NotFound(`no current region ${code}`);
  if (!inScope(ctx.actor.scopePrefix, region.code)) throw new Forbidden(`region ${code} is outside your region`);

  const pathCodes = [...ancestorCodes(region.code)].reverse().filter((c) => inScope(ctx.actor.scopePrefix, c));
  const pathRegions = await findCurrentRegions(db, pathCodes);
  const path = pathCodes.flatMap((c) => pathRegions.filter((r) => r.code === c)).map((r) => ({ code: r.code, name: r.name, level: r.level as Level }));
  const { rows: childRows } = await db.query<{ code: string; name: string; level: Level; prefix: string }>(
    `SELECT code, name, level, prefix FROM region WHERE parent_code = $1 AND valid_to IS NULL AND level <> 'grid' ORDER BY code`,
    [region.code],
  );
  const alarms = await store.alarmsUnder(db, childRows.map((c) => c.prefix));

  const keys = (await store.listIndicators(db, { key: true, status: 'active' }, MAX_KEY, 0)).rows;
  const latestOfKeys = await store.latestValues(db, keys.map((k) => k.id), region.code);
  const indicators: Cockpit['indicators'] = [];
  for (const ind of keys) {
    const period = latestOfKeys.get(ind.id)?.period ?? null;
    let current: Cockpit['indicators'][number]['current'] = null;
    let trend: Cockpit['indicators'][number]['trend'] = [];
    let lagging: Cockpit['indicators'][number]['lagging'] = [];
    if (period) {
      const periods = lastPeriods(ind.period, period, TREND_PERIODS);
      const series = await store.listValues(db, ind.id, { scopePrefix: '', region: region.code, from: periods[0], to: period }, 'period', TREND_PERIODS, 0);
      const byPeriod = new Map(series.rows.map((r) => [r.period, r]));
      trend = periods.map((p) => ({ period: p, value: byPeriod.get(p)?.value ?? null }));
      const cur = byPeriod.get(period);
      current = cur ? present(cur, ind.direction) : null;
      if (childRows.length) {
        const kids = await store.listValues(db, ind.id, { scopePrefix: '', parent: { code: region.prefix, childLevel: childRows[0]?.level as string }, period }, 'region', 1000, 0);
        lagging = kids.rows
          .filter((k) => k.value !== null)
          .sort((a, b) => shortfall(b.value, b.target, ind.direction) - shortfall(a.value, a.target, ind.direction))
          .slice(0, LAGGING)
          .map((k) => present(k, ind.direction));
      }
    }
    indicators.push({ code: ind.code, name: ind.name, unit: ind.unit, direction: ind.direction, period, current, trend, lagging });
  }

  const counts = await store.alertCounts(db, region.prefix);
  const latest = await store.listAlerts(db, { scopePrefix: ctx.actor.scopePrefix, regionPrefix: region.prefix, open: true }, 5, 0);
  const incidents = await incidentCounts(db, region.prefix);
  const tasks = await taskCounts(db, region.prefix);
  return {
    region: { code: region.code, name: region.name, level: region.level as Level, parentCode: region.parent_code },
    path,
    indicators,
    alerts: { ...counts, latest: latest.rows.map((r) => presentAlert(ctx, r)) },
    incidents,
    tasks,
    children: childRows.map((c) => ({ code: c.code, name: c.name, level: c.level, alarms: alarms.get(c.prefix) ?? 0 })),
  };
}

