// SPDX-License-Identifier: Apache-2.0
// 预警发布: the public warnings of the user's region, published as CAP 1.2; a drawer with the message history
// and each message's XML; the form to issue, update and cancel. `#/warnings/<id>` opens one warning.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Input, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Warning } from '../../../../contracts/dispatch-warnings.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { WarningDrawer } from './warning-drawer.tsx';
import { WarningForm } from './warning-form.tsx';
import { WarningStatusTag } from './warning-labels.tsx';
import { type WarningFilter, warningsApi } from './warnings-api.ts';
import { tablePagination } from '../../lib/paging.ts';

export default function WarningsPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const can = useCan();
  const openId = params[0] ?? null;
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const [filter, setFilter] = useState<Omit<WarningFilter, 'q'>>({});
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [issuing, setIssuing] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [query, filter]);
  const list = useAsync(
    (signal) => warningsApi.list({ ...filter, q: query || undefined }, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [filter, query, page.current, page.pageSize, tick],
  );
  const set = (patch: Partial<WarningFilter>) => setFilter((f) => ({ ...f, ...patch }));

  const columns: TableColumnsType<Warning> = [
    {
      key: 'headline',
      title: t('warning.headline'),
      render: (_, w) => (
        <Flex vertical>
          <Typography.Link strong onClick={() => navigate(`/warnings/${w.id}`)} data-testid="warning-link" data-id={w.id}>
            {lang === 'en' ? w.en.headline : w.zh.headline}
          </Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {lang === 'en' ? w.en.event : w.zh.event} · {t(`warning.severity.${w.severity}`)}
            {w.exercise && <Tag color="purple" style={{ marginInlineStart: 6 }}>{t('incident.exercise')}</Tag>}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'status', title: t('warning.status'), width: 100, render: (_, w) => <WarningStatusTag status={w.status} /> },
    { key: 'region', title: t('warning.region'), width: 180, render: (_, w) => w.regionName ?? w.regionCode },
    { key: 'messages', title: t('warning.messageCount'), width: 90, render: (_, w) => w.messageCount },
    { key: 'updatedAt', title: t('warning.updatedAt'), width: 170, render: (_, w) => formatDateTime(w.updatedAt, lang) },
    { key: 'expires', title: t('warning.expires'), width: 170, render: (_, w) => formatDateTime(w.expires, lang) },
  ];

  return (
    <>
      <PageHeader
        title={t('warning.title')}
        subtitle={t('warning.subtitle')}
        extra={
          can('warning:issue') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)} data-testid="warning-issue">
              {t('warning.issue')}
            </Button>
          ) : undefined
        }
      />
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('warning.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} />
          <Select
            allowClear
            placeholder={t('warning.allStatuses')}
            style={{ width: 160 }}
            onChange={(v?: string) => set({ status: v })}
            options={(['active', 'expired', 'cancelled'] as const).map((s) => ({ value: s, label: t(`warning.status.${s}`) }))}
          />
          <RegionPicker value={filter.regionCode ?? null} onChange={(c) => set({ regionCode: c })} placeholder={t('incident.regionPlaceholder')} style={{ width: 220 }} />
          <Select
            style={{ width: 150 }}
            value={filter.exercise ?? 'all'}
            onChange={(v: string) => set({ exercise: v === 'true' || v === 'false' ? v : undefined })}
            options={[
              { value: 'all', label: t('incident.exerciseAll') },
              { value: 'false', label: t('incident.exerciseReal') },
              { value: 'true', label: t('incident.exerciseOnly') },
            ]}
          />
          <Typography.Link href="/cap/alerts" target="_blank" style={{ alignSelf: 'center' }}>
            {t('warning.feed')}
          </Typography.Link>
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<Warning>
          data-testid="warning-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('warning.empty')} /> }}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      <WarningDrawer id={openId} onClose={() => navigate('/warnings')} onChanged={() => setTick((n) => n + 1)} />
      <WarningForm
        open={issuing}
        editing={null}
        onClose={() => setIssuing(false)}
        onSaved={(id) => {
          setIssuing(false);
          setTick((n) => n + 1);
          navigate(`/warnings/${id}`);
        }}
      />
    </>
  );
}
