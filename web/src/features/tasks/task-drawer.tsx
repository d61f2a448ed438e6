// SPDX-License-Identifier: Apache-2.0
// One task: what is to be done, by whom and by when, the tasks it waits on, its evidence and history, and
// buttons for the actions the server says the user may take now.
import { MinusCircleOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, List, Modal, Result, Select, Space, Tag, Timeline, Tooltip, Typography, Upload, type UploadProps } from 'antd';
import { useState } from 'react';
import { TASK_ACTIONS, type TaskAction, type TaskActionName, type TaskDetail, type TaskEvent, type TaskStatus } from '../../../../contracts/tasks.ts';
import { navigate, segmentsOf, useHashPath } from '../../app/router.ts';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { type Language, type Translate, useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';
import { ApiError, errorMessage } from '../../lib/api.ts';
import { formatBytes, formatDateTime, formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { OrganizationPicker } from '../organizations/organization-picker.tsx';
import { policiesApi } from '../policies/policies-api.ts';
import { Money, OfferStatusTag, StandardLists } from '../service-market/service-labels.tsx';
import { usersApi } from '../users/users-api.ts';
import { TaskDeadline, TaskPriorityTag, TaskStatusTag } from './task-labels.tsx';
import { MAX_EVIDENCE_BYTES, tasksApi } from './tasks-api.ts';

type Props = { id: string | null; onClose: () => void; onChanged: () => void };
/** The assessment of one acceptance criterion (the criteria are the task's standard's, in its order). */
type Criterion = { met?: boolean; note?: string };
type Values = {
  note?: string;
  evidence?: Array<{ kind: 'text' | 'link'; content?: string }>;
  organizationId?: string | null;
  responsibleUserId?: string;
  criteria?: Criterion[];
  amount?: number | null;
};

const NOTE_REQUIRED: readonly TaskActionName[] = ['return', 'cancel', 'comment'];
const PRIMARY: readonly TaskActionName[] = ['accept', 'start', 'submit', 'approve'];
const DANGER: readonly TaskActionName[] = ['return', 'cancel'];
const HISTORY_ACTIONS = new Set<string>([...TASK_ACTIONS, 'created', 'overdue', 'reminded', 'published', 'bid', 'awarded', 'evidence']);

export function TaskDrawer({ id, onClose, onChanged }: Props) {
  const { t, lang } = useI18n();
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
  const criteria = Form.useWatch('criteria', form);
  // a service task is accepted against every criterion of its standard: each must be ticked
  const judgesCriteria = acting === 'approve' && (d?.service?.standard.acceptanceCriteria.length ?? 0) > 0;
  const unmet = judgesCriteria ? (criteria ?? []).filter((c) => !c?.met).length : 0;
  const files = d?.evidence.filter((e) => e.kind === 'file').length ?? 0;

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

  const begin = (a: TaskActionName) => {
    form.resetFields();
    setError(undefined);
    if (a === 'approve' && d?.service) form.setFieldsValue({ criteria: d.service.standard.acceptanceCriteria.map(() => ({ met: false, note: '' })) });
    if (a === 'pay' && d?.service) form.setFieldsValue({ amount: d.service.awardedAmount });
    setActing(a);
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
        case 'approve':
          return d.service
            ? {
                action: 'approve',
                ...withNote,
                criteria: d.service.standard.acceptanceCriteria.map((criterion, i) => {
                  const c = v.criteria?.[i];
                  return { criterion, met: c?.met === true, ...(c?.note?.trim() ? { note: c.note.trim() } : {}) };
                }),
              }
            : { action: 'approve', ...withNote };
        case 'pay':
          return { action: 'pay', amount: v.amount ?? 0, ...withNote };
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
    return <Details d={d} onChanged={() => { task.reload(); onChanged(); }} />;
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
                onClick={() => begin(a)}
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
        okButtonProps={{ disabled: !d || unmet > 0 }}
        confirmLoading={busy}
        width={acting === 'submit' || judgesCriteria ? 640 : 520}
        forceRender
      >
        <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ evidence: [{ kind: 'text', content: '' }] }} data-testid="task-action-form">
          {acting === 'submit' && (
            <>
              {d?.evidenceRequired && <Alert type="info" showIcon className="yz-mb-12" title={t('task.evidenceRequiredHint', { what: d.evidenceRequired })} />}
              {files > 0 && <Alert type="success" showIcon className="yz-mb-12" title={t('task.filesKept', { n: files })} />}
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
          {judgesCriteria && (
            <Form.List name="criteria">
              {(fields) => (
                <Form.Item label={t('task.acceptance')} extra={t('task.acceptanceHint')}>
                  <Flex vertical gap={8} data-testid="task-criteria">
                    {fields.map((f) => (
                      <Flex key={f.key} vertical gap={4} className="yz-criterion" data-testid="task-criterion">
                        <Form.Item name={[f.name, 'met']} valuePropName="checked" noStyle>
                          <Checkbox data-testid="task-criterion-met">
                            <Typography.Text strong>{d?.service?.standard.acceptanceCriteria[f.name] ?? ''}</Typography.Text>
                          </Checkbox>
                        </Form.Item>
                        <Form.Item name={[f.name, 'note']} noStyle>
                          <Input size="small" maxLength={1000} placeholder={t('task.criterionNote')} data-testid="task-criterion-note" />
                        </Form.Item>
                      </Flex>
                    ))}
                  </Flex>
                </Form.Item>
              )}
            </Form.List>
          )}
          {judgesCriteria && unmet > 0 && (
            <Alert
              type="warning"
              showIcon
              className="yz-mb-12"
              data-testid="task-criteria-unmet"
              title={t('task.criteriaUnmet', { n: unmet })}
              action={
                actions.includes('return') ? (
                  <Button size="small" danger onClick={() => begin('return')} data-testid="task-criteria-return">
                    {t('task.action.return')}
                  </Button>
                ) : undefined
              }
            />
          )}
          {acting === 'pay' && d?.service && (
            <>
              <Alert
                type="info"
                showIcon
                className="yz-mb-12"
                title={t('task.payAwarded', { amount: formatNumber(d.service.awardedAmount ?? 0, lang, 2) })}
              />
              <Form.Item
                name="amount"
                label={t('task.payAmount')}
                rules={[
                  { required: true, message: t('task.payAmountRequired') },
                  {
                    validator: async (_, v: number | null) => {
                      if (v !== null && v !== undefined && (v <= 0 || v > (d.service?.awardedAmount ?? 0))) {
                        throw new Error(t('task.payOverAwarded', { amount: formatNumber(d.service?.awardedAmount ?? 0, lang, 2) }));
                      }
                    },
                  },
                ]}
              >
                <InputNumber min={0.01} precision={2} step={1000} style={{ width: 240 }} data-testid="task-pay-amount" />
              </Form.Item>
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

/** What a history entry's details add: the acceptance, the payment, the award, a bid, a file. */
function eventDetail(h: TaskEvent, t: Translate, lang: Language): string | null {
  const d = h.details;
  const money = (v: unknown) => (typeof v === 'number' ? t('market.yuan', { amount: formatNumber(v, lang, 2) }) : '');
  if (h.action === 'approve' && Array.isArray(d.acceptance)) return t('task.event.acceptance', { n: d.acceptance.length });
  if (h.action === 'pay' && typeof d.amount === 'number') return t('task.event.paid', { amount: money(d.amount) });
  if (h.action === 'awarded' && typeof d.toOrganizationName === 'string') return t('task.event.awardedTo', { org: d.toOrganizationName, amount: money(d.amount) });
  if (h.action === 'bid' && typeof d.organizationName === 'string') return t('task.event.bidBy', { org: d.organizationName, amount: money(d.amount) });
  if (h.action === 'published' && typeof d.budget === 'number') return t('task.event.publishedBudget', { amount: money(d.budget) });
  if (h.action === 'evidence' && typeof d.file === 'string') return d.file;
  if (h.action === 'reassign' && typeof d.toOrganizationName === 'string') return t('task.event.reassignedTo', { org: d.toOrganizationName });
  return null;
}

/** The policy a task decomposed from a goal serves, linked to its page. */
function PolicyTrace({ trace }: { trace: NonNullable<TaskDetail['trace']> }) {
  const { t } = useI18n();
  const [page, code] = segmentsOf(useHashPath());
  const policy = useAsync((signal) => policiesApi.get(trace.policyId, signal), [trace.policyId]);
  if (policy.error !== undefined) return <Typography.Text type="secondary">{t('task.policyHidden')}</Typography.Text>;
  if (!policy.data) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  const p = policy.data;
  const clause = p.clauses.find((c) => c.id === trace.clauseId);
  return (
    <Flex vertical>
      {page === 'policies' && code === p.code ? (
        <Typography.Text data-testid="task-policy-current" data-code={p.code}>{p.title}</Typography.Text>
      ) : (
        <Typography.Link onClick={() => navigate(`/policies/${encodeURIComponent(p.code)}`)} data-testid="task-policy-link" data-code={p.code}>
          {p.title}
        </Typography.Link>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <span className="yz-mono">{p.code}</span>
        {clause ? ` · ${clause.number}` : ''}
      </Typography.Text>
    </Flex>
  );
}

/** A service task's standard, offer, award and payment. */
function ServiceSection({ d }: { d: TaskDetail }) {
  const { t, lang } = useI18n();
  const s = d.service;
  if (!s) return null;
  return (
    <div data-testid="task-service" data-offer={s.offerStatus} data-payment={s.paymentStatus ?? 'none'}>
      <Typography.Title level={5}>{t('task.service')}</Typography.Title>
      <Descriptions size="small" column={2} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('market.budget')}>
          <Money amount={s.budget} testId="task-service-budget" />
        </Descriptions.Item>
        <Descriptions.Item label={t('market.offerStatus')}>
          <OfferStatusTag status={s.offerStatus} />
        </Descriptions.Item>
        <Descriptions.Item label={t('market.bidDeadline')}>{formatDateTime(s.bidDeadline, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('market.awardedAmount')}>
          <Money amount={s.awardedAmount} testId="task-service-awarded" />
        </Descriptions.Item>
        <Descriptions.Item label={t('task.payment')} span={2}>
          {s.paymentStatus === null ? (
            <Typography.Text type="secondary">{t('task.paymentNotDue')}</Typography.Text>
          ) : (
            <Flex gap={8} align="center" wrap data-testid="task-payment" data-status={s.paymentStatus}>
              <Tag color={s.paymentStatus === 'paid' ? 'green' : 'orange'} style={{ marginInlineEnd: 0 }}>
                {t(`task.paymentStatus.${s.paymentStatus}`)}
              </Tag>
              {s.paymentStatus === 'paid' && (
                <Typography.Text type="secondary">
                  <Money amount={s.paidAmount} testId="task-paid-amount" /> · {formatDateTime(s.paidAt, lang)}
                </Typography.Text>
              )}
            </Flex>
          )}
        </Descriptions.Item>
        {s.qualifications.length > 0 && (
          <Descriptions.Item label={t('market.qualifications')} span={2}>
            <Flex gap={4} wrap>
              {s.qualifications.map((q) => (
                <Tag key={q} color="geekblue" style={{ marginInlineEnd: 0 }}>
                  {q}
                </Tag>
              ))}
            </Flex>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('market.standard')} span={2}>
          <StandardLists standard={s.standard} />
          {s.standard.indicators.length > 0 && (
            <Flex gap={4} wrap align="center" style={{ marginTop: 4 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('market.indicators')}</Typography.Text>
              {s.standard.indicators.map((c) => (
                <Tag key={c} className="yz-mono" style={{ marginInlineEnd: 0 }}>
                  {c}
                </Tag>
              ))}
            </Flex>
          )}
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}

/**
 * The evidence section's title and, for those who may add files, an upload: the file's bytes are the request
 * body (at most MAX_EVIDENCE_BYTES); a refusal is shown below with its reason.
 */
function EvidenceHeader({ d, addsFiles, onAdded }: { d: TaskDetail; addsFiles: boolean; onAdded: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const send: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    if (!(file instanceof File)) return;
    setError(undefined);
    if (file.size > MAX_EVIDENCE_BYTES) {
      // refused here rather than after sending 10 MB: the server would answer 413
      const err = new ApiError({ type: 'about:blank', title: 'Content Too Large', status: 413, code: 'too-large' });
      setError(err);
      onError?.(err);
      return;
    }
    setBusy(true);
    tasksApi
      .addFile(d.id, file)
      .then(
        (r) => {
          onSuccess?.(r);
          message.success(t('task.fileAdded', { name: file.name }));
          onAdded();
        },
        (err: unknown) => {
          setError(err);
          if (err instanceof Error) onError?.(err);
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <Flex vertical gap={8} className="yz-mb-8">
      <Flex justify="space-between" align="center" gap={12}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('task.evidence')}
        </Typography.Title>
        {addsFiles && (
          <span data-testid="task-evidence-upload">
            <Upload showUploadList={false} multiple={false} customRequest={send}>
              <Button size="small" icon={<UploadOutlined />} loading={busy}>
                {t('task.fileUpload')}
              </Button>
            </Upload>
          </span>
        )}
      </Flex>
      {error !== undefined && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setError(undefined) }}
          data-testid="task-upload-error"
          title={t('task.fileFailed')}
          description={error instanceof ApiError && error.status === 413 ? t('task.fileTooLarge', { mb: MAX_EVIDENCE_BYTES / 1024 / 1024 }) : errorMessage(error)}
        />
      )}
    </Flex>
  );
}

/** The task's facts, what it waits on, evidence and history. */
function Details({ d, onChanged }: { d: TaskDetail; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const me = useMe();
  const deps = useAsync(
    (signal) => (d.dependsOn.length ? Promise.all(d.dependsOn.map((x) => tasksApi.get(x, signal).catch(() => null))) : undefined),
    [d.id, d.dependsOn.join(','), d.waitingOn.join(',')],
  );
  const depTitle = (id: string) => (deps.data ? (deps.data.find((x) => x?.id === id)?.title ?? t('task.hiddenTask')) : t('common.loading'));
  const depStatus = (id: string): TaskStatus | undefined => deps.data?.find((x) => x?.id === id)?.status;
  // files are added while the task is open, by its organization, its responsible person and its managers
  const closed = d.status === 'done' || d.status === 'cancelled';
  const addsFiles = !closed && (d.organizationId === me.organizationId || d.responsibleUserId === me.id || d.actions.includes('cancel'));

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
            t(`task.source.${d.source.kind}`)
          )}
        </Descriptions.Item>
        {d.trace && can('policy:read') && (
          <Descriptions.Item label={t('task.policy')} span={2}>
            <PolicyTrace trace={d.trace} />
          </Descriptions.Item>
        )}
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
      {d.service && <ServiceSection d={d} />}
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
        <EvidenceHeader d={d} addsFiles={addsFiles} onAdded={onChanged} />
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
                  {e.kind === 'file' && e.file ? (
                    <Flex gap={6} align="center" wrap>
                      <PaperClipOutlined />
                      <Typography.Link href={tasksApi.fileUrl(d.id, e.id)} download={e.file.name} data-testid="task-evidence-file" data-name={e.file.name}>
                        {e.file.name}
                      </Typography.Link>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatBytes(e.file.size, lang)} · {e.file.mediaType}
                      </Typography.Text>
                    </Flex>
                  ) : e.kind === 'link' ? (
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
                {eventDetail(h, t, lang) && <Typography.Text type="secondary" data-testid="task-history-detail">{eventDetail(h, t, lang)}</Typography.Text>}
                {h.note && h.action !== 'overdue' && <span>{h.note}</span>}
              </Flex>
            ),
          }))}
        />
      </div>
    </Flex>
  );
}
