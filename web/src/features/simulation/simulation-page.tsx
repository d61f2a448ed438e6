// SPDX-License-Identifier: Apache-2.0
// 仿真推演: replay a period of a region's incidents against the resources and plans, with variants ("two
// more pump trucks in county X") side by side — response times, what could not be sent, what was borrowed.
// Past runs are listed; `#/simulation/<id>` opens one.
import { DeleteOutlined, PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Flex, Input, InputNumber, Row, Select, Space, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Simulation, SimulationSummary, VariantResult } from '../../../../contracts/dispatch-simulation.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError, errorMessage } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { ResponseChart } from './response-chart.tsx';
import { simulationApi } from './simulation-api.ts';

type Change = { type: string | null; regionCode: string | null; delta: number };
type VariantDraft = { name: string; changes: Change[] };

const isoDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export default function SimulationPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const me = useMe();
  const openId = params[0] ?? null;
  const [regionCode, setRegionCode] = useState<string | null>(me.scopeCode);
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 365 * 86_400_000)));
  const [to, setTo] = useState(isoDay(new Date(Date.now() + 86_400_000)));
  const [seed, setSeed] = useState<number>(1);
  const [variants, setVariants] = useState<VariantDraft[]>([]);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const types = useAsync((signal) => simulationApi.resourceTypes(signal), []);
  const runs = useAsync((signal) => simulationApi.list(20, 0, signal), [tick]);
  const shown = useAsync((signal) => (openId ? simulationApi.get(openId, signal) : undefined), [openId]);
  useEffect(() => setRunError(null), [regionCode, from, to, seed, variants]);

  const typeName = (code: string) => {
    const ty = types.data?.items.find((x) => x.code === code);
    return ty ? (lang === 'en' ? ty.nameEn : ty.nameZh) : code;
  };
  const setVariant = (i: number, patch: Partial<VariantDraft>) => setVariants((vs) => vs.map((v, k) => (k === i ? { ...v, ...patch } : v)));
  const setChange = (i: number, j: number, patch: Partial<Change>) =>
    setVariant(i, { changes: (variants[i]?.changes ?? []).map((c, k) => (k === j ? { ...c, ...patch } : c)) });
  const complete = variants.every((v) => v.name.trim() && v.changes.length && v.changes.every((c) => c.type && c.regionCode && c.delta !== 0));

  const run = async () => {
    if (!regionCode) return;
    setRunning(true);
    setRunError(null);
    try {
      const result = await simulationApi.run({
        regionCode, from, to, seed,
        variants: variants.map((v) => ({ name: v.name.trim(), changes: v.changes.map((c) => ({ type: c.type as string, regionCode: c.regionCode as string, delta: c.delta })) })),
      });
      setTick((n) => n + 1);
      navigate(`/simulation/${result.id}`);
    } catch (err) {
      setRunError(err);
    } finally {
      setRunning(false);
    }
  };

  const runColumns: TableColumnsType<SimulationSummary> = [
    {
      key: 'run', title: t('sim.runAt'),
      render: (_, r) => (
        <Flex vertical>
          <Typography.Link onClick={() => navigate(`/simulation/${r.id}`)} data-testid="sim-run-link">{r.regionName ?? r.regionCode} · {formatDateTime(r.createdAt, lang)}</Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.from} – {r.to} · {r.variantNames.join('、')}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'incidents', title: t('sim.incidents'), width: 80, align: 'right', render: (_, r) => r.incidents },
  ];

  return (
    <>
      <PageHeader title={t('sim.title')} subtitle={t('sim.subtitle')} />
      <Row gutter={16}>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('sim.setup')} data-testid="sim-setup">
            <Flex vertical gap={12}>
              <label>
                <Typography.Text type="secondary">{t('sim.region')}</Typography.Text>
                <RegionPicker value={regionCode} onChange={setRegionCode} allowClear={false} style={{ width: '100%' }} id="sim-region" />
              </label>
              <Flex gap={8}>
                <label style={{ flex: 1 }}>
                  <Typography.Text type="secondary">{t('sim.from')}</Typography.Text>
                  <Input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="sim-from" />
                </label>
                <label style={{ flex: 1 }}>
                  <Typography.Text type="secondary">{t('sim.to')}</Typography.Text>
                  <Input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="sim-to" />
                </label>
                <label style={{ width: 96 }}>
                  <Typography.Text type="secondary">{t('sim.seed')}</Typography.Text>
                  <InputNumber min={0} precision={0} value={seed} onChange={(v) => setSeed(v ?? 1)} style={{ width: '100%' }} data-testid="sim-seed" />
                </label>
              </Flex>
              <Typography.Text strong>{t('sim.variantsTitle')}</Typography.Text>
              {variants.length === 0 && <Typography.Text type="secondary">{t('sim.noVariants')}</Typography.Text>}
              {variants.map((v, i) => (
                <Card key={i} size="small" type="inner" data-testid="sim-variant"
                  title={<Input value={v.name} placeholder={t('sim.variantName')} onChange={(e) => setVariant(i, { name: e.target.value })} variant="borderless" data-testid="sim-variant-name" />}
                  extra={<Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('sim.removeVariant')} onClick={() => setVariants((vs) => vs.filter((_, k) => k !== i))} />}>
                  <Flex vertical gap={8}>
                    {v.changes.map((c, j) => (
                      <Space.Compact key={j} style={{ width: '100%' }}>
                        <Select style={{ width: '32%' }} placeholder={t('sim.type')} value={c.type} data-testid="sim-change-type"
                          options={(types.data?.items ?? []).map((ty) => ({ value: ty.code, label: lang === 'en' ? ty.nameEn : ty.nameZh }))}
                          onChange={(type: string) => setChange(i, j, { type })} showSearch optionFilterProp="label" />
                        <RegionPicker style={{ width: '44%' }} value={c.regionCode} onChange={(regionCode) => setChange(i, j, { regionCode })} placeholder={t('sim.changeRegion')} />
                        <InputNumber style={{ width: '24%' }} value={c.delta} min={-1000} max={1000} precision={0} onChange={(d) => setChange(i, j, { delta: d ?? 0 })} data-testid="sim-change-delta" />
                      </Space.Compact>
                    ))}
                    <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setVariant(i, { changes: [...v.changes, { type: null, regionCode: null, delta: 1 }] })}>
                      {t('sim.addChange')}
                    </Button>
                  </Flex>
                </Card>
              ))}
              <Flex gap={8} justify="space-between">
                <Button icon={<PlusOutlined />} disabled={variants.length >= 5} data-testid="sim-add-variant"
                  onClick={() => setVariants((vs) => [...vs, { name: `${t('sim.variant')} ${vs.length + 1}`, changes: [{ type: 'pump-truck', regionCode: regionCode, delta: 2 }] }])}>
                  {t('sim.addVariant')}
                </Button>
                <Button type="primary" icon={<PlayCircleOutlined />} loading={running} disabled={!regionCode || !complete} onClick={() => void run()} data-testid="sim-run">
                  {t('sim.run')}
                </Button>
              </Flex>
              {runError !== null && (
                <Alert type="error" showIcon message={t('sim.failed')} data-testid="sim-error"
                  description={
                    <Flex vertical>
                      <span>{errorMessage(runError)}</span>
                      {runError instanceof ApiError && runError.fieldErrors.map((f) => <span key={f.field}>{f.message}</span>)}
                    </Flex>
                  } />
              )}
            </Flex>
          </Card>
          <Card size="small" title={t('sim.history')} style={{ marginTop: 16 }}>
            {runs.error ? <ErrorAlert error={runs.error} onRetry={runs.reload} /> : (
              <Table rowKey="id" size="small" columns={runColumns} dataSource={runs.data?.items ?? []} loading={runs.loading} pagination={false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sim.noRuns')} /> }} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          {!openId && <Card size="small"><Empty description={t('sim.pick')} /></Card>}
          {openId && shown.loading && !shown.data && <Loading />}
          {openId && shown.error !== null && shown.error !== undefined && <ErrorAlert error={shown.error} onRetry={shown.reload} />}
          {openId && shown.data && <Result sim={shown.data} typeName={typeName} />}
        </Col>
      </Row>
    </>
  );
}

function Result({ sim, typeName }: { sim: Simulation; typeName: (code: string) => string }) {
  const { t } = useI18n();
  const base = sim.variants[0] as VariantResult;
  const num = (n: number | null) => (n === null ? '—' : n.toFixed(1));
  type Row = { key: string; label: string; values: string[] };
  const types = [...new Set(sim.variants.flatMap((v) => v.unmet.byType.map((x) => x.type)))].sort();
  const rows: Row[] = [
    { key: 'asked', label: t('sim.asked'), values: sim.variants.map((v) => String(v.incidentsWithRequests)) },
    { key: 'mean', label: t('sim.mean'), values: sim.variants.map((v) => num(v.responseMinutes.mean)) },
    { key: 'p50', label: 'p50', values: sim.variants.map((v) => num(v.responseMinutes.p50)) },
    { key: 'p95', label: 'p95', values: sim.variants.map((v) => num(v.responseMinutes.p95)) },
    { key: 'max', label: t('sim.max'), values: sim.variants.map((v) => num(v.responseMinutes.max)) },
    { key: 'unmet', label: t('sim.unmetIncidents'), values: sim.variants.map((v) => String(v.unmet.incidents)) },
    ...types.map((ty) => ({ key: `unmet-${ty}`, label: `${t('sim.short')} · ${typeName(ty)}`, values: sim.variants.map((v) => String(v.unmet.byType.find((x) => x.type === ty)?.units ?? 0)) })),
    { key: 'borrowedIncidents', label: t('sim.borrowedIncidents'), values: sim.variants.map((v) => String(v.borrowed.incidents)) },
    { key: 'borrowedUnits', label: t('sim.borrowedUnits'), values: sim.variants.map((v) => String(v.borrowed.units)) },
  ];
  const columns: TableColumnsType<Row> = [
    { key: 'label', title: '', render: (_, r) => r.label },
    ...sim.variants.map((v, i) => ({ key: `v${i}`, title: v.name, align: 'right' as const, render: (_: unknown, r: Row) => r.values[i] })),
  ];
  return (
    <Flex vertical gap={16} data-testid="sim-result">
      <Card size="small" title={`${sim.regionName ?? sim.regionCode} · ${sim.from} – ${sim.to}`} extra={<Typography.Text type="secondary">{t('sim.seed')} {sim.seed}</Typography.Text>}>
        <Row gutter={16}>
          <Col span={6}><Statistic title={t('sim.incidents')} value={sim.incidents} /></Col>
          <Col span={6}><Statistic title={t('sim.withoutPlan')} value={sim.withoutPlan} /></Col>
          <Col span={6}><Statistic title={t('sim.resources')} value={sim.resources} /></Col>
          <Col span={6}><Statistic title={`${t('sim.p50')} (${base.name})`} value={base.responseMinutes.p50 ?? '—'} precision={1} suffix={t('sim.minutes')} /></Col>
        </Row>
      </Card>
      <Card size="small" title={t('sim.histogram')}>
        <ResponseChart variants={sim.variants} />
      </Card>
      <Card size="small" title={t('sim.comparison')}>
        <Table rowKey="key" size="small" columns={columns} dataSource={rows} pagination={false} data-testid="sim-comparison" />
      </Card>
      <Card size="small" title={t('sim.borrowedFrom')}>
        {base.borrowed.byRegion.length === 0 ? <Typography.Text type="secondary">{t('sim.noBorrowing')}</Typography.Text> : (
          <Flex vertical gap={4}>
            {base.borrowed.byRegion.map((b) => (
              <Flex key={b.regionCode} justify="space-between"><span>{b.regionName ?? b.regionCode}</span><span>{b.units}</span></Flex>
            ))}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
