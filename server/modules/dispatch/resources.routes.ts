// SPDX-License-Identifier: Apache-2.0
// HTTP routes of dispatchable resources: the type catalog, resources, nearest matching, reservations.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import {
  NearestQuery, PositionBatch, PositionResult, ProposalResult, ReleaseInput, Reservation, ReservationInput, ReservationQuery, ReservationResult, Resource,
  ResourceInput, ResourcePatch, ResourceQuery, ResourceType, ResourceTypeInput, StatusChange,
} from '../../../contracts/dispatch-resources.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as resources from './resources.service.ts';

const tags = ['resources'];
const IdParams = z.object({ id: z.string().uuid() });

export function resourceRoutes(app: App, deps: Deps): void {
  app.get('/api/resource-types', {
    schema: { tags, summary: 'The catalog of resource types (names, unit, counted by quantity, travel speed)', response: { 200: z.object({ items: z.array(ResourceType) }) } },
  }, (req) => resources.listResourceTypes(deps, req.ctx));

  app.post('/api/resource-types', {
    schema: { tags, summary: 'Add a resource type to the catalog', body: ResourceTypeInput, response: { 201: ResourceType } },
  }, async (req, reply) => reply.code(201).send(await resources.createResourceType(deps, req.ctx, req.body)));

  app.get('/api/resources', {
    schema: {
      tags, summary: 'Resources in your scope, filtered by type, status, capability, region, owner and text',
      querystring: ResourceQuery, response: { 200: page(Resource) },
    },
  }, (req) => resources.listResources(deps, req.ctx, req.query));

  app.post('/api/resources', {
    schema: { tags, summary: 'Register a resource (its region defaults to the one containing its location)', body: ResourceInput, response: { 201: Resource } },
  }, async (req, reply) => reply.code(201).send(await resources.createResource(deps, req.ctx, req.body)));

  app.get('/api/resources/nearest', {
    schema: {
      tags,
      summary: 'The nearest available resources of a type (capability, quantity) ranked by estimated travel time; borrows from neighbouring and parent regions when the region lacks them',
      querystring: NearestQuery, response: { 200: ProposalResult },
    },
  }, (req) => resources.nearest(deps, req.ctx, req.query));

  app.post('/api/resources/positions', {
    schema: { tags, summary: 'Store a batch of tracker positions (all or nothing; older observations are skipped)', body: PositionBatch, response: { 200: PositionResult } },
  }, (req) => resources.updatePositions(deps, req.ctx, req.body));

  app.get('/api/resources/reservations', {
    schema: { tags, summary: 'Reservations in your scope, newest first', querystring: ReservationQuery, response: { 200: page(Reservation) } },
  }, (req) => resources.listReservations(deps, req.ctx, req.query));

  app.post('/api/resources/reservations', {
    schema: { tags, summary: 'Reserve resources for a request, all or nothing (409 when any is no longer available)', body: ReservationInput, response: { 201: ReservationResult } },
  }, async (req, reply) => reply.code(201).send(await resources.reserveResources(deps, req.ctx, req.body)));

  app.post('/api/resources/reservations/:id/release', {
    schema: { tags, summary: 'Release a reservation: the resource and unconsumed stock return to the pool', params: IdParams, body: ReleaseInput.nullish(), response: { 200: Reservation } },
  }, (req) => resources.releaseReservation(deps, req.ctx, req.params.id, req.body ?? {}));

  app.get('/api/resources/:id', {
    schema: { tags, summary: 'One resource', params: IdParams, response: { 200: Resource } },
  }, (req) => resources.getResource(deps, req.ctx, req.params.id));

  app.patch('/api/resources/:id', {
    schema: { tags, summary: 'Change a resource: details, location, stock total, agreement', params: IdParams, body: ResourcePatch, response: { 200: Resource } },
  }, (req) => resources.updateResource(deps, req.ctx, req.params.id, req.body));

  app.post('/api/resources/:id/status', {
    schema: { tags, summary: 'Take a resource out of service or put it back (reserved and dispatched change through reservations)', params: IdParams, body: StatusChange, response: { 200: Resource } },
  }, (req) => resources.changeStatus(deps, req.ctx, req.params.id, req.body));
}
