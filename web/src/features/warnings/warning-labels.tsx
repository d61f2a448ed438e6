// SPDX-License-Identifier: Apache-2.0
// A warning's status as a tag.
import { Tag } from 'antd';
import type { WarningStatus } from '../../../../contracts/dispatch-warnings.ts';
import { useI18n } from '../../i18n/i18n.tsx';

const STATUS_COLORS: Record<WarningStatus, string> = { active: 'red', expired: 'default', cancelled: 'default' };

export function WarningStatusTag({ status }: { status: WarningStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLORS[status]}>{t(`warning.status.${status}`)}</Tag>;
}
