// SPDX-License-Identifier: Apache-2.0
// The order board of an activation: each resource sent, where from (borrowed ones marked), how far, its status
// and times, and the buttons for the actions the server says the user may take now (acknowledge, depart,
// arrive, release — with the quantity consumed for a stock).
import { App, Button, Empty, Flex, Form, Input, InputNumber, Modal, Segmented, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { DispatchOrder, OrderAction, OrderActionName, OrderStatus } from '../../../../contracts/dispatch-activations.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorMessage } from '../../lib/api.ts';
import { formatNumber, formatShortDateTime } from '../../lib/format.ts';
import { dispatchApi, ORDER_STATUS_COLORS, ORDER_STATUS_LIST } from './dispatch-api.ts';
import { BorrowedTag, OrderStatusTag, type ResourceTypeInfo } from './dispatch-labels.tsx';

const KNOWN_ACTIONS: readonly OrderActionName[] = ['acknowledge', 'depart', 'arrive', 'release'];

function lastTime(o: DispatchOrder): string | null {
  return o.releasedAt ?? o.onSceneAt ?? o.enRouteAt ?? o.acknowledgedAt ?? o.sentAt;
}

type Props = { orders: readonly DispatchOrder[]; types: ResourceTypeInfo; onChanged: () => void };
type ReleaseValues = { consumed?: number | null; note?: string };

export function OrderBoard({ orders, types, onChanged }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [show, setShow] = useState<'all' | 'open'>('all');
  const [busy, setBusy] = useState<string | null>(null);
  const [releasing, setReleasing] = useState<DispatchOrder | null>(null);
  const [form] = Form.useForm<ReleaseValues>();
  const [releaseBusy, setReleaseBusy] = useState(false);
  const [releaseError, setReleaseError] = useState<unknown>(undefined);

  const counts = new Map<OrderStatus, number>();
  for (const o of orders) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const shown = show === 'open' ? orders.filter((o) => o.status !== 'released') : orders;

  const act = async (o: DispatchOrder, body: OrderAction) => {
    setBusy(`${o.id}:${body.action}`);
    try {
      const after = await dispatchApi.actOnOrder(o.id, body);
      message.success(t('order.done', { name: after.resourceName, status: t(`order.status.${after.status}`) }));
      onChanged();
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const release = async (v: ReleaseValues) => {
    if (!releasing) return;
    setReleaseBusy(true);
    setReleaseError(undefined);
    try {
      const consumed = typeof v.consumed === 'number' && v.consumed > 0 ? v.consumed : undefined;
      const note = v.note?.trim() || undefined;
      const after = await dispatchApi.actOnOrder(releasing.id, { action: 'release', ...(consumed !== undefined ? { consumed } : {}), ...(note ? { note } : {}) });
      message.success(t('order.done', { name: after.resourceName, status: t(`order.status.${after.status}`) }));
      setReleasing(null);
      form.resetFields();
      onChanged();
    } catch (err) {
      setReleaseError(err);
    } finally {
      setReleaseBusy(false);
    }
  };

  const unitOf = (o: DispatchOrder) => (lang === 'en' ? '' : types.unit(o.resourceType));
  const columns: TableColumnsType<DispatchOrder> = [
    {
      key: 'resource',
      title: t('order.resource'),
      render: (_, o) => (
        <Flex vertical>
          <Typography.Text strong data-testid="order-resource">{o.resourceName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {types.name(o.resourceType)}
            {o.ownerOrganizationName ? ` · ${o.ownerOrganizationName}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'from',
      title: t('order.from'),
      width: 150,
      render: (_, o) => (
        <Flex vertical gap={2} align="flex-start">
          <span data-testid="order-region">{o.regionName ?? o.regionCode}</span>
          {o.borrowed && <BorrowedTag />}
        </Flex>
      ),
    },
    {
      key: 'quantity',
      title: t('order.quantity'),
      width: 96,
      align: 'right',
      render: (_, o) =>
        types.isStock(o.resourceType) ? (
          <Flex vertical align="flex-end">
            <span>{`${formatNumber(o.quantity, lang)} ${unitOf(o)}`}</span>
            {o.consumed > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('order.consumed', { n: formatNumber(o.consumed, lang) })}</Typography.Text>}
          </Flex>
        ) : (
          `${formatNumber(o.quantity, lang)} ${unitOf(o)}`
        ),
    },
    {
      key: 'travel',
      title: t('order.eta'),
      width: 110,
      align: 'right',
      render: (_, o) => (
        <Flex vertical align="flex-end">
          <span data-testid="order-travel">{t('activation.minutes', { n: formatNumber(o.travelMinutes, lang, 0) })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatNumber(o.distanceKm, lang, 1)} km</Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('order.status'),
      width: 130,
      render: (_, o) => (
        <Flex vertical gap={2} align="flex-start">
          <OrderStatusTag order={o} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatShortDateTime(lastTime(o), lang)}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 250,
      render: (_, o) => {
        const actions = o.actions.filter((a): a is OrderActionName => (KNOWN_ACTIONS as readonly string[]).includes(a));
        if (actions.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
        return (
          <Space size={4} wrap>
            {actions.map((a) => (
              <Button
                key={a}
                size="small"
                type={a === 'release' ? 'default' : 'primary'}
                ghost={a !== 'release'}
                loading={busy === `${o.id}:${a}`}
                disabled={busy !== null && busy !== `${o.id}:${a}`}
                onClick={() => {
                  if (a === 'release') {
                    setReleaseError(undefined);
                    setReleasing(o);
                  } else void act(o, { action: a });
                }}
                data-testid={`order-action-${a}`}
              >
                {t(`order.action.${a}`)}
              </Button>
            ))}
          </Space>
        );
      },
    },
  ];

  return (
    <div data-testid="order-board">
      <Flex justify="space-between" align="center" gap={8} wrap className="yz-mb-8">
        <Flex gap={4} wrap>
          {ORDER_STATUS_LIST.filter((s) => counts.has(s)).map((s) => (
            <Tag key={s} color={ORDER_STATUS_COLORS[s]} data-testid="order-count" data-status={s}>
              {t(`order.status.${s}`)} {counts.get(s)}
            </Tag>
          ))}
        </Flex>
        <Segmented<'all' | 'open'>
          size="small"
          value={show}
          onChange={setShow}
          options={[
            { value: 'all', label: t('order.showAll') },
            { value: 'open', label: t('order.showOpen') },
          ]}
        />
      </Flex>
      <Table<DispatchOrder>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={[...shown]}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(o) => ({ 'data-testid': 'order-row', 'data-id': o.id, 'data-status': o.status, 'data-borrowed': String(o.borrowed), 'data-type': o.resourceType }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('order.empty')} /> }}
      />
      <Modal
        open={releasing !== null}
        title={releasing ? t('order.releaseTitle', { name: releasing.resourceName }) : ''}
        onCancel={() => {
          setReleasing(null);
          form.resetFields();
          setReleaseError(undefined);
        }}
        onOk={() => form.submit()}
        okText={t('order.action.release')}
        confirmLoading={releaseBusy}
        forceRender
      >
        <Form<ReleaseValues> form={form} layout="vertical" onFinish={release}>
          <Typography.Paragraph type="secondary">{t('order.releaseHint')}</Typography.Paragraph>
          {releasing && types.isStock(releasing.resourceType) && (
            <Form.Item name="consumed" label={t('order.consumedLabel', { n: formatNumber(releasing.quantity, lang), unit: unitOf(releasing) })}>
              <InputNumber min={0} max={releasing.quantity} precision={0} style={{ width: 200 }} data-testid="order-release-consumed" />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('order.note')}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="order-release-note" />
          </Form.Item>
        </Form>
        {releaseError !== undefined && <ErrorAlert error={releaseError} />}
      </Modal>
    </div>
  );
}
