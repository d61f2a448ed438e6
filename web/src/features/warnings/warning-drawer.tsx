// SPDX-License-Identifier: Apache-2.0
// One warning: its content, the history of CAP messages it was published as, and each message's XML.
import { App, Button, Descriptions, Drawer, Flex, Input, Modal, Result, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { warningsApi } from './warnings-api.ts';
import { WarningForm } from './warning-form.tsx';
import { WarningStatusTag } from './warning-labels.tsx';

type Props = { id: string | null; onClose: () => void; onChanged: () => void };

export function WarningDrawer({ id, onClose, onChanged }: Props) {
  const { t, lang } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  // While the drawer closes it keeps showing the warning it showed; another warning shows once loaded,
  // without the XML opened in the previous one.
  const [shownId, setShownId] = useState(id);
  const [xmlUrl, setXmlUrl] = useState<string | null>(null);
  if (id !== null && id !== shownId) {
    setShownId(id);
    setXmlUrl(null);
  }
  const warning = useAsync((signal) => (shownId ? warningsApi.get(shownId, signal) : undefined), [shownId]);
  const xml = useAsync((signal) => (xmlUrl ? warningsApi.capXml(xmlUrl, signal) : undefined), [xmlUrl]);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const w = warning.data?.id === shownId ? warning.data : undefined;
  const texts = w ? (lang === 'en' ? w.en : w.zh) : undefined;

  const cancel = async () => {
    if (!w) return;
    setBusy(true);
    setError(undefined);
    try {
      await warningsApi.cancel(w.id, note.trim() ? { note: note.trim() } : {});
      message.success(t('warning.cancelled'));
      setCancelling(false);
      setNote('');
      warning.reload();
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const body = () => {
    if (warning.error !== undefined) {
      const status = warning.error instanceof ApiError ? warning.error.status : 0;
      return status === 404 || status === 403 ? <Result status={status === 404 ? '404' : '403'} title={t(status === 404 ? 'warning.notFound' : 'warning.forbidden')} /> : <ErrorAlert error={warning.error} onRetry={warning.reload} />;
    }
    if (!w || !texts) return <Loading />;
    return (
      <Flex vertical gap={16}>
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('warning.status')}>
            <WarningStatusTag status={w.status} /> {w.exercise && <Tag color="purple">{t('incident.exercise')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('warning.event')}>{texts.event}</Descriptions.Item>
          <Descriptions.Item label={t('warning.form.description')}>{texts.description}</Descriptions.Item>
          {texts.instruction && <Descriptions.Item label={t('warning.form.instruction')}>{texts.instruction}</Descriptions.Item>}
          <Descriptions.Item label={t('warning.codes')}>{[w.categories.map((c) => t(`warning.category.${c}`)).join('、'), t(`warning.urgency.${w.urgency}`), t(`warning.severity.${w.severity}`), t(`warning.certainty.${w.certainty}`)].join(' · ')}</Descriptions.Item>
          <Descriptions.Item label={t('warning.region')}>{w.regionName ?? w.regionCode}</Descriptions.Item>
          <Descriptions.Item label={t('warning.expires')}>{formatDateTime(w.expires, lang)}</Descriptions.Item>
        </Descriptions>
        <Typography.Title level={5}>{t('warning.messages')}</Typography.Title>
        <Timeline
          items={w.messages.map((m) => ({
            key: m.identifier,
            color: m.msgType === 'Cancel' ? 'gray' : m.msgType === 'Update' ? 'blue' : 'red',
            children: (
              <Flex vertical>
                <span>
                  <Tag>{m.msgType}</Tag>
                  {m.status === 'Exercise' && <Tag color="purple">Exercise</Tag>}
                  {formatDateTime(m.sent, lang)} · {m.actor}
                </span>
                {m.note && <Typography.Text type="secondary">{m.note}</Typography.Text>}
                <Typography.Text code copyable style={{ fontSize: 12 }}>{m.identifier}</Typography.Text>
                <Typography.Link onClick={() => setXmlUrl(m.url)} data-testid="warning-show-xml">{t('warning.showXml')}</Typography.Link>
              </Flex>
            ),
          }))}
        />
        {xmlUrl && (
          <Flex vertical gap={4}>
            <Typography.Text strong>{xmlUrl}</Typography.Text>
            {xml.error !== undefined ? <ErrorAlert error={xml.error} /> : <pre className="yz-cap-xml" style={{ maxHeight: 360, overflow: 'auto', fontSize: 12, background: '#f6f6f6', padding: 8 }}>{xml.data ?? ''}</pre>}
          </Flex>
        )}
      </Flex>
    );
  };

  const actions = w && w.status !== 'cancelled' && can('warning:issue') ? (
    <Space>
      <Button onClick={() => setEditing(true)} data-testid="warning-update">{t('warning.update')}</Button>
      <Button danger onClick={() => setCancelling(true)} data-testid="warning-cancel">{t('warning.cancel')}</Button>
    </Space>
  ) : undefined;

  return (
    <Drawer open={id !== null} onClose={onClose} title={texts?.headline ?? t('warning.title')} size={640} extra={actions} destroyOnHidden>
      {body()}
      <WarningForm
        open={editing}
        editing={w ?? null}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          warning.reload();
          onChanged();
        }}
      />
      <Modal open={cancelling} title={t('warning.cancel')} onCancel={() => setCancelling(false)} onOk={() => void cancel()} confirmLoading={busy} okButtonProps={{ danger: true }}>
        <Input.TextArea rows={2} maxLength={500} placeholder={t('warning.form.note')} value={note} onChange={(e) => setNote(e.target.value)} />
        {error !== undefined && <ErrorAlert error={error} />}
      </Modal>
    </Drawer>
  );
}
