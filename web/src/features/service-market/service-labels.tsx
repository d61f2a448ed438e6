// SPDX-License-Identifier: Apache-2.0
// How service tasks read: money, the offer's and a bid's status, and the service standard.
import { Flex, Tag, Typography } from 'antd';
import type { Task } from '../../../../contracts/tasks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { BID_STATUS_COLORS, type BidStatus, OFFER_STATUS_COLORS, type OfferStatus } from './service-market-api.ts';

/** An amount of money in yuan. */
export function Money({ amount, testId }: { amount: number | null | undefined; testId?: string }) {
  const { t, lang } = useI18n();
  if (amount === null || amount === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span style={{ whiteSpace: 'nowrap' }} data-testid={testId} data-amount={amount}>
      {t('market.yuan', { amount: formatNumber(amount, lang, 2) })}
    </span>
  );
}

export function OfferStatusTag({ status }: { status: OfferStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={OFFER_STATUS_COLORS[status]} data-testid="offer-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`market.offer.${status}`)}
    </Tag>
  );
}

export function BidStatusTag({ status }: { status: BidStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={BID_STATUS_COLORS[status]} data-testid="bid-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`market.bidStatus.${status}`)}
    </Tag>
  );
}

/** The deliverables and acceptance criteria of a service standard, as two short numbered lists. */
export function StandardLists({ standard, limit }: { standard: NonNullable<Task['service']>['standard']; limit?: number }) {
  const { t } = useI18n();
  const list = (items: string[], testId: string) => {
    const shown = limit ? items.slice(0, limit) : items;
    return (
      <ol className="yz-standard-list" data-testid={testId}>
        {shown.map((x) => (
          <li key={x}>{x}</li>
        ))}
        {shown.length < items.length && <li className="yz-standard-more">{t('market.moreN', { n: items.length - shown.length })}</li>}
      </ol>
    );
  };
  return (
    <Flex vertical gap={4}>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('market.deliverables')}</Typography.Text>
        {list(standard.deliverables, 'standard-deliverables')}
      </div>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('market.acceptanceCriteria')}</Typography.Text>
        {list(standard.acceptanceCriteria, 'standard-criteria')}
      </div>
    </Flex>
  );
}
