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
export { seedDemoIncidents } from './incidents.demo.ts';
