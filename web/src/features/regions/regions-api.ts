// SPDX-License-Identifier: Apache-2.0
// Calls of the regions API the explorer makes.
import type { BoundaryGeometry, Level, Region } from '../../../../contracts/regions.ts';
import { api, type Items, type Page } from '../../lib/api.ts';

/** Properties of each boundary feature the geojson endpoint returns. */
export type RegionFeatureProperties = {
  code: string;
  name: string;
  nameEn: string | null;
  level: Level;
  population: number | null;
  areaKm2: number | null;
};

/** The boundaries of a subtree at one level. */
export type RegionFeatureCollection = {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; id?: string | number; properties: RegionFeatureProperties; geometry: BoundaryGeometry }>;
};

const path = (code: string) => `/api/regions/${encodeURIComponent(code)}`;

export const regionsApi = {
  roots: (signal?: AbortSignal) => api.get<Items<Region>>('/api/regions/roots', undefined, signal),
  children: (code: string, signal?: AbortSignal) => api.get<Items<Region>>(`${path(code)}/children`, undefined, signal),
  get: (code: string, signal?: AbortSignal) => api.get<Region>(path(code), undefined, signal),
  ancestors: (code: string, signal?: AbortSignal) => api.get<Items<Region>>(`${path(code)}/ancestors`, undefined, signal),
  geojson: (code: string, level: Level, signal?: AbortSignal) =>
    api.get<RegionFeatureCollection>(`${path(code)}/geojson`, { level }, signal),
  search: (q: string, signal?: AbortSignal) => api.get<Page<Region>>('/api/regions', { q, limit: 20 }, signal),
};
