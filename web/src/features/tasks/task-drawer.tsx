// SPDX-License-Identifier: Apache-2.0
// One task: what is to be done, by whom and by when, the tasks it waits on, its evidence and history, and
// buttons for the actions the server says the user may take now.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Empty, Flex, Form, Input, List, Modal, Result, Select, Space, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { TASK_ACTIONS, type TaskAction, type TaskActionName, type TaskDetail, type TaskStatus } from '../../../../contracts/tasks.ts';
import { navigate } from '../../app/router.ts';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';
import { ApiError } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { OrganizationPicker } from '../organizations/organization-picker.tsx';
import { usersApi } from '../users/users-api.ts';
import { TaskDeadline, TaskPriorityTag, TaskStatusTag } from './task-labels.tsx';
import { tasksApi } from './tasks-api.ts';

type Props = { id: string | null; onClose: () => void; onChanged: () => void };
type Values = { note?: string; evidence?: Array<{ kind: 'text' | 'link'; content?: string }>; organizationId?: string | null; responsibleUserId?: string };

const NOTE_REQUIRED: readonly TaskActionName[] = ['return', 'cancel', 'comment'];
const PRIMARY: readonly TaskActionName[] = ['accept', 'start', 'submit', 'approve'];
const DANGER: readonly TaskActionName[] = ['return', 'cancel'];
const HISTORY_ACTIONS = new Set<string>([...TASK_ACTIONS, 'created', 'overdue']);

