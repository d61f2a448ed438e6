// SPDX-License-Identifier: Apache-2.0
// The bids for one service task, lowest first; its managers award one while the offer is open.
import { TrophyOutlined } from '@ant-design/icons';
import { App, Button, Empty, Flex, Form, Input, Modal, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Bid, MarketItem } from '../../../../contracts/tasks.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { marketApi } from './service-market-api.ts';
import { BidStatusTag, Money } from './service-labels.tsx';

type Props = { item: MarketItem; awards: boolean; tick: number; onAwarded: () => void };

export function BidsTable({ item, awards, tick, onAwarded }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const bids = useAsync((signal) => marketApi.bids(item.id, signal), [item.id, tick]);
  const [awarding, setAwarding] = useState<Bid | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const open = item.service?.offerStatus === 'open';

  const award = async () => {
    if (!awarding) return;
    setBusy(true);
    setError(undefined);
    try {
      await marketApi.award(item.id, { bidId: awarding.id, ...(note.trim() ? { note: note.trim() } : {}) });
      message.success(t('market.awardDone', { org: awarding.organizationName }));
      setAwarding(null);
      onAwarded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<Bid> = [
    {
      key: 'org',
      title: t('market.bidder'),
      render: (_, b) => (
        <Flex vertical gap={2}>
          <Typography.Text strong data-testid="bid-org">{b.organizationName}</Typography.Text>
          <Flex gap={4} wrap>
            {b.qualifications.map((q) => (
              <Tag key={q} color={item.service?.qualifications.includes(q) ? 'green' : 'default'} style={{ marginInlineEnd: 0, fontSize: 11 }}>
                {q}
              </Tag>
            ))}
          </Flex>
        </Flex>
      ),
    },
    { key: 'amount', title: t('market.bidAmount'), width: 130, render: (_, b) => <Money amount={b.amount} testId="bid-amount-value" /> },
    {
      key: 'proposal',
      title: t('market.proposal'),
      render: (_, b) => (
        <Typography.Paragraph ellipsis={{ rows: 2, expandable: 'collapsible' }} style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }} data-testid="bid-proposal-text">
          {b.proposal}
        </Typography.Paragraph>
      ),
    },
    {
      key: 'submitted',
      title: t('market.submittedBy'),
      width: 170,
      render: (_, b) => (
        <Flex vertical>
          <span>{b.submittedByName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(b.submittedAt, lang)}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'status', title: t('common.status'), width: 90, render: (_, b) => <BidStatusTag status={b.status} /> },
    ...(awards && open
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 96,
            render: (_: unknown, b: Bid) =>
              b.status === 'submitted' ? (
                <Button
                  size="small"
                  type="primary"
                  icon={<TrophyOutlined />}
                  onClick={() => {
                    setNote('');
                    setError(undefined);
                    setAwarding(b);
                  }}
                  data-testid="bid-award"
                >
                  {t('market.award')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div data-testid="bids" data-task={item.id}>
      {bids.error !== undefined && <ErrorAlert error={bids.error} onRetry={bids.reload} className="yz-mb-8" />}
      <Table<Bid>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={bids.data ?? []}
        loading={bids.loading}
        pagination={false}
        data-testid="bids-table"
        onRow={(b) => ({ 'data-testid': 'bid-row', 'data-id': b.id, 'data-status': b.status } as React.HTMLAttributes<HTMLElement>)}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="bids-empty">{t('market.noBids')}</span>} /> }}
      />
      <Modal
        open={awarding !== null}
        title={t('market.awardTitle')}
        onCancel={() => setAwarding(null)}
        onOk={() => void award()}
        okText={t('market.award')}
        confirmLoading={busy}
        data-testid="award-modal"
      >
        {awarding && (
          <Typography.Paragraph>
            {t('market.awardConfirm', { org: awarding.organizationName, amount: formatNumber(awarding.amount, lang, 2) })}
          </Typography.Paragraph>
        )}
        <Form layout="vertical">
          <Form.Item label={t('market.awardNote')}>
            <Input.TextArea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="award-note" />
          </Form.Item>
        </Form>
        {error !== undefined && <ErrorAlert error={error} />}
      </Modal>
    </div>
  );
}
