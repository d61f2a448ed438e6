// SPDX-License-Identifier: Apache-2.0
// Calls of the plan activation and dispatch order API.
import type {
  Activation, ActivationDetail, ActivationInput, ActivationPreview, DispatchOrder, OrderAction, OrderStatus,
} from '../../../../contracts/dispatch-activations.ts';
import type { Grade } from '../../../../contracts/dispatch-incidents.ts';
import type { NearestQuery, ProposalResult } from '../../../../contracts/dispatch-resources.ts';
import { api, type Page } from '../../lib/api.ts';

const incident = (id: string) => `/api/incidents/${encodeURIComponent(id)}`;

export const dispatchApi = {
  preview: (incidentId: string, level: Grade | undefined, signal?: AbortSignal) =>
    api.get<ActivationPreview>(`${incident(incidentId)}/activation-preview`, { level }, signal),
  activate: (incidentId: string, input: Partial<ActivationInput>) => api.post<ActivationDetail>(`${incident(incidentId)}/activations`, input),
  activations: (query: { incidentId?: string; status?: 'active' | 'stood-down'; limit?: number }, signal?: AbortSignal) =>
    api.get<Page<Activation>>('/api/activations', { ...query, limit: query.limit ?? 20 }, signal),
  activation: (id: string, signal?: AbortSignal) => api.get<ActivationDetail>(`/api/activations/${encodeURIComponent(id)}`, undefined, signal),
  standDown: (id: string, note: string) => api.post<ActivationDetail>(`/api/activations/${encodeURIComponent(id)}/stand-down`, { note }),
  orders: (query: { activationId?: string; incidentId?: string; status?: OrderStatus | 'open' }, signal?: AbortSignal) =>
    api.get<Page<DispatchOrder>>('/api/dispatch-orders', { ...query, limit: 500 }, signal),
  /** More candidates for a requirement than the preview proposes (the nearest available, ranked by travel time). */
  nearest: (q: NearestQuery, signal?: AbortSignal) => api.get<ProposalResult>('/api/resources/nearest', q, signal),
  actOnOrder: (id: string, action: OrderAction) => api.post<DispatchOrder>(`/api/dispatch-orders/${encodeURIComponent(id)}/actions`, action),
};

/** Colour of each order status, in tags and on the map. */
export const ORDER_STATUS_COLORS: Record<OrderStatus, string> = {
  sent: '#1677ff',
  acknowledged: '#13c2c2',
  en_route: '#fa8c16',
  on_scene: '#52c41a',
  released: '#8c8c8c',
};
export const ORDER_STATUS_LIST = Object.keys(ORDER_STATUS_COLORS) as OrderStatus[];
