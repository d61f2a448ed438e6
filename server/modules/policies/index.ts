// SPDX-License-Identifier: Apache-2.0
// Public surface of policies (政策): clauses, goals, task trees decomposed from goals, the five linkages.
export { addGoal, createPolicy, decomposeGoal, getPolicy, linkageFrom, listGoals, listPolicies, policyLinkage, setPolicyStatus } from './policies.service.ts';
export { policyRoutes } from './policies.routes.ts';
