// SPDX-License-Identifier: Apache-2.0
// 数据回流: data sets held at a higher level and published down; the rows of the user's own region, with
// lineage, and corrections sent back up to the owner. `#/datasets` lists, `#/datasets/<code>[/<tab>]` opens one.
import { ArrowLeftOutlined, CloudDownloadOutlined, CrownOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Flex, Input, Result, Table, type TableColumnsType, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Dataset } from '../../../../contracts/datasets.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { classificationColor } from '../../lib/domain.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { CorrectionsTab } from './corrections-tab.tsx';
import { datasetsApi } from './datasets-api.ts';
import { RowsTab } from './rows-tab.tsx';
import { VersionsTab } from './versions-tab.tsx';
import { tablePagination } from '../../lib/paging.ts';

const TABS = ['rows', 'versions', 'corrections'] as const;
type TabKey = (typeof TABS)[number];

export default function DatasetsPage({ params }: PageProps) {
  const [code, tab] = params;
  return code ? <DatasetDetail code={code} tab={(TABS as readonly string[]).includes(tab ?? '') ? (tab as TabKey) : 'rows'} /> : <DatasetList />;
}

/** The owner's side publishes; everyone else receives. */
function RoleTag({ dataset }: { dataset: Dataset }) {
  const { t } = useI18n();
  return dataset.isOwner ? (
    <Tag icon={<CrownOutlined />} color="gold" data-testid="dataset-role">
      {t('dataset.owner')}
    </Tag>
  ) : (
    <Tag icon={<CloudDownloadOutlined />} color="blue" data-testid="dataset-role">
      {t('dataset.receiver')}
    </Tag>
  );
}

function DatasetList() {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [query]);
  const list = useAsync((signal) => datasetsApi.list(query || undefined, page.pageSize, (page.current - 1) * page.pageSize, signal), [query, page.current, page.pageSize]);

  const columns: TableColumnsType<Dataset> = [
    {
      key: 'name',
      title: t('dataset.name'),
      render: (_, d) => (
        <Flex vertical>
          <Typography.Link strong onClick={() => navigate(`/datasets/${encodeURIComponent(d.code)}`)} data-testid="dataset-link" data-code={d.code}>
            {d.name}
          </Typography.Link>
          <Typography.Text type="secondary" className="yz-mono" style={{ fontSize: 12 }}>
            {d.code}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'owner',
      title: t('dataset.ownerOrg'),
      render: (_, d) => (
        <Flex vertical>
          <span>{d.ownerOrganizationName ?? d.ownerOrganizationId}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.ownerRegionName ?? d.ownerRegionCode}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'role', title: t('dataset.myRole'), width: 110, render: (_, d) => <RoleTag dataset={d} /> },
    { key: 'classification', title: t('dataset.classification'), width: 90, render: (_, d) => <Tag color={classificationColor(d.classification)}>{t(`clearance.${d.classification}`)}</Tag> },
    {
      key: 'version',
      title: t('dataset.currentVersion'),
      width: 190,
      render: (_, d) =>
        d.currentVersion === 0 ? (
          <Typography.Text type="secondary">{t('dataset.notPublished')}</Typography.Text>
        ) : (
          <Flex vertical>
            <span>{t('dataset.versionN', { version: d.currentVersion })}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(d.lastPublishedAt, lang)}
            </Typography.Text>
          </Flex>
        ),
    },
    {
      key: 'rows',
      title: t('dataset.rowsInScope'),
      width: 130,
      align: 'right',
      render: (_, d) => <span data-testid="dataset-row-count">{formatNumber(d.rowCount, lang)}</span>,
    },
  ];

  return (
    <>
      <PageHeader title={t('dataset.title')} subtitle={t('dataset.subtitle')} />
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('dataset.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} data-testid="dataset-search" />
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<Dataset>
          data-testid="dataset-table"
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="dataset-empty">{t('dataset.empty')}</span>} /> }}
          onRow={(d) => ({ onDoubleClick: () => navigate(`/datasets/${encodeURIComponent(d.code)}`) })}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
    </>
  );
}

function DatasetDetail({ code, tab }: { code: string; tab: TabKey }) {
  const { t, lang } = useI18n();
  const dataset = useAsync((signal) => datasetsApi.get(code, signal), [code]);
  // the version the rows tab reads; undefined = the current one
  const [asOf, setAsOf] = useState<number | undefined>(undefined);
  // bumped to reload the tabs: a proposal changes the corrections; a decision may also add a version
  const [tick, setTick] = useState({ rows: 0, corrections: 0 });
  useEffect(() => setAsOf(undefined), [code]);

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/datasets')} data-testid="dataset-back">
      {t('dataset.back')}
    </Button>
  );
  if (dataset.error !== undefined) {
    const status = dataset.error instanceof ApiError ? dataset.error.status : 0;
    return status === 404 || status === 403 ? (
      <Result status={status === 404 ? '404' : '403'} title={t(status === 404 ? 'dataset.notFound' : 'dataset.forbidden')} extra={back} data-testid="dataset-unavailable" />
    ) : (
      <ErrorAlert error={dataset.error} onRetry={dataset.reload} />
    );
  }
  const d = dataset.data;
  if (!d) return <Loading minHeight={400} />;
  const proposed = () => setTick((n) => ({ ...n, corrections: n.corrections + 1 }));
  const decided = () => {
    setTick((n) => ({ rows: n.rows + 1, corrections: n.corrections + 1 }));
    dataset.reload();
  };

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={10} wrap>
            <span data-testid="dataset-title">{d.name}</span>
            <RoleTag dataset={d} />
            <Tag color={classificationColor(d.classification)}>{t(`clearance.${d.classification}`)}</Tag>
          </Flex>
        }
        subtitle={d.description ?? undefined}
        extra={back}
      />
      <Card size="small" className="yz-mb-16">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label={t('dataset.code')}>
            <span className="yz-mono">{d.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('dataset.ownerOrg')}>
            {d.ownerOrganizationName ?? d.ownerOrganizationId} · {d.ownerRegionName ?? d.ownerRegionCode}
          </Descriptions.Item>
          <Descriptions.Item label={t('dataset.currentVersion')}>
            <span data-testid="dataset-current-version">{d.currentVersion === 0 ? t('dataset.notPublished') : t('dataset.versionN', { version: d.currentVersion })}</span>
            {d.lastPublishedAt && <Typography.Text type="secondary"> · {formatDateTime(d.lastPublishedAt, lang)}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('dataset.rowsInScope')}>{formatNumber(d.rowCount, lang)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => navigate(`/datasets/${encodeURIComponent(code)}/${key}`, true)}
          items={[
            { key: 'rows', label: <span data-testid="dataset-tab-rows">{t('dataset.tab.rows')}</span>, children: <RowsTab key={tick.rows} dataset={d} asOf={asOf} onAsOf={setAsOf} onProposed={proposed} /> },
            {
              key: 'versions',
              label: <span data-testid="dataset-tab-versions">{t('dataset.tab.versions')}</span>,
              children: (
                <VersionsTab
                  key={tick.rows}
                  dataset={d}
                  onOpen={(version) => {
                    setAsOf(version === d.currentVersion ? undefined : version);
                    navigate(`/datasets/${encodeURIComponent(code)}/rows`, true);
                  }}
                />
              ),
            },
            { key: 'corrections', label: <span data-testid="dataset-tab-corrections">{t('dataset.tab.corrections')}</span>, children: <CorrectionsTab key={tick.corrections} dataset={d} onDecided={decided} /> },
          ]}
        />
      </Card>
    </>
  );
}
