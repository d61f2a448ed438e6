// SPDX-License-Identifier: Apache-2.0
// 组织机构: government departments and social organizations in the user's scope.
import { PlusOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Flex, Input, Segmented, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Organization } from '../../../../contracts/identity.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { OrganizationFormDrawer } from './organization-form.tsx';
import { organizationsApi } from './organizations-api.ts';
import { tablePagination } from '../../lib/paging.ts';
import { RelatedPolicies } from '../policies/related-policies.tsx';

type KindFilter = 'all' | Organization['kind'];

export default function OrganizationsPage(_props: PageProps) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const [kind, setKind] = useState<KindFilter>('all');
  const [regionCode, setRegionCode] = useState<string | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);

  // A new filter starts again at the first page.
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [query, kind, regionCode]);

  const list = useAsync(
    (signal) =>
      organizationsApi.list(
        { q: query || undefined, kind: kind === 'all' ? undefined : kind, regionCode },
        page.pageSize,
        (page.current - 1) * page.pageSize,
        signal,
      ),
    [query, kind, regionCode, page.current, page.pageSize],
  );

  const columns: TableColumnsType<Organization> = [
    {
      key: 'name',
      title: t('org.name'),
      dataIndex: 'name',
      render: (name: string, o) => (
        <Flex vertical>
          <Typography.Text strong>{name}</Typography.Text>
          {o.creditCode && (
            <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
              {o.creditCode}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'kind',
      title: t('org.kind'),
      width: 110,
      render: (_, o) => <Tag color={o.kind === 'government' ? 'blue' : 'green'}>{t(`org.kind.${o.kind}`)}</Tag>,
    },
    {
      key: 'type',
      title: t('org.type'),
      width: 150,
      render: (_, o) =>
        o.departmentType ? t(`dept.${o.departmentType}`) : o.socialType ? t(`social.${o.socialType}`) : t('common.none'),
    },
    {
      key: 'region',
      title: t('org.region'),
      width: 180,
      render: (_, o) => (
        <Flex vertical>
          <span>{o.regionName ?? o.regionCode}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o.regionCode}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'qualifications',
      title: t('org.qualifications'),
      render: (_, o) =>
        o.qualifications.length === 0
          ? t('common.none')
          : o.qualifications.map((q) => (
              <Tag key={q} variant="filled">
                {q}
              </Tag>
            )),
    },
    {
      key: 'contact',
      title: t('org.contactName'),
      width: 150,
      render: (_, o) =>
        o.contactName || o.contactPhone ? (
          <Flex vertical>
            <span>{o.contactName ?? t('common.none')}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {o.contactPhone}
            </Typography.Text>
          </Flex>
        ) : (
          t('common.none')
        ),
    },
    {
      key: 'active',
      title: t('common.status'),
      width: 90,
      render: (_, o) => <Badge status={o.active ? 'success' : 'default'} text={o.active ? t('org.active') : t('org.inactive')} />,
    },
    { key: 'createdAt', title: t('common.createdAt'), width: 170, render: (_, o) => formatDateTime(o.createdAt, lang) },
  ];

  return (
    <>
      <PageHeader
        title={t('org.title')}
        subtitle={t('org.subtitle')}
        extra={
          can('org:write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="org-create">
              {t('org.create')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('org.searchPlaceholder')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ width: 240 }}
            data-testid="org-search"
          />
          <Segmented<KindFilter>
            value={kind}
            onChange={setKind}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'government', label: t('org.kind.government') },
              { value: 'social', label: t('org.kind.social') },
            ]}
          />
          <RegionPicker value={regionCode} onChange={setRegionCode} placeholder={t('org.regionFilter')} style={{ width: 260 }} />
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<Organization>
          data-testid="org-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 1100 }}
          expandable={can('policy:read') ? { expandedRowRender: (o) => <div data-testid="org-policies"><Typography.Text strong>{t('policy.related.title')}</Typography.Text><RelatedPolicies by={{ organization: o.id }} /></div> } : undefined}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      <OrganizationFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(org) => {
          setCreating(false);
          message.success(t('org.created', { name: org.name }));
          list.reload();
        }}
      />
    </>
  );
}
