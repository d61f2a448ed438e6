// SPDX-License-Identifier: Apache-2.0
// Tags for grades and statuses, coloured the way emergency staff read them (I red … IV blue).
import { Tag } from 'antd';
import type { Grade, IncidentStatus } from '../../../../contracts/dispatch-incidents.ts';
import { useI18n } from '../../i18n/i18n.tsx';

const GRADE_COLOR: Record<Grade, string> = { I: 'red', II: 'orange', III: 'gold', IV: 'blue' };
const STATUS_COLOR: Record<IncidentStatus, string> = {
  reported: 'processing', verified: 'cyan', responding: 'orange', resolved: 'green', evaluated: 'lime', closed: 'default', rejected: 'default',
};

export function GradeTag({ grade }: { grade: Grade }) {
  const { t } = useI18n();
  return <Tag color={GRADE_COLOR[grade]} data-testid="incident-grade">{t(`incident.grade.${grade}`)}</Tag>;
}

export function StatusTag({ status }: { status: IncidentStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]} data-testid="incident-status" data-status={status}>{t(`incident.status.${status}`)}</Tag>;
}
