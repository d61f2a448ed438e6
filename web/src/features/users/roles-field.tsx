// SPDX-License-Identifier: Apache-2.0
// Chooses an account's roles under three-role separation (三员分立): of the system, security and audit
// administrators an account may hold one. The server enforces the same rule (400 role-separation).
import { Alert, Checkbox, Flex, Tag, Tooltip, Typography } from 'antd';
import type { Role } from '../../../../contracts/identity.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { BUSINESS_ROLES, ROLE_COLORS, SEPARATED_ROLES } from '../../lib/domain.ts';

type Props = {
  value?: Role[];
  onChange?: (roles: Role[]) => void;
  /** The roles the signed-in user may grant; others are shown but cannot be changed. */
  grantable: readonly Role[];
  id?: string;
};

/** The separated administrator held in `roles`, if any. */
export function heldSeparatedRole(roles: readonly Role[]): Role | undefined {
  return roles.find((r) => SEPARATED_ROLES.includes(r));
}

/** A checkbox list of roles that does not let two separated administrators be chosen together. */
export function RolesField({ value = [], onChange, grantable, id }: Props) {
  const { t } = useI18n();
  const held = heldSeparatedRole(value);

  const toggle = (role: Role, checked: boolean) => {
    const next = checked ? [...value, role] : value.filter((r) => r !== role);
    onChange?.(next);
  };

  const item = (role: Role) => {
    const checked = value.includes(role);
    const conflict = !checked && held !== undefined && SEPARATED_ROLES.includes(role);
    const mayGrant = grantable.includes(role);
    const disabled = conflict || !mayGrant;
    const why = conflict ? t('user.separationBlocked', { role: t(`role.${held}`) }) : !mayGrant ? t('user.notGrantable') : undefined;
    const box = (
      <Checkbox
        checked={checked}
        disabled={disabled}
        onChange={(e) => toggle(role, e.target.checked)}
        data-testid={`role-option-${role}`}
        data-conflict={conflict ? 'true' : undefined}
      >
        <Tag color={ROLE_COLORS[role]} variant="filled" style={{ marginInlineEnd: 0 }}>
          {t(`role.${role}`)}
        </Tag>
      </Checkbox>
    );
    return (
      <div key={role} className="yz-role-option">
        {why ? <Tooltip title={why}>{box}</Tooltip> : box}
      </div>
    );
  };

  return (
    <div id={id} data-testid="roles-field">
      <div className="yz-role-group">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('user.separationTitle')} · {t('user.separationShort')}
        </Typography.Text>
        <Flex wrap gap={4} style={{ marginTop: 4 }}>
          {SEPARATED_ROLES.map(item)}
        </Flex>
        {held && (
          <Alert
            type="info"
            showIcon
            data-testid="role-separation-hint"
            style={{ marginTop: 8 }}
            title={t('user.separationTitle')}
            description={t('user.separation', { role: t(`role.${held}`) })}
          />
        )}
      </div>
      <Flex wrap gap={4} style={{ marginTop: 12 }}>
        {BUSINESS_ROLES.map(item)}
      </Flex>
    </div>
  );
}
