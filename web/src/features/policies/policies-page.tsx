// SPDX-License-Identifier: Apache-2.0
// 政策: the policies that apply in the user's region — searched, filtered by status and region, paged — and
// issuing one. `#/policies/<code>[/linkage]` opens a policy with its goals and five linkages.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Input, Select, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Policy } from '../../../../contracts/policies.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { RegionLabel } from '../indicators/indicator-labels.tsx';
import { POLICY_STATUS_LIST, type PolicyFilter, type PolicyStatus, policiesApi } from './policies-api.ts';
import { PolicyFormDrawer } from './policy-form.tsx';
import { PolicyStatusTag } from './policy-labels.tsx';
import { PolicyView } from './policy-view.tsx';
import { tablePagination } from '../../lib/paging.ts';

export default function PoliciesPage({ params }: PageProps) {
  const code = params[0];
  if (code) return <PolicyView code={code} tab={params[1] === 'linkage' ? 'linkage' : 'goals'} />;
  return <PolicyList />;
}

function PolicyList() {
  const { t } = useI18n();
  const can = useCan();
  const [qInput, setQInput] = useState('');
  const q = useDebounced(qInput.trim(), 300);
  const [status, setStatus] = useState<PolicyStatus | undefined>();
  const [region, setRegion] = useState<string | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const filter: PolicyFilter = { q: q || undefined, status, regionCode: region };
  const filterKey = JSON.stringify(filter);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [filterKey]);

  const list = useAsync((signal) => policiesApi.list(filter, page.pageSize, (page.current - 1) * page.pageSize, signal), [filterKey, page.current, page.pageSize]);
  const open = (p: Policy) => navigate(`/policies/${encodeURIComponent(p.code)}`);
  const filtered = Boolean(q || status || region);

  const columns: TableColumnsType<Policy> = [
    {
      key: 'title',
      title: t('policy.titleCol'),
      render: (_, p) => (
        <Flex vertical>
          <Typography.Link strong onClick={() => open(p)} data-testid="policy-link" data-code={p.code}>
            {p.title}
          </Typography.Link>
          <Typography.Text type="secondary" className="yz-mono" style={{ fontSize: 12 }}>
            {p.code}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'issuer',
      title: t('policy.issuer'),
      width: 240,
      render: (_, p) => (
        <Flex vertical>
          <span>{p.issuerOrganizationName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('policy.appliesIn')} <RegionLabel code={p.regionCode} name={p.regionName} />
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'issuedOn', title: t('policy.issuedOn'), width: 120, render: (_, p) => formatDate(p.issuedOn) },
    { key: 'status', title: t('common.status'), width: 90, render: (_, p) => <PolicyStatusTag status={p.status} /> },
    {
      key: 'counts',
      title: t('policy.counts'),
      width: 220,
      render: (_, p) => (
        <Typography.Text type="secondary" data-testid="policy-counts" style={{ whiteSpace: 'nowrap' }}>
          {t('policy.countsText', { clauses: p.clauses.length, goals: p.goalCount, tasks: p.taskCount })}
        </Typography.Text>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('policy.title')}
        subtitle={t('policy.subtitle')}
        extra={
          can('policy:write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="policy-create">
              {t('policy.create')}
            </Button>
          ) : undefined
        }
      />
      <Card size="small">
        <Flex gap={12} wrap className="yz-mb-12" align="center">
          <Input.Search allowClear placeholder={t('policy.searchPlaceholder')} value={qInput} onChange={(e) => setQInput(e.target.value)} style={{ width: 260 }} data-testid="policy-search" />
          <Select<PolicyStatus>
            allowClear
            placeholder={t('policy.allStatuses')}
            value={status}
            onChange={setStatus}
            style={{ width: 130 }}
            options={POLICY_STATUS_LIST.map((s) => ({ value: s, label: t(`policy.status.${s}`) }))}
            data-testid="policy-filter-status"
          />
          <RegionPicker value={region} onChange={setRegion} placeholder={t('policy.allRegions')} style={{ width: 240 }} data-testid="policy-filter-region" />
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<Policy>
          data-testid="policy-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          onRow={(p) => ({ onDoubleClick: () => open(p), 'data-testid': 'policy-row', 'data-code': p.code } as React.HTMLAttributes<HTMLElement>)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="policy-empty">{t(filtered ? 'policy.emptyFiltered' : 'policy.empty')}</span>} /> }}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      <PolicyFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(p) => {
          setCreating(false);
          navigate(`/policies/${encodeURIComponent(p.code)}`);
        }}
      />
    </>
  );
}
