// SPDX-License-Identifier: Apache-2.0
// The demo's running response: a river in county A over its warning level, reported an hour and a half
// ago, with the flood plan activated at level III by the city dispatcher — some units on scene, some on
// the way, the first steps under way — so that the dispatch center and the task board have live work.
import type { RequestContext } from '../../platform/context.ts';
import { executor } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { findCurrentRegion } from '../regions/index.ts';
import { actOnTask } from '../tasks/index.ts';
import { activatePlan, actOnOrder } from './activations.service.ts';
import { reportIncident } from './incidents.service.ts';

/** Seeds the running activation as `dispatcher` (a dispatcher of the county's city). Returns its orders. */
export async function seedDemoActivation(deps: Deps, dispatcher: RequestContext, opts: { countyCode: string }): Promise<number> {
  const county = await findCurrentRegion(executor(deps.db), opts.countyCode);
  if (!county?.centroid) return 0;
  const { incident } = await reportIncident(deps, dispatcher, {
    typeCode: 'flood', grade: 'III', title: `${county.name}东河段水位超警戒，堤防出现渗水`, description: '东河水文站水位超警戒 0.6 米并持续上涨，下游两个村组地势低洼。',
    lon: county.centroid.x + 0.03, lat: county.centroid.y - 0.02, exercise: false, source: 'demo', reportedAt: new Date(Date.now() - 90 * 60_000),
  });
  const activation = await activatePlan(deps, dispatcher, incident.id, { level: 'III', requests: [], issueWarnings: false, note: '水位持续上涨，启动防汛Ⅲ级应急响应' });
  const [first, second, third] = activation.orders;
  for (const [order, actions] of [[first, ['acknowledge', 'depart', 'arrive']], [second, ['acknowledge', 'depart']], [third, ['acknowledge']]] as const) {
    if (order) for (const action of actions) await actOnOrder(deps, dispatcher, order.id, { action });
  }
  const monitor = activation.tasks.find((t) => t.source.key === 'monitor');
  if (monitor) {
    for (const action of ['accept', 'start'] as const) await actOnTask(deps, dispatcher, monitor.id, { action });
    await actOnTask(deps, dispatcher, monitor.id, { action: 'submit', evidence: [{ kind: 'text', content: '东河站 14 时水位 31.6 米，超警戒 0.6 米，仍以每小时 5 厘米上涨。' }] });
    await actOnTask(deps, dispatcher, monitor.id, { action: 'approve' });
  }
  return activation.orders.length;
}
