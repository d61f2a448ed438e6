// SPDX-License-Identifier: Apache-2.0
// Roles as coloured tags in the chosen language.
import { Tag } from 'antd';
import type { Role } from '../../../contracts/identity.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ROLE_COLORS } from '../lib/domain.ts';

/** One tag per role. */
export function RoleTags({ roles }: { roles: readonly Role[] }) {
  const { t } = useI18n();
  return (
    <>
      {roles.map((r) => (
        <Tag key={r} color={ROLE_COLORS[r]} style={{ marginInlineEnd: 4 }}>
          {t(`role.${r}`)}
        </Tag>
      ))}
    </>
  );
}
