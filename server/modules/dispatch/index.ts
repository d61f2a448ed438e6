// SPDX-License-Identifier: Apache-2.0
// Public surface of structured dispatching (结构化调度): incidents, resources, plans and dispatch.
export {
  changeStatus, createResource, createResourceType, dispatchReservation, getResource, listReservations, listResources, listResourceTypes, proposeResources,
  type ProposeInput, releaseReservation, reserveResources, updatePositions, updateResource,
} from './resources.service.ts';
export { resourceRoutes } from './resources.routes.ts';
export { seedDemoResources } from './resources.demo.ts';
export {
  actOnIncident, getIncident, incidentTypes, listIncidents, type ReportInput, reportIncident, startIncidentSupervision, sweepOverdue,
} from './incidents.service.ts';
export { describeIncidentType, findLeafType, listIncidentTypes } from './incident-types.ts';
export { incidentRoutes } from './incidents.routes.ts';
export { open311Routes } from './open311.routes.ts';
export { cancelWarning, capDocument, capFeed, getWarning, issueWarning, listWarnings, updateWarning } from './warnings.service.ts';
export { warningRoutes } from './warnings.routes.ts';
export { capRoutes } from './cap.routes.ts';
export { seedDemoWarnings } from './warnings.demo.ts';
export { seedDemoIncidents } from './incidents.demo.ts';
export {
  activePlanVersion, type ActivePlan, createPlan, diffVersions, getPlan, getPlanVersion, listPlans, recordPlanVersionUse, transitionVersion, updateDraft,
} from './plans.service.ts';
export { getBinding, proposeBindings, putBinding } from './plans.bindings.ts';
export { exportPlanVersion, importPlanPackage } from './plans.package.ts';
export { findPlanRole, listPlanRoles } from './plan-roles.ts';
export { planRoutes } from './plans.routes.ts';
export { seedDemoPlans } from './plans.demo.ts';
export { activatePlan, actOnOrder, getActivation, listActivations, listOrders, previewActivation, standDown } from './activations.service.ts';
export { activationRoutes } from './activations.routes.ts';
export { seedDemoActivation } from './activations.demo.ts';
export { createIntakeRule, evaluateIntake, listIntakeRules, registerIncidentIntake, seedDemoIntakeRules, updateIntakeRule } from './intake.service.ts';
export { intakeRoutes } from './intake.routes.ts';
export { getSimulation, listSimulations, runSimulation } from './simulation.service.ts';
export { simulationRoutes } from './simulation.routes.ts';
export { incidentCounts, type IncidentMeasure, incidentMeasureSql, validateIncidentMeasure } from './incidents.measure.ts';
export { type ResourceCount, resourceCountsOf } from './resources.stats.ts';
export { mirrorResources, registerResourceMirror } from './resources.twin.ts';
