// SPDX-License-Identifier: Apache-2.0
// 应急资源: the dispatchable resources of the user's region — a filtered table, a map coloured by status,
// and a drawer for one resource (status changes, reservations). `#/resources[/<id>]`.
import { Card, Col, Empty, Flex, Input, Row, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { OwnerKind, Resource, ResourceStatus } from '../../../../contracts/dispatch-resources.ts';
import type { Level } from '../../../../contracts/regions.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { childLevelOf } from '../../lib/domain.ts';
import { formatNumber } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { useViewportHeight } from '../../lib/use-viewport-height.ts';
import { regionsApi } from '../regions/regions-api.ts';
import { ResourceDrawer } from './resource-drawer.tsx';
import { ResourceMap } from './resource-map.tsx';
import { resourcesApi, STATUS_COLORS, STATUS_LIST } from './resources-api.ts';
import { tablePagination } from '../../lib/paging.ts';

// Dots the map draws at most; the table pages through the rest.
const MAP_LIMIT = 1000;

export default function ResourcesPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const me = useMe();
  const viewport = useViewportHeight();
  const mapHeight = Math.max(360, viewport - 300);
  const selected = params[0] ?? null;

  const [type, setType] = useState<string | undefined>();
  const [status, setStatus] = useState<ResourceStatus | undefined>();
  const [ownerKind, setOwnerKind] = useState<OwnerKind | undefined>();
  const [regionCode, setRegionCode] = useState<string | null>(null);
  const [capabilityInput, setCapabilityInput] = useState('');
  const [qInput, setQInput] = useState('');
  const capability = useDebounced(capabilityInput.trim(), 300);
  const q = useDebounced(qInput.trim(), 300);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [tick, setTick] = useState(0);
  const filter = { type, status, ownerKind, regionCode, capability: capability || undefined, q: q || undefined };
  const filterKey = JSON.stringify(filter);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [filterKey]);

  const types = useAsync((signal) => resourcesApi.types(signal), []);
  const list = useAsync((signal) => resourcesApi.list(filter, page.pageSize, (page.current - 1) * page.pageSize, signal), [filterKey, page.current, page.pageSize, tick]);
  const onMap = useAsync((signal) => resourcesApi.list(filter, MAP_LIMIT, 0, signal), [filterKey, tick]);

  // The map's region: the chosen one, else the user's own, else the first they may see.
  const roots = useAsync((signal) => (me.scopeCode ? undefined : regionsApi.roots(signal)), [me.scopeCode]);
  const mapCode = regionCode ?? me.scopeCode ?? roots.data?.items[0]?.code ?? null;
  const mapRegion = useAsync((signal) => (mapCode ? regionsApi.get(mapCode, signal) : undefined), [mapCode]);
  const mapLevel: Level | null = mapRegion.data ? (childLevelOf(mapRegion.data.level) ?? mapRegion.data.level) : null;

  const open = (id: string | null) => navigate(id ? `/resources/${encodeURIComponent(id)}` : '/resources');

  const columns: TableColumnsType<Resource> = [
    {
      key: 'name',
      title: t('resource.name'),
      render: (_, r) => (
        <Flex vertical>
          <Typography.Link onClick={() => open(r.id)} data-testid="resource-link">{r.name}</Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.typeName}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('resource.status'),
      width: 100,
      render: (_, r) => (
        <Flex vertical gap={2}>
          <Tag color={STATUS_COLORS[r.status]}>{t(`resource.status.${r.status}`)}</Tag>
          {!r.offered && <Typography.Text type="danger" style={{ fontSize: 12 }}>{t('resource.notOffered')}</Typography.Text>}
        </Flex>
      ),
    },
    {
      key: 'amount',
      title: t('resource.quantity'),
      width: 120,
      align: 'right',
      render: (_, r) => (r.isStock ? `${formatNumber(r.quantityAvailable, lang)} / ${formatNumber(r.quantityTotal, lang)} ${r.unit}` : r.capacity !== null ? `${formatNumber(r.capacity, lang)} ${t('resource.people')}` : '—'),
    },
    {
      key: 'owner',
      title: t('resource.owner'),
      render: (_, r) => (
        <Flex vertical>
          <span>{r.ownerOrganizationName ?? r.ownerOrganizationId}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.regionName ?? r.regionCode}</Typography.Text>
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('resource.title')} subtitle={t('resource.subtitle')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap>
          <Input.Search allowClear placeholder={t('resource.searchPlaceholder')} value={qInput} onChange={(e) => setQInput(e.target.value)} style={{ width: 220 }} data-testid="resource-search" />
          <Select<string>
            allowClear
            placeholder={t('resource.allTypes')}
            value={type}
            onChange={setType}
            style={{ width: 160 }}
            loading={types.loading}
            options={(types.data?.items ?? []).map((x) => ({ value: x.code, label: lang === 'en' ? x.nameEn : x.nameZh }))}
            data-testid="resource-type-filter"
          />
          <Select<ResourceStatus>
            allowClear
            placeholder={t('resource.allStatuses')}
            value={status}
            onChange={setStatus}
            style={{ width: 130 }}
            options={STATUS_LIST.map((s) => ({ value: s, label: t(`resource.status.${s}`) }))}
            data-testid="resource-status-filter"
          />
          <Select<OwnerKind>
            allowClear
            placeholder={t('resource.allOwners')}
            value={ownerKind}
            onChange={setOwnerKind}
            style={{ width: 130 }}
            options={(['government', 'social'] as const).map((k) => ({ value: k, label: t(`resource.ownerKind.${k}`) }))}
          />
          <Input allowClear placeholder={t('resource.capabilityPlaceholder')} value={capabilityInput} onChange={(e) => setCapabilityInput(e.target.value)} style={{ width: 160 }} />
          <RegionPicker value={regionCode} onChange={setRegionCode} placeholder={t('resource.regionPlaceholder')} style={{ width: 220 }} />
        </Flex>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <Card size="small">
            {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
            <Table<Resource>
              data-testid="resource-table"
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.loading}
              rowClassName={(r) => (r.id === selected ? 'ant-table-row-selected' : '')}
              onRow={(r) => ({ onDoubleClick: () => open(r.id) })}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="resource-empty">{t('resource.empty')}</span>} /> }}
              pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
            />
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card size="small" title={t('resource.map')} extra={onMap.data && onMap.data.total > MAP_LIMIT ? <Typography.Text type="secondary">{t('resource.mapTruncated', { shown: MAP_LIMIT, total: onMap.data.total })}</Typography.Text> : undefined}>
            {onMap.error !== undefined && <ErrorAlert error={onMap.error} onRetry={onMap.reload} />}
            {mapCode && mapLevel ? (
              <ResourceMap code={mapCode} level={mapLevel} resources={onMap.data?.items ?? []} height={mapHeight} onSelect={open} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Card>
        </Col>
      </Row>
      <ResourceDrawer id={selected} onClose={() => open(null)} onChanged={() => setTick((x) => x + 1)} />
    </>
  );
}
