// SPDX-License-Identifier: Apache-2.0
// Acknowledges, closes or comments on an indicator alert, with a note (required for a comment).
import { App, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { IndicatorAlert } from '../../../../contracts/indicators.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { indicatorsApi } from './indicators-api.ts';

export type AlertActionName = 'acknowledge' | 'close' | 'comment';

type Props = {
  acting: { alert: IndicatorAlert; action: AlertActionName } | null;
  onClose: () => void;
  onDone: (alert: IndicatorAlert) => void;
};

export function AlertActionDialog({ acting, onClose, onDone }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const action = acting?.action;

  useEffect(() => {
    if (!acting) return;
    form.resetFields();
    setError(undefined);
  }, [acting, form]);

  const submit = async (v: { note?: string }) => {
    if (!acting) return;
    const note = v.note?.trim() || undefined;
    setBusy(true);
    setError(undefined);
    try {
      const updated = await indicatorsApi.actOnAlert(acting.alert.id, { action: acting.action, ...(note ? { note } : {}) });
      message.success(t('indicator.alertActionDone', { action: t(`indicator.alertAction.${acting.action}`) }));
      onDone(updated);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={acting !== null}
      title={action ? t(`indicator.alertAction.${action}`) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      confirmLoading={busy}
      forceRender
      data-testid="alert-action-modal"
    >
      {acting && (
        <Typography.Paragraph type="secondary">
          {acting.alert.indicatorName} · {acting.alert.regionName ?? acting.alert.regionCode} · {acting.alert.period}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="alert-action-form">
        <Form.Item
          name="note"
          label={t(action === 'close' ? 'indicator.closeReason' : action === 'comment' ? 'indicator.comment' : 'indicator.noteOptional')}
          rules={action === 'comment' ? [{ required: true, whitespace: true, message: t('indicator.noteRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="alert-action-note" />
        </Form.Item>
      </Form>
      {error !== undefined && <ErrorAlert error={error} />}
    </Modal>
  );
}
