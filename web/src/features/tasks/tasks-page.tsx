// SPDX-License-Identifier: Apache-2.0
// 任务: my tasks (those I am responsible for and the unassigned ones of my organization) and all the tasks of my
// scope — filtered, sorted and paged, as a list or a board by status — and a drawer per task. `#/tasks[/<id>]`.
import { AppstoreOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Card, Checkbox, Empty, Flex, Input, Segmented, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { OPEN_TASK_STATUSES, TASK_KINDS, type Task, type TaskKind, type TaskStatus } from '../../../../contracts/tasks.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { TaskDrawer } from './task-drawer.tsx';
import { TaskDeadline, TaskPriorityTag, TaskStatusTag } from './task-labels.tsx';
import { TASK_STATUS_LIST, type TaskFilter, type TaskSort, tasksApi } from './tasks-api.ts';
import { tablePagination } from '../../lib/paging.ts';

type Scope = 'mine' | 'all';
type View = 'list' | 'board';
/** Cards the board shows at most (the list pages through the rest). */
const BOARD_LIMIT = 200;

export default function TasksPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const openId = params[0] ?? null;
  const [scope, setScope] = useState<Scope>('mine');
  const [view, setView] = useState<View>('list');
  const [qInput, setQInput] = useState('');
  const q = useDebounced(qInput.trim(), 300);
  const [status, setStatus] = useState<TaskStatus | 'open' | undefined>('open');
  const [kind, setKind] = useState<TaskKind | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [exercise, setExercise] = useState<'true' | 'false' | undefined>();
  const [sort, setSort] = useState<TaskSort>('deadline');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [tick, setTick] = useState(0);
  const filter: TaskFilter = { mine: scope === 'mine', status, kind, overdue, exercise, q: q || undefined, sort };
  const filterKey = JSON.stringify(filter);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [filterKey]);

  const list = useAsync(
    (signal) => (view === 'board' ? tasksApi.list(filter, BOARD_LIMIT, 0, signal) : tasksApi.list(filter, page.pageSize, (page.current - 1) * page.pageSize, signal)),
    [filterKey, view, page.current, page.pageSize, tick],
  );
  const open = (id: string | null) => navigate(id ? `/tasks/${encodeURIComponent(id)}` : '/tasks');

  const columns: TableColumnsType<Task> = [
    {
      key: 'title',
      title: t('task.titleCol'),
      render: (_, x) => (
        <Flex vertical>
          <Typography.Link strong onClick={() => open(x.id)} data-testid="task-link" data-id={x.id}>
            {x.title}
          </Typography.Link>
          <Flex gap={4} wrap align="center" style={{ marginTop: 2 }}>
            <Tag color={x.source.kind === 'activation' ? 'volcano' : 'default'} style={{ marginInlineEnd: 0 }}>{t(`task.source.${x.source.kind}`)}</Tag>
            {x.exercise && <Tag color="purple" style={{ marginInlineEnd: 0 }}>{t('incident.exercise')}</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.regionName ?? x.regionCode}</Typography.Text>
            {x.waitingOn.length > 0 && <Tag color="warning" style={{ marginInlineEnd: 0 }}>{t('task.waitingOnCount', { n: x.waitingOn.length })}</Tag>}
          </Flex>
        </Flex>
      ),
    },
    { key: 'status', title: t('task.status'), width: 100, render: (_, x) => <TaskStatusTag status={x.status} /> },
    { key: 'priority', title: t('task.priority'), width: 90, render: (_, x) => <TaskPriorityTag priority={x.priority} /> },
    {
      key: 'who',
      title: t('task.organization'),
      width: 220,
      render: (_, x) => (
        <Flex vertical>
          <span>{x.organizationName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {x.responsibleName ?? t('task.unassigned')}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'deadline', title: t('task.deadline'), width: 220, render: (_, x) => <TaskDeadline task={x} /> },
    { key: 'created', title: t('common.createdAt'), width: 170, render: (_, x) => formatDateTime(x.createdAt, lang) },
  ];

  const items = list.data?.items ?? [];
  const boardColumns: readonly TaskStatus[] = status === 'open' ? OPEN_TASK_STATUSES : status ? [status] : TASK_STATUS_LIST;

  return (
    <>
      <PageHeader title={t('task.title')} subtitle={t('task.subtitle')} />
      <Card size="small">
        <Flex justify="space-between" align="center" gap={12} wrap className="yz-mb-12">
          <Segmented<Scope>
            value={scope}
            onChange={setScope}
            options={[
              { value: 'mine', label: <span data-testid="tasks-mine">{t('task.mine')}</span> },
              { value: 'all', label: <span data-testid="tasks-all">{t('task.all')}</span> },
            ]}
          />
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              { value: 'list', icon: <UnorderedListOutlined />, label: <span data-testid="tasks-view-list">{t('task.viewList')}</span> },
              { value: 'board', icon: <AppstoreOutlined />, label: <span data-testid="tasks-view-board">{t('task.viewBoard')}</span> },
            ]}
          />
        </Flex>
        <Flex gap={12} wrap className="yz-mb-12">
          <Input.Search allowClear placeholder={t('task.searchPlaceholder')} value={qInput} onChange={(e) => setQInput(e.target.value)} style={{ width: 220 }} data-testid="task-search" />
          <Select<TaskStatus | 'open'>
            allowClear
            placeholder={t('task.allStatuses')}
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
            options={[{ value: 'open' as const, label: t('task.status.open') }, ...TASK_STATUS_LIST.map((s) => ({ value: s, label: t(`task.status.${s}`) }))]}
            data-testid="task-filter-status"
          />
          <Select<TaskKind> allowClear placeholder={t('task.allKinds')} value={kind} onChange={setKind} style={{ width: 130 }} options={TASK_KINDS.map((k) => ({ value: k, label: t(`task.kind.${k}`) }))} />
          <Select
            style={{ width: 150 }}
            value={exercise ?? 'all'}
            onChange={(v: string) => setExercise(v === 'true' || v === 'false' ? v : undefined)}
            options={[
              { value: 'all', label: t('incident.exerciseAll') },
              { value: 'false', label: t('task.exerciseReal') },
              { value: 'true', label: t('incident.exerciseOnly') },
            ]}
          />
          <Select<TaskSort>
            style={{ width: 160 }}
            value={sort}
            onChange={setSort}
            options={[
              { value: 'deadline', label: t('task.sort.deadline') },
              { value: '-deadline', label: t('task.sort.-deadline') },
              { value: 'priority', label: t('task.sort.priority') },
              { value: '-created', label: t('task.sort.-created') },
              { value: 'created', label: t('task.sort.created') },
            ]}
            data-testid="task-sort"
          />
          <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} style={{ alignSelf: 'center' }} data-testid="task-filter-overdue">
            {t('task.overdueOnly')}
          </Checkbox>
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        {view === 'list' ? (
          <Table<Task>
            data-testid="task-table"
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items}
            loading={list.loading}
            rowClassName={(x) => (x.id === openId ? 'ant-table-row-selected' : '')}
            onRow={(x) => ({ onDoubleClick: () => open(x.id) })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="task-empty">{t(scope === 'mine' ? 'task.emptyMine' : 'task.empty')}</span>} /> }}
            pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
          />
        ) : !list.data && list.loading ? (
          <Loading />
        ) : (
          <>
            <div className="yz-kanban" data-testid="task-board">
              {boardColumns.map((s) => {
                const cards = items.filter((x) => x.status === s);
                return (
                  <div key={s} className="yz-kanban-column" data-testid="task-board-column" data-status={s}>
                    <Flex justify="space-between" align="center">
                      <TaskStatusTag status={s} />
                      <Typography.Text type="secondary">{cards.length}</Typography.Text>
                    </Flex>
                    {cards.map((x) => (
                      <button type="button" key={x.id} className="yz-kanban-card" onClick={() => open(x.id)} data-testid="task-card" data-id={x.id}>
                        <Typography.Text strong style={{ display: 'block' }}>{x.title}</Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                          {x.organizationName}
                          {x.responsibleName ? ` · ${x.responsibleName}` : ''}
                        </Typography.Text>
                        <Flex justify="space-between" align="center" gap={4} wrap style={{ marginTop: 4, fontSize: 12 }}>
                          <TaskPriorityTag priority={x.priority} />
                          <span style={{ fontSize: 12 }}>
                            <TaskDeadline task={x} short />
                          </span>
                        </Flex>
                      </button>
                    ))}
                    {cards.length === 0 && <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12, fontSize: 12, textAlign: 'center' }}>{t('task.boardEmpty')}</Typography.Text>}
                  </div>
                );
              })}
            </div>
            {(list.data?.total ?? 0) > items.length && (
              <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
                {t('task.boardTruncated', { shown: items.length, total: list.data?.total ?? 0 })}
              </Typography.Text>
            )}
          </>
        )}
      </Card>
      <TaskDrawer id={openId} onClose={() => open(null)} onChanged={() => setTick((x) => x + 1)} />
    </>
  );
}
