// SPDX-License-Identifier: Apache-2.0
// 事件: the incident queue of the user's region with filters and pages, a drawer with the timeline and the
// actions the status allows, and the report form. `#/incidents/<id>` opens one incident.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Empty, Flex, Input, Select, Table, type TableColumnsType, Tag, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { GRADES, type Incident, INCIDENT_STATUSES } from '../../../../contracts/dispatch-incidents.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { IncidentDrawer } from './incident-drawer.tsx';
import { GradeTag, StatusTag } from './incident-labels.tsx';
import { type IncidentFilter, incidentsApi } from './incidents-api.ts';
import { ReportDialog } from './report-dialog.tsx';
import { tablePagination } from '../../lib/paging.ts';

/** The deadline of the stage an incident is in, or null once no work is owed. */
function currentDue(i: Incident): string | null {
  return i.status === 'reported' ? i.dueVerifyAt : i.status === 'verified' ? i.dueRespondAt : i.status === 'responding' ? i.dueResolveAt : null;
}

export default function IncidentsPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const can = useCan();
  const openId = params[0] ?? null;
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const [filter, setFilter] = useState<Omit<IncidentFilter, 'q'>>({ sort: '-reportedAt' });
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [reporting, setReporting] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [query, filter]);

  const types = useAsync((signal) => incidentsApi.types(signal), []);
  const list = useAsync(
    (signal) => incidentsApi.list({ ...filter, q: query || undefined }, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [filter, query, page.current, page.pageSize, tick],
  );
  const typeTree = useMemo(() => {
    const all = types.data ?? [];
    const name = (x: { name: string; nameEn: string }) => (lang === 'en' ? x.nameEn : x.name);
    return all
      .filter((c) => !c.leaf)
      .map((c) => ({ value: c.code, title: name(c), children: all.filter((x) => x.parentCode === c.code).map((x) => ({ value: x.code, title: name(x) })) }));
  }, [types.data, lang]);
  const set = (patch: Partial<IncidentFilter>) => setFilter((f) => ({ ...f, ...patch }));

  const columns: TableColumnsType<Incident> = [
    {
      key: 'title',
      title: t('incident.titleCol'),
      render: (_, i) => (
        <Flex vertical>
          <Typography.Link strong onClick={() => navigate(`/incidents/${i.id}`)} data-testid="incident-link" data-id={i.id}>
            {i.title}
          </Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {lang === 'en' ? i.typeNameEn : i.typeName} · {t(`incident.source.${i.source}`)}
            {i.exercise && <Tag color="purple" style={{ marginInlineStart: 6 }}>{t('incident.exercise')}</Tag>}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'grade', title: t('incident.grade'), width: 130, render: (_, i) => <GradeTag grade={i.grade} /> },
    { key: 'status', title: t('incident.status'), width: 100, render: (_, i) => <StatusTag status={i.status} /> },
    {
      key: 'region',
      title: t('incident.region'),
      width: 200,
      render: (_, i) => (
        <Flex vertical>
          <span>{i.regionName ?? i.regionCode}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('incident.command')}: {i.commandRegionName ?? i.commandRegionCode}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'reportedAt', title: t('incident.reportedAt'), width: 170, render: (_, i) => formatDateTime(i.reportedAt, lang) },
    {
      key: 'due',
      title: t('incident.due'),
      width: 200,
      render: (_, i) => {
        const due = currentDue(i);
        if (!due) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
        return (
          <Flex vertical>
            <span>{formatDateTime(due, lang)}</span>
            <span>
              {i.overdue && <Tag color="red" data-testid="incident-overdue">{t('incident.overdue')}</Tag>}
              {i.supervisedStage === i.status && <Tag color="volcano">{t('incident.supervised')}</Tag>}
            </span>
          </Flex>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title={t('incident.title')}
        subtitle={t('incident.subtitle')}
        extra={
          can('incident:report') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setReporting(true)} data-testid="incident-report">
              {t('incident.report')}
            </Button>
          ) : undefined
        }
      />
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('incident.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} data-testid="incident-search" />
          <Select
            allowClear
            mode="multiple"
            maxTagCount="responsive"
            placeholder={t('incident.allStatuses')}
            style={{ width: 220 }}
            onChange={(v: string[]) => set({ status: v.length ? v.join(',') : undefined })}
            options={INCIDENT_STATUSES.map((s) => ({ value: s, label: t(`incident.status.${s}`) }))}
            data-testid="incident-filter-status"
          />
          <TreeSelect allowClear placeholder={t('incident.allTypes')} style={{ width: 200 }} treeData={typeTree} onChange={(v?: string) => set({ type: v })} data-testid="incident-filter-type" />
          <Select allowClear placeholder={t('incident.allGrades')} style={{ width: 150 }} onChange={(v?: string) => set({ grade: v })} options={GRADES.map((g) => ({ value: g, label: t(`incident.grade.${g}`) }))} />
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
          <Select
            style={{ width: 140 }}
            value={filter.sort}
            onChange={(v: string) => set({ sort: v })}
            options={[
              { value: '-reportedAt', label: t('incident.sortNewest') },
              { value: 'reportedAt', label: t('incident.sortOldest') },
              { value: 'due', label: t('incident.sortDue') },
            ]}
          />
          <Checkbox checked={filter.overdue === true} onChange={(e) => set({ overdue: e.target.checked || undefined })} data-testid="incident-filter-overdue">
            {t('incident.overdueOnly')}
          </Checkbox>
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<Incident>
          data-testid="incident-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.empty')} /> }}
          onRow={(i) => ({ onDoubleClick: () => navigate(`/incidents/${i.id}`) })}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      <IncidentDrawer id={openId} onClose={() => navigate('/incidents')} onChanged={() => setTick((n) => n + 1)} />
      <ReportDialog
        open={reporting}
        types={types.data ?? []}
        onClose={() => setReporting(false)}
        onReported={(id) => {
          setReporting(false);
          setTick((n) => n + 1);
          navigate(`/incidents/${id}`);
        }}
      />
    </>
  );
}
