// SPDX-License-Identifier: Apache-2.0
// Tags of a task's status and priority, and its deadline with the overdue flag.
import { Tag, Typography } from 'antd';
import type { Task, TaskPriority, TaskStatus } from '../../../../contracts/tasks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatShortDateTime } from '../../lib/format.ts';
import { TASK_PRIORITY_COLORS, TASK_STATUS_COLORS } from './tasks-api.ts';

export function TaskStatusTag({ status }: { status: TaskStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={TASK_STATUS_COLORS[status]} data-testid="task-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`task.status.${status}`)}
    </Tag>
  );
}

export function TaskPriorityTag({ priority }: { priority: TaskPriority }) {
  const { t } = useI18n();
  return (
    <Tag color={TASK_PRIORITY_COLORS[priority]} style={{ marginInlineEnd: 0 }}>
      {t(`task.priority.${priority}`)}
    </Tag>
  );
}

/** The deadline, red with a tag once it has passed while work is owed. */
export function TaskDeadline({ task, short = false }: { task: Pick<Task, 'deadline' | 'overdue'>; short?: boolean }) {
  const { t, lang } = useI18n();
  if (!task.deadline) return <Typography.Text type="secondary">{t('task.noDeadline')}</Typography.Text>;
  return (
    <span>
      <Typography.Text type={task.overdue ? 'danger' : undefined}>{short ? formatShortDateTime(task.deadline, lang) : formatDateTime(task.deadline, lang)}</Typography.Text>
      {task.overdue && (
        <Tag color="red" style={{ marginInlineStart: 6, marginInlineEnd: 0 }} data-testid="task-overdue">
          {t('task.overdue')}
        </Tag>
      )}
    </span>
  );
}
