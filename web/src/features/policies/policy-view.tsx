// SPDX-License-Identifier: Apache-2.0
// One policy: who issued it, where and when it applies, its status (writers change it); its clauses, each
// with the goals that carry it out — the indicator's current value against the target and the progress of
// the tasks decomposed from it; and its five linkages. Writers set goals and decompose them into tasks.
import { AimOutlined, ApartmentOutlined, ArrowLeftOutlined, PartitionOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Result, Select, Table, type TableColumnsType, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import type { Clause, Goal, Policy } from '../../../../contracts/policies.ts';
import { navigate, useHashPath } from '../../app/router.ts';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { formatIndicatorValue, GapText, RegionLabel } from '../indicators/indicator-labels.tsx';
import { TaskDrawer } from '../tasks/task-drawer.tsx';
import { DecomposeDialog } from './decompose-dialog.tsx';
import { GoalForm } from './goal-form.tsx';
import { LinkageView } from './linkage-view.tsx';
import { POLICY_STATUS_LIST, type PolicyStatus, policiesApi } from './policies-api.ts';
import { GoalProgress, GoalStandingTag, PolicyStatusTag } from './policy-labels.tsx';

type Tab = 'goals' | 'linkage';

export function PolicyView({ code, tab }: { code: string; tab: Tab }) {
  const { t } = useI18n();
  const policy = useAsync((signal) => policiesApi.get(code, signal), [code]);
  const p = policy.data?.code === code ? policy.data : undefined;

  if (policy.error !== undefined && !p) {
    const status = policy.error instanceof ApiError ? policy.error.status : 0;
    return status === 404 ? (
      <Result
        status="404"
        title={t('policy.notFound')}
        data-testid="policy-not-found"
        extra={<Button onClick={() => navigate('/policies')}>{t('policy.backToList')}</Button>}
      />
    ) : (
      <ErrorAlert error={policy.error} onRetry={policy.reload} />
    );
  }
  if (!p) return <Loading minHeight={400} />;
  return <PolicyBody p={p} tab={tab} onChanged={policy.reload} />;
}

function PolicyBody({ p, tab, onChanged }: { p: Policy; tab: Tab; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const writes = can('policy:write');
  const decomposes = writes && can('task:write');
  const [tick, setTick] = useState(0);
  const goals = useAsync((signal) => policiesApi.goals(p.code, signal), [p.code, tick]);
  const [goalFor, setGoalFor] = useState<Clause | null | undefined>(undefined);
  const [decomposing, setDecomposing] = useState<Goal | null>(null);
  // a task opened here stays open while the address is the one it was opened at
  const path = useHashPath();
  const [opened, setOpened] = useState<{ id: string; at: string } | null>(null);
  const openTask = (id: string) => setOpened({ id, at: path });
  const [statusBusy, setStatusBusy] = useState(false);
  const [statusError, setStatusError] = useState<unknown>(undefined);
  const refresh = () => {
    setTick((x) => x + 1);
    onChanged();
  };

  const changeStatus = async (status: PolicyStatus) => {
    setStatusBusy(true);
    setStatusError(undefined);
    try {
      await policiesApi.setStatus(p.code, status);
      message.success(t('policy.statusChanged', { status: t(`policy.status.${status}`) }));
      onChanged();
    } catch (err) {
      setStatusError(err);
    } finally {
      setStatusBusy(false);
    }
  };

  const columns: TableColumnsType<Goal> = [
    {
      key: 'title',
      title: t('policy.goal.titleCol'),
      render: (_, g) => (
        <Flex vertical>
          <Typography.Text strong data-testid="goal-title">{g.title}</Typography.Text>
          <Typography.Link onClick={() => navigate(`/indicators/${encodeURIComponent(g.indicatorCode)}/${g.regionCode}`)} style={{ fontSize: 12 }} data-testid="goal-indicator" data-code={g.indicatorCode}>
            {g.indicatorName}
          </Typography.Link>
        </Flex>
      ),
    },
    {
      key: 'region',
      title: t('policy.goal.regionPeriod'),
      width: 150,
      render: (_, g) => (
        <Flex vertical>
          <RegionLabel code={g.regionCode} name={g.regionName} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{g.period}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'target', title: t('policy.goal.target'), width: 100, render: (_, g) => <span style={{ whiteSpace: 'nowrap' }}>{formatIndicatorValue(g.target, g.unit, lang)}</span> },
    {
      key: 'current',
      title: t('policy.goal.current'),
      width: 110,
      render: (_, g) => <span style={{ whiteSpace: 'nowrap' }} data-testid="goal-current">{g.current === null ? t('indicator.noValue') : formatIndicatorValue(g.current, g.unit, lang)}</span>,
    },
    { key: 'gap', title: t('indicator.gap'), width: 120, render: (_, g) => <GapText gap={g.gap} direction={g.direction} unit={g.unit} /> },
    { key: 'standing', title: t('policy.goal.standing'), width: 90, render: (_, g) => <GoalStandingTag goal={g} /> },
    { key: 'progress', title: t('policy.goal.progress'), width: 160, render: (_, g) => <GoalProgress tasks={g.tasks} /> },
    ...(decomposes
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 110,
            render: (_: unknown, g: Goal) => (
              <Button size="small" icon={<PartitionOutlined />} onClick={() => setDecomposing(g)} data-testid="goal-decompose">
                {t('policy.decompose')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const goalsOf = (c: Clause) => (goals.data ?? []).filter((g) => g.clauseId === c.id);

  return (
    <>
      <PageHeader
        title={
          <Flex gap={8} align="center" wrap>
            <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={() => navigate('/policies')} aria-label={t('policy.backToList')} data-testid="policy-back" />
            <span data-testid="policy-title">{p.title}</span>
            <PolicyStatusTag status={p.status} />
          </Flex>
        }
        subtitle={
          <span>
            <span className="yz-mono" data-testid="policy-code">{p.code}</span> · {p.issuerOrganizationName} · {t('policy.appliesIn')}{' '}
            <span data-testid="policy-region">
              <RegionLabel code={p.regionCode} name={p.regionName} />
            </span>{' '}
            · {t('policy.issuedOnDate', { date: formatDate(p.issuedOn) })}
          </span>
        }
        extra={
          writes ? (
            <>
              <Select<PolicyStatus>
                value={p.status}
                loading={statusBusy}
                disabled={statusBusy}
                onChange={(s) => void changeStatus(s)}
                style={{ width: 150 }}
                options={POLICY_STATUS_LIST.map((s) => ({ value: s, label: t('policy.setStatus', { status: t(`policy.status.${s}`) }) }))}
                data-testid="policy-status-select"
              />
              <Button type="primary" icon={<AimOutlined />} onClick={() => setGoalFor(null)} data-testid="goal-create">
                {t('policy.goal.create')}
              </Button>
            </>
          ) : undefined
        }
      />
      {statusError !== undefined && <ErrorAlert error={statusError} className="yz-mb-12" />}
      {p.summary && (
        <Card size="small" className="yz-mb-16" data-testid="policy-summary">
          <Typography.Text type="secondary">{t('policy.summary')}{t('common.colon')}</Typography.Text>
          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{p.summary}</Typography.Text>
        </Card>
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`/policies/${encodeURIComponent(p.code)}${k === 'linkage' ? '/linkage' : ''}`, true)}
        items={[
          {
            key: 'goals',
            label: (
              <span data-testid="policy-tab-goals">
                <AimOutlined /> {t('policy.tab.goals', { clauses: p.clauses.length, goals: goals.data?.length ?? p.goalCount })}
              </span>
            ),
            children: (
              <Flex vertical gap={12} data-testid="policy-clauses">
                {goals.error !== undefined && <ErrorAlert error={goals.error} onRetry={goals.reload} />}
                {p.clauses.map((c) => {
                  const list = goalsOf(c);
                  return (
                    <Card
                      key={c.id}
                      size="small"
                      data-testid="policy-clause"
                      data-number={c.number}
                      title={
                        <Flex gap={10} align="baseline" style={{ whiteSpace: 'normal', fontWeight: 'normal', padding: '6px 0' }}>
                          <Tag color="blue" style={{ marginInlineEnd: 0, flex: 'none' }}>{c.number}</Tag>
                          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Typography.Text>
                        </Flex>
                      }
                      extra={
                        writes ? (
                          <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setGoalFor(c)} data-testid="clause-goal-create">
                            {t('policy.goal.create')}
                          </Button>
                        ) : undefined
                      }
                    >
                      {!goals.data ? (
                        <Loading minHeight={80} />
                      ) : list.length === 0 ? (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} styles={{ image: { height: 32 } }} description={<span data-testid="clause-no-goals">{t('policy.goal.empty')}</span>} />
                      ) : (
                        <Table<Goal>
                          size="small"
                          rowKey="id"
                          columns={columns}
                          dataSource={list}
                          pagination={false}
                          data-testid="goal-table"
                          onRow={(g) => ({ 'data-testid': 'goal-row', 'data-id': g.id, 'data-indicator': g.indicatorCode } as React.HTMLAttributes<HTMLElement>)}
                        />
                      )}
                    </Card>
                  );
                })}
              </Flex>
            ),
          },
          {
            key: 'linkage',
            label: (
              <Tooltip title={t('policy.linkage.hint')}>
                <span data-testid="policy-tab-linkage">
                  <ApartmentOutlined /> {t('policy.tab.linkage')}
                </span>
              </Tooltip>
            ),
            children: tab === 'linkage' ? <LinkageView code={p.code} policyId={p.id} tick={tick} onOpenTask={openTask} /> : null,
          },
        ]}
      />
      <GoalForm
        open={goalFor !== undefined}
        policy={p}
        clause={goalFor ?? null}
        onClose={() => setGoalFor(undefined)}
        onSaved={() => {
          setGoalFor(undefined);
          refresh();
        }}
      />
      <DecomposeDialog goal={decomposing} onClose={() => setDecomposing(null)} onDone={refresh} onOpenTask={openTask} />
      <TaskDrawer id={opened && opened.at === path ? opened.id : null} onClose={() => setOpened(null)} onChanged={refresh} />
    </>
  );
}
