// SPDX-License-Identifier: Apache-2.0
// Public surface of indicators (指标): definitions, values, alerts with analysis plans, and the cockpit.
export {
  actOnAlert, computeIndicator, createIndicator, getAlert, getIndicator, listAlerts, listIndicators, listValues, replaceIndicator, reportValues, runIndicatorSchedule,
  setTargets, startIndicatorSchedule,
} from './indicators.service.ts';
export { cockpit } from './cockpit.service.ts';
export { indicatorRoutes } from './indicators.routes.ts';
export { seedDemoIndicators } from './indicators.demo.ts';
export { goalIndicator, goalValues, setGoalTargetsIn } from './goals.support.ts';
