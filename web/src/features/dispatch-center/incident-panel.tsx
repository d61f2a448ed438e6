// SPDX-License-Identifier: Apache-2.0
// The selected incident in the dispatch center: its status and deadlines, its activation (plan, version, level,
// requests with what was reserved, borrowed and is missing), the live order board, the activation's tasks and
// the incident's timeline — with 启动预案, 终止响应 and the incident's own actions.
import { App, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Modal, Row, Space, Table, type TableColumnsType, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import type { ActivationDetail, ActivationRequest } from '../../../../contracts/dispatch-activations.ts';
import type { IncidentDetail } from '../../../../contracts/dispatch-incidents.ts';
import type { Task } from '../../../../contracts/tasks.ts';
import type { Warning } from '../../../../contracts/dispatch-warnings.ts';
import { navigate } from '../../app/router.ts';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { RegionName } from '../../components/region-name.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatNumber, formatShortDateTime, formatTime } from '../../lib/format.ts';
import { GradeTag, StatusTag } from '../incidents/incident-labels.tsx';
import { timelineNote, timelineTitle } from '../incidents/timeline-text.ts';
import { TaskDeadline, TaskStatusTag } from '../tasks/task-labels.tsx';
import { dispatchApi } from './dispatch-api.ts';
import { ActivationStatusTag, type ResourceTypeInfo } from './dispatch-labels.tsx';
import { dueOf } from './incident-queue.tsx';
import { OrderBoard } from './order-board.tsx';
import { ProblemAlert } from './problem-alert.tsx';

const OPEN = ['reported', 'verified', 'responding'];

type Props = {
  incident: IncidentDetail;
  activation: ActivationDetail | null;
  activationLoading: boolean;
  activationError: unknown;
  warnings: readonly Warning[];
  refreshedAt: string | null;
  types: ResourceTypeInfo;
  onActivate: () => void;
  onOpenIncident: () => void;
  onRefresh: () => void;
  onChanged: () => void;
};

export function IncidentPanel({ incident: i, activation: a, activationLoading, activationError, warnings, refreshedAt, types, onActivate, onOpenIncident, onRefresh, onChanged }: Props) {
  const { t, lang } = useI18n();
  const can = useCan();
  const [standingDown, setStandingDown] = useState(false);
  const commands = can('incident:manage') && can('resource:dispatch');
  const running = a?.status === 'active' ? a : null;
  const mayActivate = commands && OPEN.includes(i.status) && running === null && !activationLoading && activationError === undefined;
  const due = dueOf(i);

  return (
    <Card
      size="small"
      data-testid="incident-panel"
      data-id={i.id}
      title={
        <Flex gap={8} align="center" wrap style={{ padding: '6px 0' }}>
          <GradeTag grade={i.grade} />
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="panel-title">{i.title}</Typography.Text>
          <StatusTag status={i.status} />
          {i.exercise && <Tag color="purple">{t('incident.exercise')}</Tag>}
          {i.overdue && <Tag color="red">{t('incident.overdue')}</Tag>}
        </Flex>
      }
      extra={
        <Space wrap>
          <Button onClick={onOpenIncident} data-testid="panel-open-incident">{t('dispatch.openIncident')}</Button>
          {mayActivate && (
            <Button type={a ? 'default' : 'primary'} danger onClick={onActivate} data-testid="panel-activate">
              {t('activation.activate')}
            </Button>
          )}
          {commands && running && (
            <Button danger onClick={() => setStandingDown(true)} data-testid="panel-stand-down">
              {t('activation.standDown')}
            </Button>
          )}
        </Space>
      }
    >
      <Flex gap={24} wrap className="yz-mb-12" style={{ fontSize: 13 }}>
        <span>
          <Typography.Text type="secondary">{t('incident.type')}{t('common.colon')}</Typography.Text>
          {lang === 'en' ? i.typeNameEn : i.typeName}
        </span>
        <span>
          <Typography.Text type="secondary">{t('incident.region')}{t('common.colon')}</Typography.Text>
          {i.regionName ?? i.regionCode}
        </span>
        <span>
          <Typography.Text type="secondary">{t('incident.command')}{t('common.colon')}</Typography.Text>
          {i.commandRegionName ?? i.commandRegionCode}
        </span>
        <span>
          <Typography.Text type="secondary">{t('incident.reportedAt')}{t('common.colon')}</Typography.Text>
          {formatDateTime(i.reportedAt, lang)}
        </span>
        {due && (
          <span>
            <Typography.Text type="secondary">{t('incident.due')}{t('common.colon')}</Typography.Text>
            <Typography.Text type={i.overdue ? 'danger' : undefined}>{formatDateTime(due, lang)}</Typography.Text>
          </span>
        )}
      </Flex>
      <Flex vertical gap={16}>
        <Card
          size="small"
          type="inner"
          title={t('activation.title')}
          data-testid="activation-card"
          extra={a ? <ActivationStatusTag status={a.status} /> : undefined}
        >
          {activationError !== undefined ? (
            <ErrorAlert error={activationError} onRetry={onRefresh} />
          ) : a === null ? (
            activationLoading ? (
              <Loading minHeight={120} />
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={<span data-testid="activation-none">{OPEN.includes(i.status) ? t('activation.none') : t('activation.noneClosed')}</span>}
              >
                {mayActivate && (
                  <Button type="primary" danger onClick={onActivate}>
                    {t('activation.activate')}
                  </Button>
                )}
              </Empty>
            )
          ) : (
            <ActivationSummary a={a} warnings={warnings} types={types} />
          )}
        </Card>
        {a && (
          <Card
            size="small"
            type="inner"
            title={t('order.board')}
            data-testid="order-board-card"
            extra={
              <Space size={8}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="board-refreshed">
                  {refreshedAt ? t('order.refreshed', { at: formatTime(refreshedAt, lang) }) : ''}
                </Typography.Text>
                <Button size="small" onClick={onRefresh}>{t('order.refresh')}</Button>
              </Space>
            }
          >
            <OrderBoard orders={a.orders} types={types} onChanged={onChanged} />
          </Card>
        )}
        <Row gutter={[16, 16]}>
          {a && (
            <Col xs={24} lg={12}>
              <Card size="small" type="inner" title={t('activation.tasks', { n: a.tasks.length })} style={{ height: '100%' }}>
                <ActivationTasks tasks={a.tasks} />
              </Card>
            </Col>
          )}
          <Col xs={24} lg={a ? 12 : 24}>
            <Card size="small" type="inner" title={t('incident.timeline')} style={{ height: '100%' }}>
              <IncidentTimeline incident={i} activation={a} />
            </Card>
          </Col>
        </Row>
      </Flex>
      {running && (
        <StandDownDialog
          open={standingDown}
          activationId={running.id}
          onClose={() => setStandingDown(false)}
          onDone={() => {
            setStandingDown(false);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

/** The plan, version and level that run, the requests with what was found, and the warnings issued. */
function ActivationSummary({ a, warnings, types }: { a: ActivationDetail; warnings: readonly Warning[]; types: ResourceTypeInfo }) {
  const { t, lang } = useI18n();
  const unit = (code: string) => (lang === 'en' ? '' : types.unit(code));
  const columns: TableColumnsType<ActivationRequest> = [
    {
      key: 'type',
      title: t('activation.resourceType'),
      render: (_, r) => (
        <Flex gap={6} align="center" wrap>
          <span>{types.name(r.resourceType)}</span>
          {r.capability && <Tag>{r.capability}</Tag>}
        </Flex>
      ),
    },
    { key: 'need', title: t('activation.requested'), width: 110, align: 'right', render: (_, r) => `${formatNumber(r.quantity, lang)} ${unit(r.resourceType)}` },
    { key: 'reserved', title: t('activation.reserved'), width: 110, align: 'right', render: (_, r) => formatNumber(r.reserved, lang) },
    { key: 'borrowed', title: t('activation.borrowed'), width: 90, align: 'right', render: (_, r) => (r.borrowed > 0 ? <Typography.Text type="warning">{formatNumber(r.borrowed, lang)}</Typography.Text> : '0') },
    {
      key: 'shortfall',
      title: t('activation.shortfall'),
      width: 90,
      align: 'right',
      render: (_, r) => (r.shortfall > 0 ? <Typography.Text type="danger" strong data-testid="request-shortfall">{formatNumber(r.shortfall, lang)}</Typography.Text> : <Typography.Text type="success">0</Typography.Text>),
    },
  ];
  return (
    <Flex vertical gap={12}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'plan', label: t('activation.plan'), children: <Typography.Link onClick={() => navigate(`/plans/${a.plan.id}`)} data-testid="activation-plan">{a.plan.name}</Typography.Link> },
          { key: 'version', label: t('activation.version'), children: <span data-testid="activation-version">{`${a.plan.code} · v${a.version}`}</span> },
          { key: 'level', label: t('activation.level'), children: <span data-testid="activation-level" data-level={a.level}><GradeTag grade={a.level} /></span> },
          { key: 'by', label: t('activation.activatedBy'), children: `${a.activatedByName} · ${formatShortDateTime(a.activatedAt, lang)}` },
          { key: 'binding', label: t('activation.bindingRegion'), children: <RegionName code={a.bindingRegionCode} /> },
          {
            key: 'summary',
            label: t('activation.progress'),
            children: t('activation.progressText', { open: a.summary.openOrders, orders: a.summary.orders }),
          },
          ...(a.stoodDownAt ? [{ key: 'down', label: t('activation.stoodDownAt'), children: formatShortDateTime(a.stoodDownAt, lang) }] : []),
          ...(a.note ? [{ key: 'note', label: t('activation.note'), children: a.note, span: 'filled' as const }] : []),
        ]}
      />
      {a.exercise && <Tag color="purple" style={{ alignSelf: 'flex-start' }}>{t('activation.exercise')}</Tag>}
      <Table<ActivationRequest> size="small" rowKey="id" columns={columns} dataSource={a.requests} pagination={false} data-testid="activation-requests" onRow={(r) => ({ 'data-testid': 'activation-request', 'data-type': r.resourceType }) as React.HTMLAttributes<HTMLElement>} />
      {warnings.length > 0 && (
        <Flex gap={6} wrap align="center" data-testid="activation-warnings">
          <Typography.Text type="secondary">{t('activation.warningsIssued')}</Typography.Text>
          {warnings.map((w) => (
            <Tag key={w.id} color={w.status === 'active' ? 'orange' : 'default'} style={{ cursor: 'pointer' }} onClick={() => navigate(`/warnings/${w.id}`)}>
              {lang === 'en' ? w.en.headline : w.zh.headline} · {t(`warning.status.${w.status}`)}
            </Tag>
          ))}
        </Flex>
      )}
    </Flex>
  );
}

/** The tasks made from the plan's steps, in the plan's order. */
function ActivationTasks({ tasks }: { tasks: readonly Task[] }) {
  const { t } = useI18n();
  const titleOf = (id: string) => tasks.find((x) => x.id === id)?.title ?? id;
  return (
    <List<Task>
      size="small"
      dataSource={[...tasks].sort((x, y) => (x.deadline ?? '').localeCompare(y.deadline ?? ''))}
      data-testid="activation-tasks"
      locale={{ emptyText: t('activation.noTasks') }}
      renderItem={(x) => (
        <List.Item data-testid="activation-task" data-status={x.status} style={{ paddingInline: 0 }}>
          <Flex vertical gap={2} style={{ width: '100%', minWidth: 0 }}>
            <Flex gap={6} align="center">
              <TaskStatusTag status={x.status} />
              <Typography.Link ellipsis onClick={() => navigate(`/tasks/${x.id}`)} style={{ flex: 1, minWidth: 0 }}>
                {x.title}
              </Typography.Link>
            </Flex>
            <Flex justify="space-between" gap={8} style={{ fontSize: 12 }}>
              <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, minWidth: 0 }}>
                {x.organizationName}
                {x.responsibleName ? ` · ${x.responsibleName}` : ''}
              </Typography.Text>
              <span style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                <TaskDeadline task={x} short />
              </span>
            </Flex>
            {x.waitingOn.length > 0 && (
              <Tooltip title={x.waitingOn.map(titleOf).join(t('common.listSeparator'))}>
                <Typography.Text type="warning" style={{ fontSize: 12 }}>
                  {t('task.waitingOnCount', { n: x.waitingOn.length })}
                </Typography.Text>
              </Tooltip>
            )}
          </Flex>
        </List.Item>
      )}
    />
  );
}

/** The incident's timeline, newest first; dispatch orders named by their resource. */
function IncidentTimeline({ incident, activation }: { incident: IncidentDetail; activation: ActivationDetail | null }) {
  const { t, lang } = useI18n();
  const nameOf = (orderId: string) => activation?.orders.find((o) => o.id === orderId)?.resourceName;
  const entries = [...incident.timeline].reverse();
  return (
    <div className="yz-panel-scroll">
      <Timeline
        data-testid="panel-timeline"
        items={entries.map((e) => {
          const note = timelineNote(e, t, nameOf);
          return {
            key: e.id,
            color: e.action === 'supervised' || e.action === 'escalated' ? 'red' : e.action === 'activated' ? 'orange' : e.action === 'stood-down' ? 'gray' : e.toStatus ? 'blue' : 'green',
            content: (
              <Flex vertical data-testid="panel-timeline-entry" data-action={e.action}>
                <span>
                  <Typography.Text strong>{timelineTitle(e, t)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}> · {e.actor} · {formatShortDateTime(e.at, lang)}</Typography.Text>
                </span>
                {note && <Typography.Text style={{ fontSize: 13 }}>{note}</Typography.Text>}
              </Flex>
            ),
          };
        })}
      />
    </div>
  );
}

/** 终止响应: a required note; orders still out are released and open tasks cancelled. */
function StandDownDialog({ open, activationId, onClose, onDone }: { open: boolean; activationId: string; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (v: { note: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await dispatchApi.standDown(activationId, v.note.trim());
      message.success(t('activation.stoodDown'));
      form.resetFields();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('activation.standDown')}
      onCancel={() => {
        form.resetFields();
        setError(undefined);
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('activation.standDownOk')}
      okButtonProps={{ danger: true }}
      confirmLoading={busy}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t('activation.standDownHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="note" label={t('activation.standDownNote')} rules={[{ required: true, whitespace: true, message: t('activation.standDownNoteRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="stand-down-note" />
        </Form.Item>
      </Form>
      {error !== undefined && <ProblemAlert error={error} />}
    </Modal>
  );
}
