// SPDX-License-Identifier: Apache-2.0
// How policies read: the status tag, a goal's standing against its target, its task progress, and clause
// numbers as a reader expects them.
import { Flex, Progress, Tag, Tooltip, Typography } from 'antd';
import type { Goal } from '../../../../contracts/policies.ts';
import type { Language } from '../../i18n/i18n.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { POLICY_STATUS_COLORS, type PolicyStatus } from './policies-api.ts';

export function PolicyStatusTag({ status }: { status: PolicyStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={POLICY_STATUS_COLORS[status]} data-testid="policy-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`policy.status.${status}`)}
    </Tag>
  );
}

/** Whether the goal's indicator is on target, behind it, or has no value yet. */
export function GoalStandingTag({ goal }: { goal: Pick<Goal, 'onTarget'> }) {
  const { t } = useI18n();
  const standing = goal.onTarget === null ? 'none' : goal.onTarget ? 'onTarget' : 'behind';
  return (
    <Tag color={standing === 'onTarget' ? 'green' : standing === 'behind' ? 'red' : 'default'} data-testid="goal-standing" data-standing={standing} style={{ marginInlineEnd: 0 }}>
      {t(`policy.goal.${standing}`)}
    </Tag>
  );
}

/** The goal's tasks: done of all, with the overdue ones called out. */
export function GoalProgress({ tasks }: { tasks: Goal['tasks'] }) {
  const { t } = useI18n();
  if (tasks.total === 0) return <Typography.Text type="secondary">{t('policy.goal.noTasks')}</Typography.Text>;
  const percent = Math.round((100 * tasks.done) / tasks.total);
  return (
    <Tooltip title={t('policy.goal.progressHint', { done: tasks.done, open: tasks.open, overdue: tasks.overdue })}>
      <Flex vertical gap={0} data-testid="goal-progress" data-done={tasks.done} data-total={tasks.total} style={{ minWidth: 120 }}>
        <Progress percent={percent} size="small" status={tasks.overdue > 0 ? 'exception' : percent === 100 ? 'success' : 'normal'} format={() => `${tasks.done}/${tasks.total}`} />
        {tasks.overdue > 0 && (
          <Typography.Text type="danger" style={{ fontSize: 12 }}>
            {t('policy.goal.overdueN', { n: tasks.overdue })}
          </Typography.Text>
        )}
      </Flex>
    </Tooltip>
  );
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 23 → 二十三 (up to 99). */
function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : (DIGITS[tens] ?? '')}十${ones ? (DIGITS[ones] ?? '') : ''}`;
}

/** The number a new clause is offered: 第三条, Article 3. */
export function clauseNumber(n: number, lang: Language, template: (n: string) => string): string {
  return template(lang === 'zh-CN' ? chineseNumber(n) : String(n));
}
