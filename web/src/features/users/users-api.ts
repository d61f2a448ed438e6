// SPDX-License-Identifier: Apache-2.0
// Calls of the users API.
import type { Role, User, UserInput, UserPatch } from '../../../../contracts/identity.ts';
import { api, type Page } from '../../lib/api.ts';

/** Filters of the user list. */
export type UserFilter = { q?: string; role?: Role; organizationId?: string | null };

export const usersApi = {
  list: (filter: UserFilter, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<User>>('/api/users', { ...filter, limit, offset }, signal),
  create: (input: UserInput) => api.post<User>('/api/users', input),
  update: (id: string, patch: UserPatch) => api.patch<User>(`/api/users/${encodeURIComponent(id)}`, patch),
  unlock: (id: string) => api.post<User | undefined>(`/api/users/${encodeURIComponent(id)}/unlock`),
};
