// SPDX-License-Identifier: Apache-2.0
// A social organization bids for a service task (or bids again, replacing its bid): an amount within the
// budget and a proposal.
import { Alert, App, Form, Input, InputNumber, Modal } from 'antd';
import { useEffect, useState } from 'react';
import type { MarketItem } from '../../../../contracts/tasks.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { marketApi } from './service-market-api.ts';

type Props = { item: MarketItem | null; onClose: () => void; onBid: () => void };
type Values = { amount: number | null; proposal: string };

export function BidDialog({ item, onClose, onBid }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [shown, setShown] = useState<MarketItem | null>(item);
  if (item !== null && item !== shown) setShown(item);
  const budget = shown?.service?.budget ?? 0;

  useEffect(() => {
    if (!item) return;
    form.resetFields();
    form.setFieldsValue({ amount: item.myBid?.amount ?? null, proposal: '' });
    setError(undefined);
  }, [item, form]);

  const submit = async (v: Values) => {
    if (!shown) return;
    setBusy(true);
    setError(undefined);
    try {
      await marketApi.bid(shown.id, { amount: v.amount ?? 0, proposal: v.proposal.trim() });
      message.success(t(shown.myBid ? 'market.rebidDone' : 'market.bidDone'));
      onBid();
    } catch (err) {
      applyFieldErrors(form, err, ['amount', 'proposal']);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={item !== null}
      title={shown ? t(shown.myBid ? 'market.rebidTitle' : 'market.bidTitle', { title: shown.title }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('market.bidSubmit')}
      confirmLoading={busy}
      forceRender
      width={560}
      data-testid="bid-modal"
    >
      {shown?.service && (
        <Alert
          type="info"
          showIcon
          className="yz-mb-16"
          title={t('market.bidBudget', { amount: formatNumber(budget, lang, 2) })}
          description={t('market.bidBy', { at: formatDateTime(shown.service.bidDeadline, lang) })}
        />
      )}
      {shown?.myBid && <Alert type="warning" showIcon className="yz-mb-16" title={t('market.rebidHint', { amount: formatNumber(shown.myBid.amount, lang, 2) })} />}
      <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="bid-form">
        <Form.Item
          name="amount"
          label={t('market.bidAmount')}
          rules={[
            { required: true, message: t('market.bidAmountRequired') },
            { validator: async (_, v: number | null) => { if (v !== null && v !== undefined && (v <= 0 || v > budget)) throw new Error(t('market.bidOverBudget', { amount: formatNumber(budget, lang, 2) })); } },
          ]}
        >
          <InputNumber min={0.01} precision={2} step={1000} style={{ width: 240 }} data-testid="bid-amount" />
        </Form.Item>
        <Form.Item name="proposal" label={t('market.proposal')} rules={[{ required: true, whitespace: true, message: t('market.proposalRequired') }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 10 }} maxLength={4000} showCount placeholder={t('market.proposalPlaceholder')} data-testid="bid-proposal" />
        </Form.Item>
      </Form>
      {error !== undefined && <ErrorAlert error={error} className="yz-mb-8" />}
    </Modal>
  );
}