export function TaskDrawer({ id, onClose, onChanged }: Props) {
  const { t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  // While the drawer closes it keeps showing the task it showed.
  const [shownId, setShownId] = useState(id);
  if (id !== null && id !== shownId) setShownId(id);
  const task = useAsync((signal) => (shownId ? tasksApi.get(shownId, signal) : undefined), [shownId]);
  const d = task.data?.id === shownId ? task.data : undefined;
  const [acting, setActing] = useState<TaskActionName | null>(null);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const reassignOrg = Form.useWatch('organizationId', form);

  // delegating and choosing a member need the list of an organization's members (user:read)
  const listsMembers = can('user:read');
  const actions = (d?.actions ?? []).filter((a): a is TaskActionName => (TASK_ACTIONS as readonly string[]).includes(a) && (a !== 'delegate' || listsMembers));
  const membersOf = acting === 'delegate' ? (d?.organizationId ?? null) : acting === 'reassign' ? (reassignOrg ?? null) : null;
  const members = useAsync((signal) => (membersOf && listsMembers ? usersApi.list({ organizationId: membersOf }, 200, 0, signal) : undefined), [membersOf, listsMembers]);

  const close = () => {
    setActing(null);
    form.resetFields();
    setError(undefined);
  };

  const submit = async (v: Values) => {
    if (!d || !acting) return;
    const note = v.note?.trim() || undefined;
    const withNote = note ? { note } : {};
    const body = ((): TaskAction => {
      switch (acting) {
        case 'submit':
          return {
            action: 'submit',
            ...withNote,
            evidence: (v.evidence ?? []).filter((e) => e.content?.trim()).map((e) => ({ kind: e.kind, content: (e.content ?? '').trim() })),
          };
        case 'return':
        case 'cancel':
        case 'comment':
          return { action: acting, note: note ?? '' };
        case 'reassign':
          return { action: 'reassign', organizationId: v.organizationId ?? '', ...(v.responsibleUserId ? { responsibleUserId: v.responsibleUserId } : {}), ...withNote };
        case 'delegate':
          return { action: 'delegate', responsibleUserId: v.responsibleUserId ?? '', ...withNote };
        case 'pay':
          return { action: 'pay', amount: d.service?.awardedAmount ?? 0, ...withNote };
        default:
          return { action: acting, ...withNote };
      }
    })();
    setBusy(true);
    setError(undefined);
    try {
      await tasksApi.act(d.id, body);
      message.success(t('task.actionDone', { action: t(`task.action.${acting}`) }));
      close();
      task.reload();
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const body = () => {
    if (task.error !== undefined && !d) {
      const status = task.error instanceof ApiError ? task.error.status : 0;
      return status === 404 || status === 403 ? (
        <Result status={status === 404 ? '404' : '403'} title={t(status === 404 ? 'task.notFound' : 'task.forbidden')} />
      ) : (
        <ErrorAlert error={task.error} onRetry={task.reload} />
      );
    }
    if (!d) return <Loading minHeight={300} />;
    return <Details d={d} />;
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={720}
      data-testid="task-drawer"
      title={
        d ? (
          <Flex gap={8} align="center" wrap>
            <span data-testid="task-drawer-title">{d.title}</span>
            <TaskStatusTag status={d.status} />
            <TaskPriorityTag priority={d.priority} />
          </Flex>
        ) : (
          t('task.title')
        )
      }
    >
      {d && actions.length > 0 && (
        <Space wrap className="yz-mb-16" data-testid="task-actions">
          {actions.map((a) => {
            // the server refuses to start a task whose dependencies are open
            const waiting = a === 'start' && d.waitingOn.length > 0;
            const button = (
              <Button
                key={a}
                type={PRIMARY.includes(a) ? 'primary' : 'default'}
                danger={DANGER.includes(a)}
                disabled={waiting}
                onClick={() => {
                  form.resetFields();
                  setError(undefined);
                  setActing(a);
                }}
                data-testid={`task-action-${a}`}
              >
                {t(`task.action.${a}`)}
              </Button>
            );
            return waiting ? (
              <Tooltip key={a} title={t('task.waitingStart')}>
                {button}
              </Tooltip>
            ) : (
              button
            );
          })}
        </Space>
      )}
      {body()}
      <Modal
        open={acting !== null}
        title={acting ? t(`task.action.${acting}`) : ''}
        onCancel={close}
        onOk={() => form.submit()}
        okText={t('common.submit')}
        okButtonProps={{ disabled: !d }}
        confirmLoading={busy}
        width={acting === 'submit' ? 640 : 520}
        forceRender
      >
        <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ evidence: [{ kind: 'text', content: '' }] }} data-testid="task-action-form">
          {acting === 'submit' && (
            <>
              {d?.evidenceRequired && <Alert type="info" showIcon className="yz-mb-12" title={t('task.evidenceRequiredHint', { what: d.evidenceRequired })} />}
              <Form.List name="evidence">
                {(fields, { add, remove }) => (
                  <Form.Item label={t('task.evidence')}>
                    <Flex vertical gap={8}>
                      {fields.map((f) => (
                        <Flex key={f.key} gap={8} align="flex-start">
                          <Form.Item name={[f.name, 'kind']} noStyle>
                            <Select style={{ width: 100 }} options={[{ value: 'text', label: t('task.evidence.text') }, { value: 'link', label: t('task.evidence.link') }]} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'content']} noStyle>
                            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={4000} placeholder={t('task.evidencePlaceholder')} data-testid="task-evidence-content" />
                          </Form.Item>
                          <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('task.evidenceRemove')} />
                        </Flex>
                      ))}
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'text', content: '' })} style={{ alignSelf: 'flex-start' }}>
                        {t('task.evidenceAdd')}
                      </Button>
                    </Flex>
                  </Form.Item>
                )}
              </Form.List>
            </>
          )}
          {acting === 'reassign' && (
            <>
              <Form.Item name="organizationId" label={t('task.reassignTo')} rules={[{ required: true, message: t('task.organizationRequired') }]}>
                <OrganizationPicker data-testid="task-reassign-org" />
              </Form.Item>
              {listsMembers && (
                <Form.Item name="responsibleUserId" label={t('task.responsibleOptional')}>
                  <Select allowClear loading={members.loading} disabled={!reassignOrg} options={(members.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))} />
                </Form.Item>
              )}
            </>
          )}
          {acting === 'delegate' && (
            <Form.Item name="responsibleUserId" label={t('task.delegateTo')} rules={[{ required: true, message: t('task.memberRequired') }]}>
              <Select
                loading={members.loading}
                options={(members.data?.items ?? []).filter((u) => u.id !== d?.responsibleUserId).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
                notFoundContent={members.loading ? t('common.loading') : t('task.noMembers')}
              />
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={t(acting === 'return' ? 'task.returnReason' : acting === 'cancel' ? 'task.cancelReason' : 'task.note')}
            rules={acting && NOTE_REQUIRED.includes(acting) ? [{ required: true, whitespace: true, message: t('task.noteRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="task-action-note" />
          </Form.Item>
        </Form>
        {error !== undefined && <ErrorAlert error={error} />}
      </Modal>
    </Drawer>
  );
}

/** The task's facts, what it waits on, evidence and history. */
function Details({ d }: { d: TaskDetail }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const deps = useAsync(
    (signal) => (d.dependsOn.length ? Promise.all(d.dependsOn.map((x) => tasksApi.get(x, signal).catch(() => null))) : undefined),
    [d.id, d.dependsOn.join(','), d.waitingOn.join(',')],
  );
  const depTitle = (id: string) => (deps.data ? (deps.data.find((x) => x?.id === id)?.title ?? t('task.hiddenTask')) : t('common.loading'));
  const depStatus = (id: string): TaskStatus | undefined => deps.data?.find((x) => x?.id === id)?.status;

  return (
    <Flex vertical gap={16}>
      <Flex gap={6} wrap>
        {d.overdue && <Tag color="red">{t('task.overdue')}</Tag>}
        {d.exercise && <Tag color="purple">{t('incident.exercise')}</Tag>}
        <Tag>{t(`task.kind.${d.kind}`)}</Tag>
        <Tag color={d.source.kind === 'activation' ? 'volcano' : 'default'}>{t(`task.source.${d.source.kind}`)}</Tag>
      </Flex>
      {d.waitingOn.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="task-waiting"
          title={t('task.waitingTitle', { n: d.waitingOn.length })}
          description={d.waitingOn.map(depTitle).join(t('common.listSeparator'))}
        />
      )}
      <Descriptions size="small" column={2} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('task.organization')}>{d.organizationName}</Descriptions.Item>
        <Descriptions.Item label={t('task.responsible')}>
          {d.responsibleName ?? <Typography.Text type="secondary">{t('task.unassigned')}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('task.region')}>{d.regionName ?? d.regionCode}</Descriptions.Item>
        <Descriptions.Item label={t('task.deadline')}>
          <TaskDeadline task={d} />
        </Descriptions.Item>
        <Descriptions.Item label={t('task.createdBy')}>
          {d.createdByName} · {formatDateTime(d.createdAt, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('task.sourceLabel')}>
          {d.source.kind === 'activation' ? (
            <Flex vertical>
              <span>{t('task.sourceStep', { key: d.source.key ?? '—' })}</span>
              {d.incidentId && can('incident:read') && (
                <Typography.Link onClick={() => navigate(`/dispatch-center/${d.incidentId}`)} data-testid="task-incident-link">
                  {t('task.openIncident')}
                </Typography.Link>
              )}
            </Flex>
          ) : (
            t('task.source.manual')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('task.description')} span={2}>
          {d.description || t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('task.evidenceRequired')} span={2}>
          {d.evidenceRequired || t('common.none')}
        </Descriptions.Item>
        {d.dependsOn.length > 0 && (
          <Descriptions.Item label={t('task.dependsOn')} span={2}>
            <Flex vertical gap={4} data-testid="task-depends">
              {d.dependsOn.map((x) => {
                const s = depStatus(x);
                return (
                  <Flex key={x} gap={6} align="center">
                    {s ? <TaskStatusTag status={s} /> : null}
                    <Typography.Link onClick={() => navigate(`/tasks/${x}`)}>{depTitle(x)}</Typography.Link>
                  </Flex>
                );
              })}
            </Flex>
          </Descriptions.Item>
        )}
      </Descriptions>
      {d.subtasks.length > 0 && (
        <div>
          <Typography.Title level={5}>{t('task.subtasks')}</Typography.Title>
          <List
            size="small"
            dataSource={d.subtasks}
            renderItem={(s) => (
              <List.Item>
                <Flex gap={6} align="center">
                  <TaskStatusTag status={s.status} />
                  <Typography.Link onClick={() => navigate(`/tasks/${s.id}`)}>{s.title}</Typography.Link>
                  <Typography.Text type="secondary">{s.organizationName}</Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        </div>
      )}
      <div>
        <Typography.Title level={5}>{t('task.evidence')}</Typography.Title>
        {d.evidence.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('task.noEvidence')} />
        ) : (
          <List
            size="small"
            bordered
            dataSource={d.evidence}
            data-testid="task-evidence"
            renderItem={(e) => (
              <List.Item>
                <Flex vertical style={{ minWidth: 0 }}>
                  {e.kind === 'link' ? (
                    <Typography.Link href={e.content} target="_blank" rel="noopener noreferrer" ellipsis>
                      {e.content}
                    </Typography.Link>
                  ) : (
                    <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{e.content}</Typography.Text>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`task.evidence.${e.kind}`)} · {e.addedByName} · {formatDateTime(e.addedAt, lang)}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </div>
      <div>
        <Typography.Title level={5}>{t('task.history')}</Typography.Title>
        <Timeline
          data-testid="task-history"
          items={d.history.map((h, n) => ({
            key: n,
            color: h.action === 'overdue' || h.action === 'return' || h.action === 'cancel' ? 'red' : h.toStatus === 'done' ? 'green' : 'blue',
            content: (
              <Flex vertical data-testid="task-history-entry" data-action={h.action}>
                <span>
                  <Typography.Text strong>{HISTORY_ACTIONS.has(h.action) ? t(`task.event.${h.action}` as MessageKey) : h.action}</Typography.Text>
                  {h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus && (
                    <Typography.Text type="secondary"> ({t(`task.status.${h.fromStatus}`)} → {t(`task.status.${h.toStatus}`)})</Typography.Text>
                  )}
                  <Typography.Text type="secondary"> · {h.actorName} · {formatDateTime(h.at, lang)}</Typography.Text>
                </span>
                {h.note && h.action !== 'overdue' && <span>{h.note}</span>}
              </Flex>
            ),
          }))}
        />
      </div>
    </Flex>
  );
}
