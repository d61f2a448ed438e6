// SPDX-License-Identifier: Apache-2.0
// The console's copies of the closed lists in contracts/ (types only are imported, so zod stays out of the
// bundle); each is a Record over the contract's union, so the compiler flags a value added on one side only.
import type { Classification } from '../../../contracts/common.ts';
import type { DepartmentType, Role, SocialType } from '../../../contracts/identity.ts';
import type { Level } from '../../../contracts/regions.ts';

/** Tag colour of each role; the key order is the order roles are listed in. */
export const ROLE_COLORS: Record<Role, string> = {
  'system-admin': 'volcano',
  'security-admin': 'gold',
  'audit-admin': 'purple',
  'region-admin': 'geekblue',
  operator: 'blue',
  dispatcher: 'cyan',
  'task-handler': 'green',
  'social-member': 'lime',
  viewer: 'default',
};
export const ROLE_LIST = Object.keys(ROLE_COLORS) as Role[];

/** 三员分立: no account may hold two of these. */
export const SEPARATED_ROLES: readonly Role[] = ['system-admin', 'security-admin', 'audit-admin'];

/** Roles that are not one of the separated administrators. */
export const BUSINESS_ROLES: readonly Role[] = ROLE_LIST.filter((r) => !SEPARATED_ROLES.includes(r));


/** Depth of each level, province = 0. */
export const LEVEL_DEPTH: Record<Level, number> = { province: 0, city: 1, county: 2, township: 3, village: 4, grid: 5 };
export const LEVEL_LIST = Object.keys(LEVEL_DEPTH) as Level[];

/** The level one below `level`, or null for a grid. */
export function childLevelOf(level: Level): Level | null {
  return LEVEL_LIST[LEVEL_DEPTH[level] + 1] ?? null;
}

/** Tag colour of each level. */
export const LEVEL_COLORS: Record<Level, string> = {
  province: 'red',
  city: 'volcano',
  county: 'orange',
  township: 'blue',
  village: 'green',
  grid: 'cyan',
};

const CLASSIFICATION_COLOR: Record<Classification, string> = { public: 'green', internal: 'blue', sensitive: 'orange', core: 'red' };
export const CLASSIFICATION_LIST = Object.keys(CLASSIFICATION_COLOR) as Classification[];
export function classificationColor(c: Classification): string {
  return CLASSIFICATION_COLOR[c];
}

const DEPARTMENT_TYPE_SET: Record<DepartmentType, true> = {
  'government-office': true,
  'emergency-management': true,
  'public-security': true,
  'fire-rescue': true,
  health: true,
  'urban-management': true,
  'water-resources': true,
  transport: true,
  'civil-affairs': true,
  'natural-resources': true,
  'ecology-environment': true,
  'big-data': true,
};
export const DEPARTMENT_TYPE_LIST = Object.keys(DEPARTMENT_TYPE_SET) as DepartmentType[];

const SOCIAL_TYPE_SET: Record<SocialType, true> = { enterprise: true, ngo: true, 'volunteer-team': true };
export const SOCIAL_TYPE_LIST = Object.keys(SOCIAL_TYPE_SET) as SocialType[];

/** Permission strings the console checks (the server's action names). */
export type Permission =
  | 'region:read'
  | 'org:read'
  | 'org:write'
  | 'user:read'
  | 'user:write'
  | 'user:grant'
  | 'audit:read'
  | 'classification:read'
  | 'dataset:read'
  | 'dataset:propose'
  | 'dataset:write'
  | 'twin:read'
  | 'twin:write'
  | 'resource:read'
  | 'resource:write'
  | 'resource:dispatch'
  | 'incident:read'
  | 'incident:report'
  | 'incident:manage'
  | 'warning:read'
  | 'warning:issue'
  | 'plan:read'
  | 'plan:write'
  | 'plan:publish'
  | 'task:read'
  | 'task:execute'
  | 'task:write'
  | 'indicator:read'
  | 'indicator:report'
  | 'indicator:write'
  | 'policy:read'
  | 'policy:write';
