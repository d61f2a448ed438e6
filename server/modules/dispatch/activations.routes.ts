// SPDX-License-Identifier: Apache-2.0
// HTTP routes of plan activation and dispatch orders.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import {
  Activation, ActivationDetail, ActivationInput, ActivationPreview, ActivationQuery, DispatchOrder, OrderAction, OrderQuery, PreviewQuery, StandDownInput,
} from '../../../contracts/dispatch-activations.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as activations from './activations.service.ts';

const tags = ['dispatch'];
const IdParams = z.object({ id: z.string().uuid() });

export function activationRoutes(app: App, deps: Deps): void {
  app.get('/api/incidents/:id/activation-preview', {
    schema: {
      tags, summary: 'What activating a plan for the incident would do: the plan version and level that apply, the organization of each step, the resources proposed per requirement',
      params: IdParams, querystring: PreviewQuery, response: { 200: ActivationPreview },
    },
  }, (req) => activations.previewActivation(deps, req.ctx, req.params.id, req.query));

  app.post('/api/incidents/:id/activations', {
    schema: {
      tags,
      summary: 'Activate a plan for the incident at a level: tasks for the steps, requests matched and reserved, dispatch orders sent, the incident responding (409 when closed, already activated, or a role is unbound)',
      params: IdParams, body: ActivationInput, response: { 201: ActivationDetail },
    },
  }, async (req, reply) => reply.code(201).send(await activations.activatePlan(deps, req.ctx, req.params.id, req.body)));

  app.get('/api/activations', {
    schema: { tags, summary: 'Plan activations in your scope, newest first', querystring: ActivationQuery, response: { 200: page(Activation) } },
  }, (req) => activations.listActivations(deps, req.ctx, req.query));

  app.get('/api/activations/:id', {
    schema: { tags, summary: 'One activation with its requests, dispatch orders and tasks', params: IdParams, response: { 200: ActivationDetail } },
  }, (req) => activations.getActivation(deps, req.ctx, req.params.id));

  app.post('/api/activations/:id/stand-down', {
    schema: { tags, summary: 'Stand an activation down: orders still out are released, open tasks cancelled', params: IdParams, body: StandDownInput, response: { 200: ActivationDetail } },
  }, (req) => activations.standDown(deps, req.ctx, req.params.id, req.body));

  app.get('/api/dispatch-orders', {
    schema: { tags, summary: 'Dispatch orders whose incident or resource is in your scope (the order board), newest first', querystring: OrderQuery, response: { 200: page(DispatchOrder) } },
  }, (req) => activations.listOrders(deps, req.ctx, req.query));

  app.post('/api/dispatch-orders/:id/actions', {
    schema: {
      tags, summary: 'Move an order on: acknowledge, depart, arrive, release (with the stock consumed); 409 out of order',
      params: IdParams, body: OrderAction, response: { 200: DispatchOrder },
    },
  }, (req) => activations.actOnOrder(deps, req.ctx, req.params.id, req.body));
}
