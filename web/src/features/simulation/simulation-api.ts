// SPDX-License-Identifier: Apache-2.0
// Calls of the simulation API.
import type { Simulation, SimulationInput, SimulationSummary } from '../../../../contracts/dispatch-simulation.ts';
import type { ResourceType } from '../../../../contracts/dispatch-resources.ts';
import { api, type Items, type Page } from '../../lib/api.ts';

export const simulationApi = {
  run: (input: SimulationInput) => api.post<Simulation>('/api/simulations', input),
  list: (limit: number, offset: number, signal?: AbortSignal) => api.get<Page<SimulationSummary>>('/api/simulations', { limit, offset }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Simulation>(`/api/simulations/${encodeURIComponent(id)}`, undefined, signal),
  resourceTypes: (signal?: AbortSignal) => api.get<Items<ResourceType>>('/api/resource-types', undefined, signal),
};
