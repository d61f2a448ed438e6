// SPDX-License-Identifier: Apache-2.0
// 预案库: the contingency plans of the user's region and above — search and filters, a drawer per plan
// (versions, status actions, editor, diff, binding, export), and the import of a package from another city.
// `#/plans[/<id>]`.
import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Flex, Form, Input, Modal, Select, Space, Table, type TableColumnsType, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import type { ImportResult, Plan, PlanStatus } from '../../../../contracts/dispatch-plans.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { incidentsApi } from '../incidents/incidents-api.ts';
import { PlanDrawer } from './plan-drawer.tsx';
import { PLAN_STATUS_LIST, plansApi, STATUS_COLORS } from './plans-api.ts';
import { tablePagination } from '../../lib/paging.ts';

function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: (id: string) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [regionCode, setRegionCode] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [report, setReport] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (dryRun: boolean) => {
    if (!text || !regionCode) return;
    setError(undefined);
    try {
      const result = await plansApi.importPackage(text, { regionCode, code: code.trim() || undefined, dryRun });
      setReport(result);
      if (!dryRun && result.plan) {
        message.success(t('plan.imported'));
        onImported(result.plan.id);
      }
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal open={open} title={t('plan.import')} onCancel={onClose} footer={null} destroyOnHidden width={640}>
      <Flex vertical gap={12} data-testid="plan-import">
        <Upload accept=".yaml,.yml,.json" maxCount={1} showUploadList={false} beforeUpload={(file) => {
          void file.text().then((s) => { setText(s); setFileName(file.name); setReport(null); });
          return false;
        }}>
          <Button icon={<UploadOutlined />}>{fileName || t('plan.chooseFile')}</Button>
        </Upload>
        <Form layout="vertical" component="div">
          <Form.Item label={t('plan.importRegion')} htmlFor="plan-import-region" required style={{ marginBottom: 12 }}>
            <RegionPicker id="plan-import-region" value={regionCode} onChange={setRegionCode} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label={t('plan.importCode')} htmlFor="plan-import-code" style={{ marginBottom: 0 }}>
            <Input id="plan-import-code" placeholder={t('plan.newCode')} value={code} onChange={(e) => setCode(e.target.value)} />
          </Form.Item>
        </Form>
        {error !== undefined && <ErrorAlert error={error} />}
        {report && (
          <Descriptions size="small" column={1} bordered styles={{ label: { width: 132, whiteSpace: 'nowrap' } }} items={[
            { key: 'bound', label: t('plan.report.bound'), children: report.report.bound.map((b) => `${b.roleKey} → ${b.organizationName}`).join('; ') || '—' },
            { key: 'unbound', label: t('plan.report.unbound'), children: report.report.unbound.length ? report.report.unbound.map((k) => <Tag key={k} color="error">{k}</Tag>) : '—' },
            { key: 'roles', label: t('plan.report.unknownRoles'), children: report.report.unknownRoles.join(', ') || '—' },
            { key: 'types', label: t('plan.report.unknownResourceTypes'), children: report.report.unknownResourceTypes.join(', ') || '—' },
            { key: 'incident', label: t('plan.report.unknownIncidentType'), children: report.report.unknownIncidentType ?? '—' },
          ]} />
        )}
        <Space>
          <Button disabled={!text || !regionCode} onClick={() => void run(true)}>{t('plan.checkImport')}</Button>
          <Button type="primary" disabled={!text || !regionCode} onClick={() => void run(false)}>{t('plan.import')}</Button>
        </Space>
      </Flex>
    </Modal>
  );
}

export default function PlansPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const can = useCan();
  const selected = params[0] ?? null;
  const [scenarioType, setScenarioType] = useState<string | undefined>();
  const [status, setStatus] = useState<PlanStatus | undefined>();
  const [regionCode, setRegionCode] = useState<string | null>(null);
  const [qInput, setQInput] = useState('');
  const q = useDebounced(qInput.trim(), 300);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [tick, setTick] = useState(0);
  const [importing, setImporting] = useState(false);
  const filter = { scenarioType, status, regionCode, q: q || undefined };
  const filterKey = JSON.stringify(filter);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [filterKey]);
  const types = useAsync((signal) => incidentsApi.types(signal), []);
  const list = useAsync((signal) => plansApi.list(filter, page.pageSize, (page.current - 1) * page.pageSize, signal), [filterKey, page.current, page.pageSize, tick]);
  const open = (id: string | null) => navigate(id ? `/plans/${encodeURIComponent(id)}` : '/plans');

  const columns: TableColumnsType<Plan> = [
    {
      key: 'name',
      title: t('plan.name'),
      render: (_, r) => (
        <Flex vertical>
          <Typography.Link onClick={() => open(r.id)} data-testid="plan-link">{r.name}</Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.code} · v{r.latestVersion}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'scenario', title: t('plan.scenario'), width: 140, render: (_, r) => r.scenarioName ?? r.scenarioType },
    { key: 'status', title: t('plan.status'), width: 110, render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{t(`plan.status.${r.status}`)}</Tag> },
    { key: 'region', title: t('plan.region'), render: (_, r) => <Flex vertical><span>{r.regionName ?? r.regionCode}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.ownerOrganizationName}</Typography.Text></Flex> },
    { key: 'updated', title: t('plan.updatedAt'), width: 170, render: (_, r) => formatDateTime(r.updatedAt, lang) },
  ];

  return (
    <>
      <PageHeader title={t('plan.title')} subtitle={t('plan.subtitle')} extra={can('plan:write') ? <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="plan-import-open">{t('plan.import')}</Button> : undefined} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap>
          <Input.Search allowClear placeholder={t('plan.searchPlaceholder')} value={qInput} onChange={(e) => setQInput(e.target.value)} style={{ width: 220 }} data-testid="plan-search" />
          <Select<string> allowClear placeholder={t('plan.allScenarios')} value={scenarioType} onChange={setScenarioType} style={{ width: 180 }} loading={types.loading}
            options={(types.data ?? []).map((x) => ({ value: x.code, label: `${x.leaf ? '　' : ''}${lang === 'en' ? x.nameEn : x.name}` }))} />
          <Select<PlanStatus> allowClear placeholder={t('plan.allStatuses')} value={status} onChange={setStatus} style={{ width: 130 }}
            options={PLAN_STATUS_LIST.map((s) => ({ value: s, label: t(`plan.status.${s}`) }))} />
          <RegionPicker value={regionCode} onChange={setRegionCode} placeholder={t('plan.regionPlaceholder')} style={{ width: 220 }} />
        </Flex>
      </Card>
      <Card size="small">
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<Plan>
          data-testid="plan-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          onRow={(r) => ({ onDoubleClick: () => open(r.id) })}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      <PlanDrawer id={selected} onClose={() => open(null)} onChanged={() => setTick((x) => x + 1)} />
      <ImportDialog open={importing} onClose={() => setImporting(false)} onImported={(id) => { setImporting(false); setTick((x) => x + 1); open(id); }} />
    </>
  );
}
