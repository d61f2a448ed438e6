// SPDX-License-Identifier: Apache-2.0
// Calls of the dispatchable resources API.
import type { OwnerKind, Reservation, Resource, ResourceStatus, ResourceType } from '../../../../contracts/dispatch-resources.ts';
import { api, type Items, type Page } from '../../lib/api.ts';

/** Filters of the resource table and map. */
export type ResourceFilter = { type?: string; status?: ResourceStatus; capability?: string; regionCode?: string | null; ownerKind?: OwnerKind; q?: string };

export const resourcesApi = {
  types: (signal?: AbortSignal) => api.get<Items<ResourceType>>('/api/resource-types', undefined, signal),
  list: (filter: ResourceFilter, limit: number, offset: number, signal?: AbortSignal) => api.get<Page<Resource>>('/api/resources', { ...filter, limit, offset }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Resource>(`/api/resources/${encodeURIComponent(id)}`, undefined, signal),
  setStatus: (id: string, status: 'available' | 'unavailable') => api.post<Resource>(`/api/resources/${encodeURIComponent(id)}/status`, { status }),
  reservations: (resourceId: string, signal?: AbortSignal) => api.get<Page<Reservation>>('/api/resources/reservations', { resourceId, limit: 20 }, signal),
  release: (id: string) => api.post<Reservation>(`/api/resources/reservations/${encodeURIComponent(id)}/release`, {}),
};

/** Colour of each status, on the map and in tags. */
export const STATUS_COLORS: Record<ResourceStatus, string> = {
  available: '#52c41a',
  reserved: '#faad14',
  dispatched: '#1677ff',
  unavailable: '#8c8c8c',
};
export const STATUS_LIST = Object.keys(STATUS_COLORS) as ResourceStatus[];
