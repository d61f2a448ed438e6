// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/context.ts';
import { decide, grantableRoles, separationConflict } from './access.policy.ts';
import { maskValue } from './masking.ts';

const actor = (over: Partial<Actor>): Actor => ({
  kind: 'user', userId: 'u', username: 'u', displayName: 'u', organizationId: 'o', roles: ['operator'], scopeCode: '330106000000', scopePrefix: '330106', clearance: 'internal', ...over,
});

describe('the decision point', () => {
  it('allows a granted action in scope and says why it denies', () => {
    expect(decide(actor({}), 'region:read', { regionCode: '330106001000' })).toEqual({ allow: true });
    const out = decide(actor({}), 'region:read', { regionCode: '330105001000' });
    expect(out.allow).toBe(false);
    expect(!out.allow && out.reason).toMatch(/outside the scope/);
    const role = decide(actor({}), 'audit:read');
    expect(!role.allow && role.reason).toMatch(/grants audit:read/);
    const clearance = decide(actor({}), 'region:read', { regionCode: '330106001000', classification: 'core' });
    expect(!clearance.allow && clearance.reason).toMatch(/clearance/);
  });
  it('gives the audit log to the audit admin only', () => {
    for (const role of ['system-admin', 'security-admin', 'region-admin', 'operator', 'viewer'] as const) {
      expect(decide(actor({ roles: [role], scopePrefix: '' }), 'audit:read').allow).toBe(false);
    }
    expect(decide(actor({ roles: ['audit-admin'], scopePrefix: '' }), 'audit:read').allow).toBe(true);
  });
  it('keeps the three administrator roles apart', () => {
    expect(separationConflict(['system-admin', 'audit-admin'])).toEqual(['system-admin', 'audit-admin']);
    expect(separationConflict(['system-admin', 'operator'])).toBeNull();
    expect(grantableRoles(actor({ roles: ['system-admin'] }))).not.toContain('security-admin');
    expect(grantableRoles(actor({ roles: ['security-admin'] }))).toContain('audit-admin');
    expect(grantableRoles(actor({ roles: ['operator'] }))).toEqual([]);
  });
  it('masks personal data by kind', () => {
    expect(maskValue('phone', '13812345678')).toBe('138****5678');
    expect(maskValue('id-card', '110101199003071234')).toBe('1101**********1234');
    expect(maskValue('name', '张三丰')).toBe('张**');
    expect(maskValue('email', 'li@example.cn')).toBe('l***@example.cn');
  });
});
