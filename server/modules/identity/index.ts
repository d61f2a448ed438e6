// SPDX-License-Identifier: Apache-2.0
// Public surface of identity: organizations, users, sessions, API tokens, classification.
export { createOrganization, getOrganization, listOrganizations, updateOrganization } from './organizations.service.ts';
export { changeOwnPassword, createUser, createUserAsSystem, getUser, listUsers, unlockUser, updateUser } from './users.service.ts';
export { actorForUsername, createApiToken, describeActor, listApiTokens, Locked, login, logout, resolveApiToken, resolveSession, revokeApiToken } from './sessions.service.ts';
export { listClassifications, setClassification } from './classification.service.ts';
export { hashPassword, passwordProblems } from './passwords.ts';
export { identityRoutes } from './identity.routes.ts';
