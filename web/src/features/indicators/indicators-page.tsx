// SPDX-License-Identifier: Apache-2.0
// 指标: the catalog of indicators with the latest value of each in the user's region (or one chosen) —
// searched, filtered and paged. `#/indicators/<code>[/<region>]` opens one indicator.
import { AlertOutlined, StarFilled } from '@ant-design/icons';
import { Button, Card, Checkbox, Empty, Flex, Input, Select, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { IndicatorSummary } from '../../../../contracts/indicators.ts';
import type { PeriodKind } from '../../../../contracts/indicator-periods.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { formatIndicatorValue, GapText, indicatorName, ValueStatusTag } from './indicator-labels.tsx';
import { IndicatorView } from './indicator-view.tsx';
import { type IndicatorFilter, indicatorsApi, PERIOD_KIND_LIST } from './indicators-api.ts';
import { tablePagination } from '../../lib/paging.ts';

export default function IndicatorsPage({ params }: PageProps) {
  const code = params[0];
  if (code) return <IndicatorView code={code} regionCode={params[1] ?? null} />;
  return <Catalog />;
}

function Catalog() {
  const { t, lang } = useI18n();
  const me = useMe();
  const [qInput, setQInput] = useState('');
  const q = useDebounced(qInput.trim(), 300);
  const [period, setPeriod] = useState<PeriodKind | undefined>();
  const [keyOnly, setKeyOnly] = useState(false);
  const [status, setStatus] = useState<'active' | 'retired' | 'all'>('active');
  const [region, setRegion] = useState<string | null>(me.scopeCode);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const filter: IndicatorFilter = { q: q || undefined, period, key: keyOnly, status: status === 'all' ? undefined : status, region };
  const filterKey = JSON.stringify(filter);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [filterKey]);

  const list = useAsync(
    (signal) => indicatorsApi.list(filter, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [filterKey, page.current, page.pageSize],
  );
  const open = (x: IndicatorSummary) => navigate(`/indicators/${encodeURIComponent(x.code)}${region ? `/${region}` : ''}`);

  const columns: TableColumnsType<IndicatorSummary> = [
    {
      key: 'name',
      title: t('indicator.name'),
      render: (_, x) => (
        <Flex vertical>
          <Flex gap={6} align="center">
            {x.key && (
              <Tooltip title={t('indicator.key')}>
                <StarFilled style={{ color: '#faad14' }} data-testid="indicator-key" />
              </Tooltip>
            )}
            <Typography.Link strong onClick={() => open(x)} data-testid="indicator-link" data-code={x.code}>
              {indicatorName(x, lang)}
            </Typography.Link>
            {x.status === 'retired' && <Tag style={{ marginInlineEnd: 0 }}>{t('indicator.lifecycle.retired')}</Tag>}
          </Flex>
          <Typography.Text type="secondary" className="yz-mono" style={{ fontSize: 12 }}>
            {x.code}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'period', title: t('indicator.period'), width: 80, render: (_, x) => <Tag style={{ marginInlineEnd: 0 }}>{t(`indicator.periodKind.${x.period}`)}</Tag> },
    { key: 'unit', title: t('indicator.unit'), width: 90, render: (_, x) => x.unit || '—' },
    {
      key: 'latest',
      title: t('indicator.latest'),
      width: 190,
      render: (_, x) =>
        x.latest ? (
          <Flex vertical gap={2}>
            <Flex gap={8} align="center">
              <Typography.Text strong data-testid="indicator-latest-value">{formatIndicatorValue(x.latest.value, x.unit, lang)}</Typography.Text>
              <ValueStatusTag status={x.latest.status} />
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {x.latest.period}
              {x.latest.missing > 0 ? ` · ${t('indicator.missingN', { n: x.latest.missing })}` : ''}
            </Typography.Text>
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('indicator.noValue')}</Typography.Text>
        ),
    },
    { key: 'target', title: t('indicator.target'), width: 110, render: (_, x) => formatIndicatorValue(x.latest?.target ?? null, x.unit, lang) },
    { key: 'gap', title: t('indicator.gap'), width: 130, render: (_, x) => <GapText gap={x.latest?.gap ?? null} direction={x.direction} unit={x.unit} /> },
    { key: 'computed', title: t('indicator.lastComputed'), width: 170, render: (_, x) => (x.lastComputedAt ? formatDateTime(x.lastComputedAt, lang) : t('indicator.neverComputed')) },
  ];

  return (
    <>
      <PageHeader
        title={t('indicator.title')}
        subtitle={t('indicator.subtitle')}
        extra={
          <Button icon={<AlertOutlined />} onClick={() => navigate('/indicator-alerts')} data-testid="indicator-open-alerts">
            {t('nav.indicatorAlerts')}
          </Button>
        }
      />
      <Card size="small">
        <Flex gap={12} wrap className="yz-mb-12" align="center">
          <Input.Search allowClear placeholder={t('indicator.searchPlaceholder')} value={qInput} onChange={(e) => setQInput(e.target.value)} style={{ width: 240 }} data-testid="indicator-search" />
          <Select<PeriodKind>
            allowClear
            placeholder={t('indicator.allPeriods')}
            value={period}
            onChange={setPeriod}
            style={{ width: 130 }}
            options={PERIOD_KIND_LIST.map((k) => ({ value: k, label: t(`indicator.periodKind.${k}`) }))}
            data-testid="indicator-filter-period"
          />
          <RegionPicker value={region} onChange={setRegion} placeholder={t('indicator.regionDefault')} style={{ width: 220 }} data-testid="indicator-filter-region" />
          <Checkbox checked={keyOnly} onChange={(e) => setKeyOnly(e.target.checked)} data-testid="indicator-filter-key">
            {t('indicator.keyOnly')}
          </Checkbox>
          <Select<'active' | 'retired' | 'all'>
            value={status}
            onChange={setStatus}
            style={{ width: 120 }}
            options={[
              { value: 'active', label: t('indicator.lifecycle.active') },
              { value: 'retired', label: t('indicator.lifecycle.retired') },
              { value: 'all', label: t('indicator.lifecycle.all') },
            ]}
            data-testid="indicator-filter-status"
          />
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<IndicatorSummary>
          data-testid="indicator-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          onRow={(x) => ({ onDoubleClick: () => open(x), 'data-testid': 'indicator-row', 'data-code': x.code } as React.HTMLAttributes<HTMLElement>)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="indicator-empty">{t(q || period || keyOnly ? 'indicator.emptyFiltered' : 'indicator.empty')}</span>} /> }}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
    </>
  );
}
