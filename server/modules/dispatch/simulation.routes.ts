// SPDX-License-Identifier: Apache-2.0
// HTTP routes of simulation (仿真推演).
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import { Simulation, SimulationInput, SimulationQuery, SimulationSummary } from '../../../contracts/dispatch-simulation.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as simulation from './simulation.service.ts';

const tags = ['dispatch'];

export function simulationRoutes(app: App, deps: Deps): void {
  app.post('/api/simulations', {
    schema: {
      tags,
      summary: 'Replay a period of historical incidents against the resource configuration and the plans, with variants side by side: response times, unmet requests, borrowing',
      body: SimulationInput, response: { 201: Simulation },
    },
  }, async (req, reply) => reply.code(201).send(await simulation.runSimulation(deps, req.ctx, req.body)));

  app.get('/api/simulations', {
    schema: { tags, summary: 'Simulation runs in your scope, newest first', querystring: SimulationQuery, response: { 200: page(SimulationSummary) } },
  }, (req) => simulation.listSimulations(deps, req.ctx, req.query));

  app.get('/api/simulations/:id', {
    schema: { tags, summary: 'One simulation run with its results', params: z.object({ id: z.string().uuid() }), response: { 200: Simulation } },
  }, (req) => simulation.getSimulation(deps, req.ctx, req.params.id));
}
