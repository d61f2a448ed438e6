// SPDX-License-Identifier: Apache-2.0
// The rows of a data set that concern the user's region, in the chosen version, each with its lineage.
import { BranchesOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Flex, Input, Select, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Dataset, DatasetRow } from '../../../../contracts/datasets.ts';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { CorrectionDialog } from './correction-dialog.tsx';
import { datasetsApi } from './datasets-api.ts';
import { FieldValueView, fieldTitle } from './field-value.tsx';
import { tablePagination } from '../../lib/paging.ts';

type Props = { dataset: Dataset; asOf: number | undefined; onAsOf: (version: number | undefined) => void; onProposed: () => void };

export function RowsTab({ dataset, asOf, onAsOf, onProposed }: Props) {
  const { t, lang } = useI18n();
  const can = useCan();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const [regionCode, setRegionCode] = useState<string | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [proposing, setProposing] = useState<DatasetRow | null>(null);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [query, regionCode, asOf]);

  const versions = useAsync((signal) => datasetsApi.versions(dataset.code, signal), [dataset.code, dataset.currentVersion]);
  const rows = useAsync(
    (signal) => datasetsApi.rows(dataset.code, { q: query || undefined, regionCode, asOf }, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [dataset.code, query, regionCode, asOf, page.current, page.pageSize],
  );
  const shown = asOf ?? dataset.currentVersion;
  const shownVersion = versions.data?.items.find((v) => v.version === shown);
  const isCurrent = shown === dataset.currentVersion;
  const mayPropose = can('dataset:propose') && isCurrent;

  const columns = useMemo<TableColumnsType<DatasetRow>>(() => {
    const sameKeyAndRegion = dataset.keyField === dataset.regionField;
    const key = dataset.fields.find((f) => f.name === dataset.keyField);
    const others = dataset.fields.filter((f) => f.name !== dataset.keyField && f.name !== dataset.regionField);
    return [
      ...(sameKeyAndRegion
        ? []
        : [{ key: 'key', title: key ? fieldTitle(key) : dataset.keyField, fixed: 'left' as const, width: 150, render: (_: unknown, r: DatasetRow) => <span className="yz-mono" data-testid="row-key">{r.key}</span> }]),
      {
        key: 'region',
        title: t('dataset.region'),
        fixed: 'left' as const,
        width: 190,
        render: (_: unknown, r: DatasetRow) => (
          <Flex vertical>
            <span>{r.regionName ?? r.regionCode}</span>
            <Typography.Text type="secondary" className="yz-mono" style={{ fontSize: 12 }} data-testid={sameKeyAndRegion ? 'row-key' : undefined}>
              {r.regionCode}
            </Typography.Text>
          </Flex>
        ),
      },
      ...others.map((f) => ({
        key: `f:${f.name}`,
        title: fieldTitle(f),
        align: f.type === 'integer' || f.type === 'number' ? ('right' as const) : undefined,
        render: (_: unknown, r: DatasetRow) => <FieldValueView field={f} value={r.data[f.name]} />,
      })),
      {
        key: 'lineage',
        title: t('dataset.lineage'),
        width: 270,
        render: (_: unknown, r: DatasetRow) => (
          <Tooltip title={`${r.lineage.dataset} · ${t('dataset.versionN', { version: r.lineage.version })} · ${r.lineage.source} · ${formatDateTime(r.lineage.publishedAt, lang)}`}>
            <Flex vertical data-testid="row-lineage" data-version={r.lineage.version}>
              <span>
                <Tag color={r.lineage.source.startsWith('correction #') ? 'purple' : 'blue'} style={{ marginInlineEnd: 6 }}>
                  {t('dataset.versionN', { version: r.lineage.version })}
                </Tag>
                <Typography.Text style={{ fontSize: 12 }}>{r.lineage.source}</Typography.Text>
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(r.lineage.publishedAt, lang)}
              </Typography.Text>
            </Flex>
          </Tooltip>
        ),
      },
      ...(mayPropose
        ? [
            {
              key: 'actions',
              title: t('common.actions'),
              fixed: 'right' as const,
              width: 110,
              render: (_: unknown, r: DatasetRow) => (
                <Button size="small" icon={<EditOutlined />} onClick={() => setProposing(r)} data-testid="row-propose">
                  {t('dataset.propose')}
                </Button>
              ),
            },
          ]
        : []),
    ];
  }, [dataset, t, lang, mayPropose]);

  return (
    <>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('dataset.rowSearchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} data-testid="row-search" />
        <RegionPicker value={regionCode} onChange={setRegionCode} placeholder={t('dataset.regionFilter')} style={{ width: 260 }} data-testid="row-region" />
        <Select<number>
          data-testid="row-version"
          style={{ width: 360 }}
          value={shown || undefined}
          disabled={dataset.currentVersion === 0}
          placeholder={t('dataset.notPublished')}
          loading={versions.loading}
          onChange={(v) => onAsOf(v === dataset.currentVersion ? undefined : v)}
          options={(versions.data?.items ?? []).map((v) => ({
            value: v.version,
            label: `${t('dataset.versionN', { version: v.version })}${v.version === dataset.currentVersion ? ` (${t('dataset.current')})` : ''} · ${v.source}`,
          }))}
        />
      </Flex>
      {shownVersion && (
        <Alert
          className="yz-mb-12"
          type={isCurrent ? 'info' : 'warning'}
          showIcon
          icon={<BranchesOutlined />}
          data-testid="row-lineage-banner"
          title={t(isCurrent ? 'dataset.viewingCurrent' : 'dataset.viewingOld', {
            version: shownVersion.version,
            source: shownVersion.source,
            time: formatDateTime(shownVersion.publishedAt, lang),
            by: shownVersion.publishedBy,
          })}
          action={
            !isCurrent && (
              <Button size="small" onClick={() => onAsOf(undefined)}>
                {t('dataset.backToCurrent')}
              </Button>
            )
          }
        />
      )}
      {rows.error !== undefined && <ErrorAlert error={rows.error} onRetry={rows.reload} className="yz-mb-12" />}
      <Table<DatasetRow>
        data-testid="row-table"
        rowKey="key"
        size="middle"
        columns={columns}
        dataSource={rows.data?.items ?? []}
        loading={rows.loading}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={<span data-testid="row-empty">{t(dataset.currentVersion === 0 ? 'dataset.notPublished' : query || regionCode ? 'dataset.rowsNoMatch' : 'dataset.rowsEmpty')}</span>}
            />
          ),
        }}
        pagination={tablePagination(page, setPage, rows.data?.total ?? 0, t)}
      />
      <CorrectionDialog
        dataset={dataset}
        row={proposing}
        onClose={() => setProposing(null)}
        onProposed={() => {
          setProposing(null);
          onProposed();
        }}
      />
    </>
  );
}
