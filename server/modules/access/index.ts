// SPDX-License-Identifier: Apache-2.0
// Public surface of access control: the decision point, grants, masking.
export { ACTIONS, type AccessResource, type Action, type Decision, decide, grantableRoles, hasClearance, permissionsOf, ROLE_GRANTS, separationConflict } from './access.policy.ts';
export { authorize, check, DeferredDenial, denied, withDeferredDenials } from './access.service.ts';
export { type ClassificationRules, loadClassificationRules, maskRecord, maskValue } from './masking.ts';
