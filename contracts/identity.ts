// SPDX-License-Identifier: Apache-2.0
// Identity and access: roles, organizations, users, sessions, tokens.
import { z } from 'zod';
import { Classification } from './common.ts';
import { RegionCode } from './regions.ts';

/** Role identifiers scripts rely on. The first three are the separated administrators (三员分立). */
export const ROLES = [
  'system-admin',
  'security-admin',
  'audit-admin',
  'region-admin',
  'operator',
  'dispatcher',
  'task-handler',
  'social-member',
  'viewer',
] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
/** No user may hold two of these. */
export const SEPARATED_ROLES: readonly Role[] = ['system-admin', 'security-admin', 'audit-admin'];

/** Government department types (部门类型). */
export const DEPARTMENT_TYPES = [
  'government-office',
  'emergency-management',
  'public-security',
  'fire-rescue',
  'health',
  'urban-management',
  'water-resources',
  'transport',
  'civil-affairs',
  'natural-resources',
  'ecology-environment',
  'big-data',
] as const;
export const DepartmentType = z.enum(DEPARTMENT_TYPES);
export type DepartmentType = z.infer<typeof DepartmentType>;

/** Kinds of social organization (社会组织). */
export const SOCIAL_TYPES = ['enterprise', 'ngo', 'volunteer-team'] as const;
export const SocialType = z.enum(SOCIAL_TYPES);
export type SocialType = z.infer<typeof SocialType>;

export const Organization = z.object({
  id: z.string(),
  kind: z.enum(['government', 'social']),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  departmentType: DepartmentType.nullable(),
  socialType: SocialType.nullable(),
  creditCode: z.string().nullable(),
  qualifications: z.array(z.string()),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type Organization = z.infer<typeof Organization>;

const Phone = z.string().regex(/^\+?[0-9][0-9-]{5,19}$/, 'not a phone number');
export const OrganizationInput = z
  .object({
    kind: z.enum(['government', 'social']),
    name: z.string().trim().min(1).max(200),
    regionCode: RegionCode,
    departmentType: DepartmentType.optional(),
    socialType: SocialType.optional(),
    creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'a unified social credit code has 18 characters').optional(),
    qualifications: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    contactName: z.string().trim().max(100).optional(),
    contactPhone: Phone.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.kind === 'government' && !o.departmentType) ctx.addIssue({ code: 'custom', path: ['departmentType'], message: 'a government organization needs a department type' });
    if (o.kind === 'government' && o.socialType) ctx.addIssue({ code: 'custom', path: ['socialType'], message: 'only social organizations have a social type' });
    if (o.kind === 'social' && !o.socialType) ctx.addIssue({ code: 'custom', path: ['socialType'], message: 'a social organization needs a social type' });
    if (o.kind === 'social' && o.departmentType) ctx.addIssue({ code: 'custom', path: ['departmentType'], message: 'only government organizations have a department type' });
  });
export type OrganizationInput = z.infer<typeof OrganizationInput>;

export const OrganizationPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    qualifications: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    contactName: z.string().trim().max(100).nullable().optional(),
    contactPhone: Phone.nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type OrganizationPatch = z.infer<typeof OrganizationPatch>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organizationId: z.string(),
  organizationName: z.string().nullable(),
  roles: z.array(Role),
  scopeCode: z.string().nullable(),
  clearance: Classification,
  phone: z.string().nullable(),
  idCard: z.string().nullable(),
  email: z.string().nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

const Username = z.string().trim().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{2,39}$/, '3–40 letters, digits, dot, dash or underscore');
export const UserInput = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(100),
    organizationId: z.string().uuid(),
    roles: z.array(Role).min(1).max(9),
    scopeCode: RegionCode.nullable(),
    clearance: Classification.default('internal'),
    password: z.string().min(1).max(200),
    phone: Phone.optional(),
    idCard: z.string().regex(/^\d{17}[\dXx]$/, 'an ID-card number has 18 characters').optional(),
    email: z.string().email().max(200).optional(),
  })
  .strict();
export type UserInput = z.infer<typeof UserInput>;

export const UserPatch = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    roles: z.array(Role).min(1).max(9).optional(),
    scopeCode: RegionCode.nullable().optional(),
    clearance: Classification.optional(),
    phone: Phone.nullable().optional(),
    email: z.string().email().max(200).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UserPatch = z.infer<typeof UserPatch>;

export const LoginInput = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict();
export type LoginInput = z.infer<typeof LoginInput>;

export const PasswordChange = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }).strict();
export type PasswordChange = z.infer<typeof PasswordChange>;

/** Who is logged in, with what they may do (the console shows sections by `permissions`). */
export const Me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organizationId: z.string(),
  organizationName: z.string().nullable(),
  roles: z.array(Role),
  scopeCode: z.string().nullable(),
  scopeName: z.string().nullable(),
  scopeNameEn: z.string().nullable(),
  clearance: Classification,
  permissions: z.array(z.string()),
  /** Roles this person may put on accounts (three-role separation decides). */
  grantableRoles: z.array(Role),
  /** The password policy's minimum length, for forms that set passwords. */
  passwordMinLength: z.number().int(),
  via: z.enum(['session', 'token']),
});
export type Me = z.infer<typeof Me>;

export const ApiTokenInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    roles: z.array(Role).min(1).max(9).optional(),
    scopeCode: RegionCode.nullable().optional(),
    expiresInDays: z.number().int().min(1).max(3650).default(90),
  })
  .strict();
export type ApiTokenInput = z.infer<typeof ApiTokenInput>;

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  roles: z.array(Role),
  scopeCode: z.string().nullable(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const FieldClassification = z.object({
  entity: z.string(),
  field: z.string(),
  classification: Classification,
  masking: z.enum(['phone', 'id-card', 'name', 'email', 'full']),
});
export type FieldClassification = z.infer<typeof FieldClassification>;
