// SPDX-License-Identifier: Apache-2.0
// 服务市场: service tasks outsourced to social organizations. A social organization's member sees the offers
// it qualifies for — standard, budget, bid deadline, its own bid — and bids; departments see what is
// published in their region with the bids, publish new ones and award a bid. `#/service-market[/<task>]`
// opens a task in the drawer.
import { PlusOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Input, Modal, Popconfirm, Segmented, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { MarketItem } from '../../../../contracts/tasks.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatShortDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { TaskDrawer } from '../tasks/task-drawer.tsx';
import { TaskStatusTag } from '../tasks/task-labels.tsx';
import { BidDialog } from './bid-dialog.tsx';
import { BidsTable } from './bids-table.tsx';
import { PublishFormDrawer } from './publish-form.tsx';
import { biddingClosed, bidStatusOf, marketApi, type Offer } from './service-market-api.ts';
import { BidStatusTag, Money, OfferStatusTag, StandardLists } from './service-labels.tsx';
import { tablePagination } from '../../lib/paging.ts';

export default function ServiceMarketPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const me = useMe();
  const can = useCan();
  // a social organization's member bids; everyone else looks at what is published (managers publish and award)
  const bidder = me.roles.length > 0 && me.roles.every((r) => r === 'social-member');
  const manages = can('task:write');
  const openId = params[0] ?? null;
  const [offer, setOffer] = useState<Offer>('open');
  const [qInput, setQInput] = useState('');
  const q = useDebounced(qInput.trim(), 300);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [tick, setTick] = useState(0);
  const [publishing, setPublishing] = useState(false);
  const [bidding, setBidding] = useState<MarketItem | null>(null);
  const [withdrawing, setWithdrawing] = useState<MarketItem | null>(null);
  const [withdrawNote, setWithdrawNote] = useState('');
  const [withdrawError, setWithdrawError] = useState<unknown>(undefined);
  const { message } = App.useApp();
  const [expanded, setExpanded] = useState<readonly React.Key[]>([]);
  const filterKey = `${offer}|${q}`;
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [filterKey]);
  const list = useAsync(
    (signal) => marketApi.list({ offer, q: q || undefined }, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [filterKey, page.current, page.pageSize, tick],
  );
  const reload = () => setTick((x) => x + 1);
  const withdrawBid = async (x: MarketItem) => {
    try {
      await marketApi.withdrawBid(x.id);
      message.success(t('market.bidWithdrawn'));
      reload();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };
  const withdrawOffer = async () => {
    if (!withdrawing) return;
    setWithdrawError(undefined);
    try {
      await marketApi.withdrawOffer(withdrawing.id, withdrawNote.trim());
      message.success(t('market.offerWithdrawn'));
      setWithdrawing(null);
      setWithdrawNote('');
      reload();
    } catch (err) {
      setWithdrawError(err);
    }
  };
  const open = (id: string | null) => navigate(id ? `/service-market/${encodeURIComponent(id)}` : '/service-market');

  const columns: TableColumnsType<MarketItem> = [
    {
      key: 'title',
      title: t('market.taskTitle'),
      render: (_, x) => (
        <Flex vertical gap={2}>
          <Typography.Link strong onClick={() => open(x.id)} data-testid="market-link" data-id={x.id}>
            {x.title}
          </Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {x.regionName ?? x.regionCode}
            {x.description ? ` · ${x.description.length > 60 ? `${x.description.slice(0, 60)}…` : x.description}` : ''}
          </Typography.Text>
          {(x.service?.qualifications.length ?? 0) > 0 && (
            <Flex gap={4} wrap align="center" data-testid="market-qualifications">
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('market.requires')}</Typography.Text>
              {x.service?.qualifications.map((qq) => (
                <Tag key={qq} color="geekblue" style={{ marginInlineEnd: 0, fontSize: 11 }}>
                  {qq}
                </Tag>
              ))}
            </Flex>
          )}
        </Flex>
      ),
    },
    {
      key: 'standard',
      title: t('market.standard'),
      width: 250,
      render: (_, x) => (x.service ? <StandardLists standard={x.service.standard} limit={3} /> : null),
    },
    { key: 'budget', title: t('market.budget'), width: 110, render: (_, x) => <Money amount={x.service?.budget} testId="market-budget" /> },
    {
      key: 'bidDeadline',
      title: t('market.bidDeadline'),
      width: 150,
      render: (_, x) =>
        x.service ? (
          <Flex vertical gap={2}>
            <span>{formatShortDateTime(x.service.bidDeadline, lang)}</span>
            {x.service.offerStatus === 'open' && biddingClosed(x.service) && (
              <span>
                <Tag color="orange" style={{ marginInlineEnd: 0 }}>{t('market.biddingClosed')}</Tag>
              </span>
            )}
          </Flex>
        ) : null,
    },
    {
      key: 'status',
      title: t('market.offerStatus'),
      width: 170,
      render: (_, x) =>
        x.service ? (
          <Flex vertical gap={2}>
            <Flex gap={4} wrap>
              <OfferStatusTag status={x.service.offerStatus} />
              {x.service.offerStatus === 'awarded' && <TaskStatusTag status={x.status} />}
            </Flex>
            {x.service.offerStatus === 'awarded' && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="market-awarded">
                {x.organizationName} · <Money amount={x.service.awardedAmount} />
              </Typography.Text>
            )}
          </Flex>
        ) : null,
    },
    bidder
      ? {
          key: 'myBid',
          title: t('market.myBid'),
          width: 170,
          render: (_, x) => {
            const canBid = x.service?.offerStatus === 'open' && !biddingClosed(x.service);
            return (
              <Flex vertical gap={4} align="flex-start" data-testid="market-my-bid" data-amount={x.myBid?.amount}>
                {x.myBid ? (
                  <Flex gap={6} align="center" wrap>
                    <Money amount={x.myBid.amount} />
                    <BidStatusTag status={bidStatusOf(x.myBid.status)} />
                  </Flex>
                ) : (
                  <Typography.Text type="secondary">{t('market.noBidYet')}</Typography.Text>
                )}
                {canBid && (
                  <Flex gap={6}>
                    <Button size="small" type={x.myBid ? 'default' : 'primary'} icon={<SendOutlined />} onClick={() => setBidding(x)} data-testid="market-bid">
                      {t(x.myBid?.status === 'submitted' ? 'market.rebid' : 'market.bid')}
                    </Button>
                    {x.myBid?.status === 'submitted' && (
                      <Popconfirm title={t('market.withdrawBidConfirm')} onConfirm={() => void withdrawBid(x)} okText={t('market.withdrawBid')} cancelText={t('common.cancel')}>
                        <Button size="small" icon={<RollbackOutlined />} data-testid="market-withdraw-bid">{t('market.withdrawBid')}</Button>
                      </Popconfirm>
                    )}
                  </Flex>
                )}
              </Flex>
            );
          },
        }
      : {
          key: 'bids',
          title: t('market.bids'),
          width: 110,
          align: 'center',
          render: (_, x) => (
            <Flex vertical gap={4} align="center">
            <Tooltip title={t('market.bidsHint')}>
              <Button
                size="small"
                type={expanded.includes(x.id) ? 'primary' : 'default'}
                ghost={expanded.includes(x.id)}
                onClick={() => setExpanded((keys) => (keys.includes(x.id) ? keys.filter((k) => k !== x.id) : [...keys, x.id]))}
                data-testid="market-bid-count"
                data-count={x.bidCount}
              >
                {t('market.bidsN', { n: x.bidCount })}
              </Button>
            </Tooltip>
            {manages && x.service?.offerStatus === 'open' && (
              <Button size="small" type="link" danger onClick={() => setWithdrawing(x)} data-testid="market-withdraw-offer">{t('market.withdrawOffer')}</Button>
            )}
            </Flex>
          ),
        },
  ];

  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('market.title')}
        subtitle={t(bidder ? 'market.subtitleBidder' : 'market.subtitle')}
        extra={
          manages ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setPublishing(true)} data-testid="market-publish">
              {t('market.publish')}
            </Button>
          ) : undefined
        }
      />
      <Card size="small">
        <Flex gap={12} wrap className="yz-mb-12" align="center">
          <Segmented<Offer>
            value={offer}
            onChange={setOffer}
            options={(['open', 'awarded', 'all'] as const).map((o) => ({ value: o, label: <span data-testid={`market-offer-${o}`}>{t(`market.filter.${o}`)}</span> }))}
          />
          <Input.Search allowClear placeholder={t('market.searchPlaceholder')} value={qInput} onChange={(e) => setQInput(e.target.value)} style={{ width: 260 }} data-testid="market-search" />
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<MarketItem>
          data-testid="market-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={list.loading}
          rowClassName={(x) => (x.id === openId ? 'ant-table-row-selected' : '')}
          onRow={(x) => ({ 'data-testid': 'market-row', 'data-id': x.id, 'data-offer': x.service?.offerStatus } as React.HTMLAttributes<HTMLElement>)}
          expandable={
            bidder
              ? undefined
              : {
                  expandedRowKeys: expanded,
                  onExpandedRowsChange: setExpanded,
                  expandedRowRender: (x) => <BidsTable item={x} awards={manages} tick={tick} onAwarded={reload} />,
                }
          }
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={<span data-testid="market-empty">{t(q ? 'market.emptyFiltered' : bidder ? `market.emptyBidder.${offer}` : `market.empty.${offer}`)}</span>}
              />
            ),
          }}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      <PublishFormDrawer
        open={publishing}
        onClose={() => setPublishing(false)}
        onPublished={() => {
          setPublishing(false);
          setOffer('open');
          reload();
        }}
      />
      <BidDialog
        item={bidding}
        onClose={() => setBidding(null)}
        onBid={() => {
          setBidding(null);
          reload();
        }}
      />
      <Modal
        open={withdrawing !== null}
        title={t('market.withdrawOfferTitle', { title: withdrawing?.title ?? '' })}
        okText={t('market.withdrawOffer')}
        okButtonProps={{ danger: true, disabled: withdrawNote.trim() === '' }}
        onOk={() => void withdrawOffer()}
        onCancel={() => {
          setWithdrawing(null);
          setWithdrawError(undefined);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('market.withdrawOfferHint')}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={2000} value={withdrawNote} onChange={(e) => setWithdrawNote(e.target.value)} placeholder={t('market.withdrawOfferNote')} data-testid="market-withdraw-note" />
        {withdrawError !== undefined && (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={withdrawError} />
          </div>
        )}
      </Modal>
      <TaskDrawer id={openId} onClose={() => open(null)} onChanged={reload} />
    </>
  );
}
