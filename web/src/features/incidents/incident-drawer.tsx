// SPDX-License-Identifier: Apache-2.0
// One incident: its facts, deadlines and timeline, and the actions its status allows.
import { App, Button, Descriptions, Drawer, Flex, Form, Input, Modal, Rate, Result, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { GRADES, type Grade, type IncidentAction, type IncidentDetail, type IncidentStatus } from '../../../../contracts/dispatch-incidents.ts';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';
import { ApiError } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { incidentsApi } from './incidents-api.ts';
import { GradeTag, StatusTag } from './incident-labels.tsx';
import { timelineNote, timelineTitle } from './timeline-text.ts';

type Kind = IncidentAction['action'];
/** The actions each status offers (the server decides; out of turn is a 409). */
const ACTIONS: Record<IncidentStatus, Kind[]> = {
  reported: ['verify', 'reject', 'regrade', 'comment'],
  verified: ['respond', 'regrade', 'comment'],
  responding: ['resolve', 'regrade', 'comment'],
  resolved: ['evaluate', 'comment'],
  evaluated: ['close', 'comment'],
  closed: ['comment'],
  rejected: ['comment'],
};
const NOTE_REQUIRED: readonly Kind[] = ['reject', 'resolve', 'regrade', 'comment'];

type Props = { id: string | null; onClose: () => void; onChanged: () => void };
type Values = { note?: string; grade?: Grade; rating?: number };

export function IncidentDrawer({ id, onClose, onChanged }: Props) {
  const { t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  // While the drawer closes it keeps showing the incident it showed; another incident shows once loaded.
  const [shownId, setShownId] = useState(id);
  if (id !== null && id !== shownId) setShownId(id);
  const incident = useAsync((signal) => (shownId ? incidentsApi.get(shownId, signal) : undefined), [shownId]);
  const [acting, setActing] = useState<Kind | null>(null);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const d = incident.data?.id === shownId ? incident.data : undefined;

  const submit = async (v: Values) => {
    if (!d || !acting) return;
    const note = v.note?.trim() || undefined;
    const body = ((): IncidentAction => {
      switch (acting) {
        case 'evaluate':
          return { action: 'evaluate', rating: v.rating ?? 5, ...(note ? { note } : {}) };
        case 'regrade':
          return { action: 'regrade', grade: v.grade ?? d.grade, note: note ?? '' };
        case 'reject':
        case 'resolve':
        case 'comment':
          return { action: acting, note: note ?? '' };
        default:
          return { action: acting, ...(note ? { note } : {}) };
      }
    })();
    setBusy(true);
    setError(undefined);
    try {
      await incidentsApi.act(d.id, body);
      message.success(t('incident.action.done'));
      setActing(null);
      form.resetFields();
      incident.reload();
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const body = () => {
    if (incident.error !== undefined) {
      const status = incident.error instanceof ApiError ? incident.error.status : 0;
      return status === 404 || status === 403 ? <Result status={status === 404 ? '404' : '403'} title={t(status === 404 ? 'incident.notFound' : 'incident.forbidden')} /> : <ErrorAlert error={incident.error} onRetry={incident.reload} />;
    }
    if (!d) return <Loading minHeight={300} />;
    return <Details d={d} />;
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={720}
      title={d ? <Flex gap={8} align="center" wrap><span data-testid="incident-drawer-title">{d.title}</span><GradeTag grade={d.grade} /><StatusTag status={d.status} /></Flex> : t('incident.title')}
      extra={
        d && can('incident:manage') ? (
          <Space wrap>
            {ACTIONS[d.status].map((a) => (
              <Button key={a} size="small" type={a === 'comment' || a === 'regrade' || a === 'reject' ? 'default' : 'primary'} danger={a === 'reject'} onClick={() => setActing(a)} data-testid={`incident-action-${a}`}>
                {t(`incident.action.${a}`)}
              </Button>
            ))}
          </Space>
        ) : undefined
      }
      data-testid="incident-drawer"
    >
      {body()}
      <Modal open={acting !== null} title={acting ? t(`incident.action.${acting}`) : ''} onCancel={() => { setActing(null); form.resetFields(); setError(undefined); }} onOk={() => form.submit()} confirmLoading={busy} okButtonProps={{ disabled: !d }} okText={t('common.submit')} forceRender>
        <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ rating: 5 }}>
          {acting === 'regrade' && (
            <Form.Item name="grade" label={t('incident.newGrade')} rules={[{ required: true }]}>
              <Select options={GRADES.map((g) => ({ value: g, label: t(`incident.grade.${g}`) }))} data-testid="incident-action-grade" />
            </Form.Item>
          )}
          {acting === 'evaluate' && (
            <Form.Item name="rating" label={t('incident.rating')}>
              <Rate />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('incident.note')} rules={acting && NOTE_REQUIRED.includes(acting) ? [{ required: true, whitespace: true, message: t('incident.noteRequired') }] : []}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="incident-action-note" />
          </Form.Item>
        </Form>
        {error !== undefined && <ErrorAlert error={error} />}
      </Modal>
    </Drawer>
  );
}

/** The facts, deadlines and timeline of one incident. */
function Details({ d }: { d: IncidentDetail }) {
  const { t, lang } = useI18n();
  const due = d.status === 'reported' ? d.dueVerifyAt : d.status === 'verified' ? d.dueRespondAt : d.status === 'responding' ? d.dueResolveAt : null;
  return (
    <>
      <Flex gap={6} wrap style={{ marginBottom: 12 }}>
        {d.overdue && <Tag color="red">{t('incident.overdue')}</Tag>}
        {d.supervisedStage && <Tag color="volcano">{t('incident.supervised')} · {t(`incident.status.${d.supervisedStage}`)}</Tag>}
        {d.exercise && <Tag color="purple">{t('incident.exercise')}</Tag>}
        {d.escalations > 0 && <Tag color="magenta">{t('incident.escalations', { n: d.escalations })}</Tag>}
        {d.duplicateCount > 0 && <Tag>{t('incident.duplicates', { n: d.duplicateCount })}</Tag>}
      </Flex>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('incident.type')}>{lang === 'en' ? d.typeNameEn : d.typeName}</Descriptions.Item>
        <Descriptions.Item label={t('incident.source')}>{t(`incident.source.${d.source}`)}</Descriptions.Item>
        <Descriptions.Item label={t('incident.region')}>{d.regionName ?? d.regionCode}</Descriptions.Item>
        <Descriptions.Item label={t('incident.command')}>{d.commandRegionName ?? d.commandRegionCode}</Descriptions.Item>
        <Descriptions.Item label={t('incident.location')}>{d.lon !== null && d.lat !== null ? <span className="yz-mono">{d.lon.toFixed(5)}, {d.lat.toFixed(5)}</span> : t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('incident.address')}>{d.address ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('incident.reporter')}>
          {[d.reporter.name, d.reporter.phone, d.reporter.email].filter(Boolean).join(' · ') || t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('incident.reportedBy')}>{d.reportedBy} · {formatDateTime(d.reportedAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('incident.description')} span={2}>{d.description || t('common.none')}</Descriptions.Item>
        {Object.keys(d.attributes).length > 0 && (
          <Descriptions.Item label={t('incident.attributes')} span={2}>
            {Object.entries(d.attributes).map(([k, v]) => <Tag key={k}>{k}: {v}</Tag>)}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('incident.deadlines')} span={2}>
          <Flex vertical>
            {([['dueVerify', d.dueVerifyAt, d.verifiedAt], ['dueRespond', d.dueRespondAt, d.respondedAt], ['dueResolve', d.dueResolveAt, d.resolvedAt]] as const).map(([k, at, done]) => (
              <span key={k}>
                {t(`incident.${k}` as MessageKey)}: {formatDateTime(at, lang)}
                {done ? <Typography.Text type="success"> · {t('incident.done')} {formatDateTime(done, lang)}</Typography.Text> : at === due && d.overdue ? <Typography.Text type="danger"> · {t('incident.overdue')}</Typography.Text> : null}
              </span>
            ))}
          </Flex>
        </Descriptions.Item>
        {d.rating !== null && (
          <Descriptions.Item label={t('incident.rating')} span={2}>
            <Rate disabled value={d.rating} />
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('incident.timeline')}
      </Typography.Title>
      <Timeline
        data-testid="incident-timeline"
        items={d.timeline.map((e) => ({
          color: e.action === 'supervised' || e.action === 'escalated' ? 'red' : e.action === 'reject' || e.action === 'stood-down' ? 'gray' : e.toStatus ? 'blue' : 'green',
          children: (
            <Flex vertical data-testid="incident-timeline-entry" data-action={e.action}>
              <span>
                <Typography.Text strong>{timelineTitle(e, t)}</Typography.Text>
                <Typography.Text type="secondary"> · {e.actor} · {formatDateTime(e.at, lang)}</Typography.Text>
              </span>
              {timelineNote(e, t) && <span>{timelineNote(e, t)}</span>}
            </Flex>
          ),
        }))}
      />
    </>
  );
}
