// SPDX-License-Identifier: Apache-2.0
// Calls of the organizations API.
import type { Organization, OrganizationInput } from '../../../../contracts/identity.ts';
import { api, type Page } from '../../lib/api.ts';

/** Filters of the organization list. */
export type OrganizationFilter = { q?: string; kind?: Organization['kind']; regionCode?: string | null };

/** What the create form sends (the server fills `qualifications` when left out). */
export type NewOrganization = Omit<OrganizationInput, 'qualifications'> & { qualifications?: string[] };

export const organizationsApi = {
  list: (filter: OrganizationFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<Organization>>('/api/organizations', { ...filter, limit, offset }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Organization>(`/api/organizations/${encodeURIComponent(id)}`, undefined, signal),
  create: (input: NewOrganization) => api.post<Organization>('/api/organizations', input),
};
