// SPDX-License-Identifier: Apache-2.0
// The published versions of a data set: where each came from and what it changed.
import { Button, Empty, Flex, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { Dataset, DatasetVersion } from '../../../../contracts/datasets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { datasetsApi } from './datasets-api.ts';

type Props = { dataset: Dataset; onOpen: (version: number) => void };

export function VersionsTab({ dataset, onOpen }: Props) {
  const { t, lang } = useI18n();
  const versions = useAsync((signal) => datasetsApi.versions(dataset.code, signal), [dataset.code]);
  const n = (v: number, color: string, sign: string) => (v === 0 ? <Typography.Text type="secondary">0</Typography.Text> : <Typography.Text style={{ color }}>{`${sign}${formatNumber(v, lang)}`}</Typography.Text>);

  const columns: TableColumnsType<DatasetVersion> = [
    {
      key: 'version',
      title: t('dataset.version'),
      width: 110,
      render: (_, v) => (
        <Flex gap={4} align="center">
          <Tag color={v.correctionId ? 'purple' : 'blue'}>{t('dataset.versionN', { version: v.version })}</Tag>
          {v.version === dataset.currentVersion && <Tag color="green">{t('dataset.current')}</Tag>}
        </Flex>
      ),
    },
    {
      key: 'source',
      title: t('dataset.source'),
      render: (_, v) => (
        <Flex vertical>
          <span>{v.source}</span>
          {v.note && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {v.note}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { key: 'publishedAt', title: t('dataset.publishedAt'), width: 170, render: (_, v) => formatDateTime(v.publishedAt, lang) },
    { key: 'by', title: t('dataset.publishedBy'), width: 130, dataIndex: 'publishedBy' },
    { key: 'added', title: t('dataset.added'), width: 80, align: 'right', render: (_, v) => n(v.added, '#389e0d', '+') },
    { key: 'changed', title: t('dataset.changed'), width: 80, align: 'right', render: (_, v) => n(v.changed, '#d48806', '~') },
    { key: 'removed', title: t('dataset.removed'), width: 80, align: 'right', render: (_, v) => n(v.removed, '#cf1322', '−') },
    { key: 'total', title: t('dataset.total'), width: 90, align: 'right', render: (_, v) => formatNumber(v.total, lang) },
    {
      key: 'open',
      title: t('common.actions'),
      width: 110,
      render: (_, v) => (
        <Button size="small" onClick={() => onOpen(v.version)} data-testid="version-open" data-version={v.version}>
          {t('dataset.openVersion')}
        </Button>
      ),
    },
  ];

  return (
    <>
      {versions.error !== undefined && <ErrorAlert error={versions.error} onRetry={versions.reload} className="yz-mb-12" />}
      <Table<DatasetVersion>
        data-testid="version-table"
        rowKey="version"
        size="middle"
        columns={columns}
        dataSource={versions.data?.items ?? []}
        loading={versions.loading}
        scroll={{ x: 900 }}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dataset.notPublished')} /> }}
      />
    </>
  );
}
