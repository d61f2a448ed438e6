// SPDX-License-Identifier: Apache-2.0
// The catalog of abstract plan roles (预案角色): a plan names who acts by role, not by organization, so that
// it can be copied to another city; binding maps each role to an organization of the region, proposed by
// the department type and level the role usually maps to.
import type { PlanRole } from '../../../contracts/dispatch-plans.ts';

const ROLES: readonly PlanRole[] = [
  { key: 'city-emergency-bureau', name: '市应急管理局', nameEn: 'City emergency management bureau', departmentType: 'emergency-management', level: 'city' },
  { key: 'city-public-security', name: '市公安局', nameEn: 'City public security bureau', departmentType: 'public-security', level: 'city' },
  { key: 'city-health-commission', name: '市卫生健康委员会', nameEn: 'City health commission', departmentType: 'health', level: 'city' },
  { key: 'county-government-office', name: '县（区）人民政府办公室', nameEn: 'County government office', departmentType: 'government-office', level: 'county' },
  { key: 'county-emergency-bureau', name: '县（区）应急管理局', nameEn: 'County emergency management bureau', departmentType: 'emergency-management', level: 'county' },
  { key: 'water-resources-bureau', name: '水利局', nameEn: 'Water resources bureau', departmentType: 'water-resources', level: 'county' },
  { key: 'fire-rescue', name: '消防救援大队', nameEn: 'Fire and rescue brigade', departmentType: 'fire-rescue', level: 'county' },
  { key: 'health', name: '卫生健康局', nameEn: 'Health bureau', departmentType: 'health', level: 'county' },
  { key: 'public-security', name: '公安局', nameEn: 'Public security bureau', departmentType: 'public-security', level: 'county' },
  { key: 'civil-affairs', name: '民政局', nameEn: 'Civil affairs bureau', departmentType: 'civil-affairs', level: 'county' },
  { key: 'urban-management', name: '城市管理局', nameEn: 'Urban management bureau', departmentType: 'urban-management', level: 'county' },
  { key: 'transport-bureau', name: '交通运输局', nameEn: 'Transport bureau', departmentType: 'transport', level: 'county' },
  { key: 'natural-resources-bureau', name: '自然资源局', nameEn: 'Natural resources bureau', departmentType: 'natural-resources', level: 'county' },
  { key: 'ecology-environment-bureau', name: '生态环境局', nameEn: 'Ecology and environment bureau', departmentType: 'ecology-environment', level: 'county' },
  { key: 'township-head', name: '乡镇（街道）主要负责人', nameEn: 'Township head', departmentType: 'government-office', level: 'township' },
];

const byKey = new Map(ROLES.map((r) => [r.key, r]));

/** Every role of the catalog. */
export function listPlanRoles(): PlanRole[] {
  return [...ROLES];
}

/** One role, or undefined when the catalog has no such key. */
export function findPlanRole(key: string): PlanRole | undefined {
  return byKey.get(key);
}
