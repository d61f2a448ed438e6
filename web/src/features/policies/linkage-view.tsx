// SPDX-License-Identifier: Apache-2.0
// The five linkages of a policy (政策、指标、任务、组织、资源联动): counts of each, the graph, the organizations
// doing its tasks and the resources they hold, and its tasks — narrowed by clicking a goal, a group of tasks
// or an organization in the graph; a task opens in the drawer, an indicator on its own page.
import { CloseOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Flex, Row, Select, Statistic, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Linkage } from '../../../../contracts/policies.ts';
import type { Task, TaskStatus } from '../../../../contracts/tasks.ts';
import { navigate } from '../../app/router.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { TaskDeadline, TaskStatusTag } from '../tasks/task-labels.tsx';
import { TASK_STATUS_LIST, tasksApi } from '../tasks/tasks-api.ts';
import { LinkageGraph, type LinkTarget } from './linkage-graph.tsx';
import { policiesApi } from './policies-api.ts';
import { tablePagination } from '../../lib/paging.ts';

type Props = { code: string; policyId: string; tick: number; onOpenTask: (id: string) => void };
type Org = Linkage['organizations'][number];
type Resource = Linkage['resources'][number];

export function LinkageView({ code, policyId, tick, onOpenTask }: Props) {
  const { t, lang } = useI18n();
  const linkage = useAsync((signal) => policiesApi.linkage(code, signal), [code, tick]);
  const l = linkage.data?.policy.code === code ? linkage.data : undefined;
  const [goalId, setGoalId] = useState<string | undefined>();
  const [organizationId, setOrganizationId] = useState<string | undefined>();
  const tasksRef = useRef<HTMLDivElement | null>(null);

  if (linkage.error !== undefined && !l) return <ErrorAlert error={linkage.error} onRetry={linkage.reload} />;
  if (!l) return <Loading minHeight={480} />;

  const focusTasks = (goal: string | undefined, org: string | undefined) => {
    setGoalId(goal);
    setOrganizationId(org);
    tasksRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const pick = (target: LinkTarget) => {
    switch (target.kind) {
      case 'task':
        onOpenTask(target.id);
        break;
      case 'tasks':
        focusTasks(target.goalId ?? undefined, target.organizationId);
        break;
      case 'goal':
        focusTasks(target.id, undefined);
        break;
      case 'organization':
        focusTasks(undefined, target.id);
        break;
      case 'indicator':
        navigate(`/indicators/${encodeURIComponent(target.code)}${target.regionCode ? `/${target.regionCode}` : ''}`);
        break;
    }
  };

  const onTarget = l.goals.filter((g) => g.onTarget === true).length;
  const behind = l.goals.filter((g) => g.onTarget === false).length;
  const social = l.organizations.filter((o) => o.kind === 'social').length;
  const resourceUnits = l.resources.reduce((s, r) => s + r.count, 0);

  const orgColumns: TableColumnsType<Org> = [
    {
      key: 'name',
      title: t('policy.linkage.organization'),
      render: (_, o) => (
        <Flex vertical>
          <Typography.Link onClick={() => focusTasks(undefined, o.id)} data-testid="linkage-org-name">
            {o.name}
          </Typography.Link>
          <span>
            <Tag color={o.kind === 'social' ? 'magenta' : 'purple'} style={{ marginInlineEnd: 0, fontSize: 11 }}>
              {t(`org.kind.${o.kind}`)}
            </Tag>
          </span>
        </Flex>
      ),
    },
    { key: 'tasks', title: t('policy.linkage.tasks'), width: 56, align: 'right', render: (_, o) => o.tasks },
    { key: 'done', title: t('task.status.done'), width: 64, align: 'right', render: (_, o) => <Typography.Text type="success">{o.done}</Typography.Text> },
    {
      key: 'overdue',
      title: t('task.overdue'),
      width: 56,
      align: 'right',
      render: (_, o) => (o.overdue > 0 ? <Typography.Text type="danger">{o.overdue}</Typography.Text> : <Typography.Text type="secondary">0</Typography.Text>),
    },
  ];
  const resourceColumns: TableColumnsType<Resource> = [
    {
      key: 'type',
      title: t('policy.linkage.resourceType'),
      render: (_, r) => (
        <Flex vertical>
          <span>{r.typeName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.organizationName}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'count', title: t('policy.linkage.count'), width: 64, align: 'right', render: (_, r) => r.count },
    { key: 'available', title: t('policy.linkage.available'), width: 64, align: 'right', render: (_, r) => r.available },
  ];

  return (
    <Flex vertical gap={12} data-testid="linkage-view">
      <Card size="small" data-testid="linkage-summary">
        <Row gutter={[16, 8]}>
          <Col xs={12} md={8} xl={4}>
            <Statistic title={t('policy.linkage.goals')} value={l.goals.length} suffix={<SummarySub text={t('policy.linkage.goalsSub', { onTarget, behind })} />} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Statistic title={t('policy.linkage.indicators')} value={l.indicators.length} />
          </Col>
          <Col xs={12} md={8} xl={6}>
            <Statistic
              title={t('policy.linkage.tasks')}
              value={l.tasks.counts.total}
              suffix={<SummarySub text={t('policy.linkage.tasksSub', { done: l.tasks.counts.done, open: l.tasks.counts.open, overdue: l.tasks.counts.overdue })} />}
            />
          </Col>
          <Col xs={12} md={8} xl={5}>
            <Statistic title={t('policy.linkage.organizations')} value={l.organizations.length} suffix={<SummarySub text={t('policy.linkage.socialN', { n: social })} />} />
          </Col>
          <Col xs={12} md={8} xl={5}>
            <Statistic title={t('policy.linkage.resources')} value={formatNumber(resourceUnits, lang)} suffix={<SummarySub text={t('policy.linkage.typesN', { n: l.resources.length })} />} />
          </Col>
        </Row>
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('policy.linkage.graphTitle')} data-testid="linkage-graph-card">
            {l.goals.length === 0 && l.tasks.items.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="linkage-empty">{t('policy.linkage.empty')}</span>} />
            ) : (
              <LinkageGraph linkage={l} onPick={pick} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={12}>
            <Card size="small" title={t('policy.linkage.organizationsTitle')}>
              <Table<Org>
                size="small"
                rowKey="id"
                columns={orgColumns}
                dataSource={l.organizations}
                pagination={l.organizations.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
                data-testid="linkage-orgs"
                onRow={(o) => ({ 'data-testid': 'linkage-org-row', 'data-id': o.id, 'data-kind': o.kind } as React.HTMLAttributes<HTMLElement>)}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policy.linkage.noOrganizations')} /> }}
              />
            </Card>
            <Card size="small" title={t('policy.linkage.resourcesTitle')}>
              <Table<Resource>
                size="small"
                rowKey={(r) => `${r.organizationId}:${r.type}`}
                columns={resourceColumns}
                dataSource={l.resources}
                pagination={l.resources.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
                data-testid="linkage-resources"
                onRow={() => ({ 'data-testid': 'linkage-resource-row' } as React.HTMLAttributes<HTMLElement>)}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policy.linkage.noResources')} /> }}
              />
            </Card>
          </Flex>
        </Col>
      </Row>
      <div ref={tasksRef}>
        <PolicyTasks
          linkage={l}
          policyId={policyId}
          tick={tick}
          goalId={goalId}
          organizationId={organizationId}
          onGoal={setGoalId}
          onClearOrganization={() => setOrganizationId(undefined)}
          onOpenTask={onOpenTask}
        />
      </div>
    </Flex>
  );
}

function SummarySub({ text }: { text: string }) {
  return <span style={{ fontSize: 12, color: 'rgba(0, 0, 0, 0.45)', marginInlineStart: 4 }}>{text}</span>;
}

type TasksProps = {
  linkage: Linkage;
  policyId: string;
  tick: number;
  goalId: string | undefined;
  organizationId: string | undefined;
  onGoal: (id: string | undefined) => void;
  onClearOrganization: () => void;
  onOpenTask: (id: string) => void;
};

/** The policy's tasks, paged, narrowed to a goal, an organization and a status. */
function PolicyTasks({ linkage, policyId, tick, goalId, organizationId, onGoal, onClearOrganization, onOpenTask }: TasksProps) {
  const { t } = useI18n();
  const [status, setStatus] = useState<TaskStatus | 'open' | undefined>();
  const [page, setPage] = useState({ current: 1, pageSize: 10 });
  const key = `${goalId}|${organizationId}|${status}`;
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [key]);
  const list = useAsync(
    (signal) => tasksApi.list({ policyId, goalId, organizationId, status, sort: 'deadline' }, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [policyId, key, page.current, page.pageSize, tick],
  );
  const orgName = linkage.organizations.find((o) => o.id === organizationId)?.name;

  const columns: TableColumnsType<Task> = [
    {
      key: 'title',
      title: t('task.titleCol'),
      render: (_, x) => (
        <Flex vertical>
          <Typography.Link onClick={() => onOpenTask(x.id)} data-testid="linkage-task-link" data-id={x.id}>
            {x.title}
          </Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.regionName ?? x.regionCode}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'org', title: t('task.organization'), width: 240, render: (_, x) => x.organizationName },
    { key: 'status', title: t('task.status'), width: 100, render: (_, x) => <TaskStatusTag status={x.status} /> },
    { key: 'deadline', title: t('task.deadline'), width: 220, render: (_, x) => <TaskDeadline task={x} /> },
  ];

  return (
    <Card
      size="small"
      title={t('policy.linkage.tasksTitle')}
      data-testid="linkage-tasks"
      extra={
        <Flex gap={8} align="center" wrap>
          {orgName && (
            <Tag closable closeIcon={<CloseOutlined />} onClose={onClearOrganization} color="purple" data-testid="linkage-tasks-org">
              {orgName}
            </Tag>
          )}
          <Select<string>
            allowClear
            size="small"
            placeholder={t('policy.linkage.allGoals')}
            value={goalId}
            onChange={(v) => onGoal(v ?? undefined)}
            style={{ width: 220 }}
            options={linkage.goals.map((g) => ({ value: g.id, label: `${g.clauseNumber} · ${g.title}` }))}
            data-testid="linkage-tasks-goal"
          />
          <Select<TaskStatus | 'open'>
            allowClear
            size="small"
            placeholder={t('task.allStatuses')}
            value={status}
            onChange={setStatus}
            style={{ width: 120 }}
            options={[{ value: 'open' as const, label: t('task.status.open') }, ...TASK_STATUS_LIST.map((s) => ({ value: s, label: t(`task.status.${s}`) }))]}
          />
        </Flex>
      }
    >
      {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
      <Table<Task>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="linkage-tasks-empty">{t('policy.linkage.noTasks')}</span>} /> }}
        pagination={tablePagination(page, setPage, list.data?.total ?? 0, t, { size: 'small' })}
      />
    </Card>
  );
}
