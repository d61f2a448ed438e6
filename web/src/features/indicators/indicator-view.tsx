// SPDX-License-Identifier: Apache-2.0
// One indicator: its definition in words, the chosen region's trend against thresholds and target, and the
// child regions of the chosen period — ranked worst first as bars and a table, or on the map. Writers
// compute it now and set targets.
import { AimOutlined, ArrowLeftOutlined, BarChartOutlined, EnvironmentOutlined, StarFilled, SyncOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Flex, Result, Row, Segmented, Select, Statistic, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ComputeResult, Indicator, IndicatorValue } from '../../../../contracts/indicators.ts';
import { lastPeriods, periodAt } from '../../../../contracts/indicator-periods.ts';
import { inScope, scopePrefixOf } from '../../../../contracts/region-codes.ts';
import type { Level } from '../../../../contracts/regions.ts';
import { navigate } from '../../app/router.ts';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { childLevelOf } from '../../lib/domain.ts';
import { useAsync } from '../../lib/use-async.ts';
import { organizationsApi } from '../organizations/organizations-api.ts';
import { regionsApi } from '../regions/regions-api.ts';
import { AnalysisPlanView, IndicatorDefinition } from './indicator-definition.tsx';
import { formatIndicatorValue, GapText, indicatorName, ValueStatusTag } from './indicator-labels.tsx';
import { indicatorsApi, VALUE_STATUS_FILL, VALUE_STATUS_LIST, worstFirst } from './indicators-api.ts';
import { RankingChart } from './ranking-chart.tsx';
import { RegionStatusMap } from './region-status-map.tsx';
import { TargetsEditor } from './targets-editor.tsx';
import { type TrendPoint, TrendChart } from './trend-chart.tsx';
import { RelatedPolicies } from '../policies/related-policies.tsx';

/** Periods the trend shows. */
const TREND = { day: 30, week: 26, month: 24, quarter: 12, year: 10 } as const;
/** Periods the trend shows at least, even before the first value. */
const MIN_TREND = { day: 14, week: 12, month: 12, quarter: 8, year: 5 } as const;
/** Levels whose regions have values (grids have none). */
const VALUE_LEVELS: readonly Level[] = ['province', 'city', 'county', 'township', 'village'];

type Props = { code: string; regionCode: string | null };

export function IndicatorView({ code, regionCode }: Props) {
  const { t } = useI18n();
  const me = useMe();
  const ind = useAsync((signal) => indicatorsApi.get(code, signal), [code]);
  // Without a region in the address: the user's scope, else the first region they may see.
  const roots = useAsync((signal) => (!regionCode && !me.scopeCode ? regionsApi.roots(signal) : undefined), [regionCode, me.scopeCode]);
  const region = regionCode ?? me.scopeCode ?? roots.data?.items[0]?.code ?? null;

  if (ind.error !== undefined && !ind.data) {
    const status = ind.error instanceof ApiError ? ind.error.status : 0;
    return status === 404 ? (
      <Result
        status="404"
        title={t('indicator.notFound')}
        data-testid="indicator-not-found"
        extra={<Button onClick={() => navigate('/indicators')}>{t('indicator.backToCatalog')}</Button>}
      />
    ) : (
      <ErrorAlert error={ind.error} onRetry={ind.reload} />
    );
  }
  if (!ind.data || ind.data.code !== code) return <Loading minHeight={400} />;
  if (!region) return roots.error !== undefined ? <ErrorAlert error={roots.error} onRetry={roots.reload} /> : <Loading minHeight={400} />;
  return (
    <IndicatorBody
      ind={ind.data}
      region={region}
      onRegion={(r) => navigate(`/indicators/${encodeURIComponent(code)}/${r}`)}
      onChanged={ind.reload}
    />
  );
}

function IndicatorBody({ ind, region, onRegion, onChanged }: { ind: Indicator; region: string; onRegion: (code: string) => void; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const me = useMe();
  const writes = can('indicator:write');
  // Computing needs a scope that covers the owner organization's region: it is among the organizations
  // the user may list (within their scope) exactly then.
  const owner = useAsync(
    (signal) => (writes ? organizationsApi.list({ q: ind.ownerOrganizationName }, 50, 0, signal) : undefined),
    [writes, ind.ownerOrganizationName],
  );
  const ownerRegion = owner.data?.items.find((o) => o.id === ind.ownerOrganizationId)?.regionCode;
  const computes = writes && ownerRegion !== undefined && inScope(scopePrefixOf(me.scopeCode), ownerRegion);
  const periods = useMemo(() => lastPeriods(ind.period, periodAt(ind.period, new Date()), TREND[ind.period]), [ind.period]);
  const [tick, setTick] = useState(0);
  const regionInfo = useAsync((signal) => regionsApi.get(region, signal), [region]);
  const trend = useAsync(
    (signal) => indicatorsApi.values(ind.code, { region, from: periods[0], to: periods[periods.length - 1], sort: 'period' }, 1000, 0, signal),
    [ind.code, region, periods, tick],
  );
  const [period, setPeriod] = useState<string | null>(null);
  // The latest period with a value is shown first; a choice made stays while it is in range.
  const trendItems = trend.data?.items;
  useEffect(() => {
    if (!trendItems) return;
    setPeriod((p) => {
      if (p && periods.includes(p)) return p;
      const withValue = [...trendItems].reverse().find((v) => v.value !== null);
      return withValue?.period ?? periods[periods.length - 1] ?? null;
    });
  }, [trendItems, periods]);

  const level = regionInfo.data?.code === region ? regionInfo.data.level : undefined;
  const childLevel = level ? childLevelOf(level) : null;
  const hasChildren = childLevel !== null && VALUE_LEVELS.includes(childLevel) && (regionInfo.data?.childCount ?? 0) > 0;
  const children = useAsync(
    (signal) => (hasChildren && period ? indicatorsApi.values(ind.code, { parent: region, period, sort: 'region' }, 1000, 0, signal) : undefined),
    [ind.code, region, period, hasChildren, tick],
  );
  const ranked = useMemo(() => worstFirst(children.data?.items ?? [], ind.direction), [children.data, ind.direction]);
  const childNames = useAsync((signal) => (hasChildren && lang === 'en' ? regionsApi.children(region, signal) : undefined), [region, hasChildren, lang]);
  const nameOf = useCallback(
    (v: Pick<IndicatorValue, 'regionCode' | 'regionName'>) => {
      const r = childNames.data?.items.find((x) => x.code === v.regionCode);
      return (lang === 'en' ? r?.nameEn : null) ?? v.regionName ?? v.regionCode;
    },
    [childNames.data, lang],
  );

  const points: TrendPoint[] = useMemo(() => {
    const by = new Map((trendItems ?? []).map((v) => [v.period, v]));
    // From the first period with a value (but at least a year's worth of the last periods).
    const first = periods.findIndex((p) => (by.get(p)?.value ?? null) !== null);
    const from = first < 0 ? 0 : Math.min(first, Math.max(0, periods.length - MIN_TREND[ind.period]));
    return periods.slice(from).map((p) => {
      const v = by.get(p);
      return { period: p, value: v?.value ?? null, target: v?.target ?? null, status: v?.status ?? 'none' };
    });
  }, [trendItems, periods, ind.period]);
  const current = trendItems?.find((v) => v.period === period) ?? null;

  const [computing, setComputing] = useState(false);
  const [computed, setComputed] = useState<ComputeResult | null>(null);
  const [computeError, setComputeError] = useState<unknown>(undefined);
  const [editingTargets, setEditingTargets] = useState(false);
  const [view, setView] = useState<'bars' | 'map'>('bars');
  const [infoTab, setInfoTab] = useState<'definition' | 'plan' | 'policies'>('definition');

  const compute = async () => {
    setComputing(true);
    setComputeError(undefined);
    setComputed(null);
    try {
      setComputed(await indicatorsApi.compute(ind.code, {}));
      setTick((x) => x + 1);
      onChanged();
    } catch (err) {
      setComputeError(err);
    } finally {
      setComputing(false);
    }
  };

  const regionName = regionInfo.data?.code === region ? (lang === 'en' && regionInfo.data.nameEn ? regionInfo.data.nameEn : regionInfo.data.name) : region;
  const fillOf = useCallback((c: string) => {
    const v = ranked.find((x) => x.regionCode === c);
    return v ? VALUE_STATUS_FILL[v.status] : undefined;
  }, [ranked]);
  const detailsOf = useCallback((c: string) => {
    const v = ranked.find((x) => x.regionCode === c);
    if (!v) return [t('indicator.noValue')];
    return [
      `${t('indicator.value')}: ${formatIndicatorValue(v.value, ind.unit, lang)} · ${t(`indicator.status.${v.status}`)}`,
      ...(v.target !== null ? [`${t('indicator.target')}: ${formatIndicatorValue(v.target, ind.unit, lang)}`] : []),
      ...(v.missing > 0 ? [t('indicator.missingN', { n: v.missing })] : []),
    ];
  }, [ranked, ind.unit, lang, t]);

  const columns: TableColumnsType<IndicatorValue> = [
    { key: 'rank', title: '#', width: 44, render: (_, _v, i) => i + 1 },
    {
      key: 'region',
      title: t('indicator.region'),
      render: (_, v) => (
        <Typography.Link onClick={() => onRegion(v.regionCode)} data-testid="ranking-region" data-code={v.regionCode}>
          {nameOf(v)}
        </Typography.Link>
      ),
    },
    {
      key: 'value',
      title: t('indicator.value'),
      width: 170,
      render: (_, v) => (
        <Flex gap={6} align="center">
          <span data-testid="ranking-value" style={{ whiteSpace: 'nowrap' }}>{formatIndicatorValue(v.value, ind.unit, lang)}</span>
          <ValueStatusTag status={v.status} />
        </Flex>
      ),
    },
    { key: 'target', title: t('indicator.target'), width: 100, render: (_, v) => formatIndicatorValue(v.target, ind.unit, lang) },
    { key: 'gap', title: t('indicator.gap'), width: 120, render: (_, v) => <GapText gap={v.gap} direction={ind.direction} unit={ind.unit} /> },
    {
      key: 'missing',
      title: t('indicator.missing'),
      width: 90,
      align: 'right',
      render: (_, v) => (v.missing > 0 ? <Typography.Text type="warning">{v.missing}</Typography.Text> : <Typography.Text type="secondary">0</Typography.Text>),
    },
  ];

  const legend = (
    <Flex vertical gap={2}>
      {VALUE_STATUS_LIST.map((s) => (
        <Flex key={s} gap={6} align="center">
          <span className="yz-swatch" style={{ background: VALUE_STATUS_FILL[s] }} />
          {t(`indicator.status.${s}`)}
        </Flex>
      ))}
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={
          <Flex gap={8} align="center" wrap>
            <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={() => navigate('/indicators')} aria-label={t('indicator.backToCatalog')} data-testid="indicator-back" />
            {ind.key && <StarFilled style={{ color: '#faad14', fontSize: 16 }} />}
            <span data-testid="indicator-title">{indicatorName(ind, lang)}</span>
            {ind.status === 'retired' && <Tag>{t('indicator.lifecycle.retired')}</Tag>}
          </Flex>
        }
        subtitle={
          <span>
            <span className="yz-mono">{ind.code}</span> · {ind.ownerOrganizationName} · {t(`indicator.periodKind.${ind.period}`)}
          </span>
        }
        extra={
          writes ? (
            <>
              <Button icon={<AimOutlined />} onClick={() => setEditingTargets(true)} data-testid="indicator-targets">
                {t('indicator.setTargets')}
              </Button>
              <Tooltip title={computes || owner.loading ? undefined : t('indicator.computeOwnerOnly', { owner: ind.ownerOrganizationName })}>
                <Button
                  type="primary"
                  icon={<SyncOutlined />}
                  loading={computing}
                  disabled={!computes}
                  onClick={() => void compute()}
                  data-testid="indicator-compute"
                >
                  {t('indicator.compute')}
                </Button>
              </Tooltip>
            </>
          ) : undefined
        }
      />
      {computed && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setComputed(null) }}
          className="yz-mb-12"
          data-testid="indicator-compute-result"
          title={t('indicator.computeDone')}
          description={t('indicator.computeSummary', {
            periods: computed.periods.join(t('common.listSeparator')),
            values: computed.values,
            raised: computed.alertsRaised,
            closed: computed.alertsClosed,
            ms: computed.milliseconds,
          })}
        />
      )}
      {computeError !== undefined && <ErrorAlert error={computeError} title={t('indicator.computeFailed')} className="yz-mb-12" />}

      <Card size="small" className="yz-mb-16" data-testid="indicator-toolbar">
        <Flex gap={24} align="center" wrap justify="space-between">
          <Flex gap={12} align="center" wrap>
            <label>
              <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>{t('indicator.region')}</Typography.Text>
              <RegionPicker value={region} onChange={(c) => c && onRegion(c)} allowClear={false} style={{ width: 280 }} data-testid="indicator-region" />
            </label>
            <label>
              <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>{t('indicator.period')}</Typography.Text>
              <Select
                value={period ?? undefined}
                onChange={setPeriod}
                style={{ width: 140 }}
                options={[...periods].reverse().map((p) => ({ value: p, label: p }))}
                data-testid="indicator-period"
              />
            </label>
          </Flex>
          <Flex gap={32} align="center" wrap data-testid="indicator-current">
            <Statistic
              title={t('indicator.valueOf', { region: regionName, period: period ?? '—' })}
              value={formatIndicatorValue(current?.value ?? null, ind.unit, lang)}
              styles={{ content: { color: current ? (current.status === 'none' ? undefined : VALUE_STATUS_FILL[current.status]) : undefined, fontSize: 22 } }}
              suffix={current ? <ValueStatusTag status={current.status} style={{ marginInlineStart: 8, verticalAlign: 'middle' }} /> : undefined}
            />
            <Statistic title={t('indicator.target')} value={formatIndicatorValue(current?.target ?? null, ind.unit, lang)} styles={{ content: { fontSize: 22 } }} />
            <div>
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 14 }}>{t('indicator.gap')}</Typography.Text>
              <span style={{ fontSize: 22 }}>
                <GapText gap={current?.gap ?? null} direction={ind.direction} unit={ind.unit} />
              </span>
            </div>
            {current && current.missing > 0 && <Statistic title={t('indicator.missing')} value={current.missing} styles={{ content: { fontSize: 22, color: '#d48806' } }} />}
          </Flex>
        </Flex>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('indicator.trendTitle', { region: regionName })} data-testid="indicator-trend">
            {trend.error !== undefined ? (
              <ErrorAlert error={trend.error} onRetry={trend.reload} />
            ) : !trend.data ? (
              <Loading minHeight={300} />
            ) : trend.data.items.every((v) => v.value === null) ? (
              <Empty description={<span data-testid="indicator-trend-empty">{t('indicator.trendEmpty')}</span>} style={{ padding: 64 }} />
            ) : (
              <TrendChart points={points} unit={ind.unit} warn={ind.warn} alarm={ind.alarm} selected={period} onPick={setPeriod} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card
            size="small"
            tabList={[
              { key: 'definition', label: t('indicator.definition') },
              { key: 'plan', label: <span data-testid="indicator-plan-tab">{t('indicator.plan')}{ind.analysisPlan ? ` · ${ind.analysisPlan.tasks.length + ind.analysisPlan.checks.length}` : ''}</span> },
              ...(can('policy:read') ? [{ key: 'policies', label: <span data-testid="indicator-policies-tab">{t('policy.related.title')}</span> }] : []),
            ]}
            activeTabKey={infoTab}
            onTabChange={(k) => setInfoTab(k === 'plan' || k === 'policies' ? k : 'definition')}
            tabProps={{ size: 'small' }}
          >
            {infoTab === 'definition' ? <IndicatorDefinition ind={ind} /> : infoTab === 'plan' ? <AnalysisPlanView ind={ind} /> : <RelatedPolicies by={{ indicator: ind.code }} />}
          </Card>
        </Col>
        <Col span={24}>
          <Card
            size="small"
            data-testid="indicator-ranking"
            title={t('indicator.rankingTitle', { region: regionName, period: period ?? '—' })}
            extra={
              hasChildren && (
                <Segmented<'bars' | 'map'>
                  size="small"
                  value={view}
                  onChange={setView}
                  options={[
                    { value: 'bars', icon: <BarChartOutlined />, label: <span data-testid="indicator-view-bars">{t('indicator.viewBars')}</span> },
                    { value: 'map', icon: <EnvironmentOutlined />, label: <span data-testid="indicator-view-map">{t('indicator.viewMap')}</span> },
                  ]}
                />
              )
            }
          >
            {regionInfo.error !== undefined ? (
              <ErrorAlert error={regionInfo.error} onRetry={regionInfo.reload} />
            ) : !level ? (
              <Loading />
            ) : !hasChildren ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="indicator-no-children">{t('indicator.noChildren')}</span>} />
            ) : children.error !== undefined ? (
              <ErrorAlert error={children.error} onRetry={children.reload} />
            ) : !children.data ? (
              <Loading />
            ) : ranked.every((v) => v.value === null) ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="indicator-ranking-empty">{t('indicator.rankingEmpty')}</span>} />
            ) : (
              <Row gutter={16}>
                <Col xs={24} xl={10}>
                  {view === 'bars' ? (
                    <RankingChart values={ranked} nameOf={nameOf} unit={ind.unit} warn={ind.warn} alarm={ind.alarm} onPick={onRegion} />
                  ) : (
                    <RegionStatusMap
                      code={region}
                      level={childLevel as Level}
                      height={Math.max(320, Math.min(520, ranked.length * 24 + 56))}
                      fillOf={fillOf}
                      detailsOf={detailsOf}
                      onSelect={onRegion}
                      legend={legend}
                      data-testid="indicator-map"
                    />
                  )}
                </Col>
                <Col xs={24} xl={14}>
                  <Table<IndicatorValue>
                    data-testid="indicator-ranking-table"
                    rowKey="regionCode"
                    size="small"
                    columns={columns}
                    dataSource={ranked}
                    loading={children.loading}
                    pagination={ranked.length > 15 ? { pageSize: 15, size: 'small', showSizeChanger: false } : false}
                    onRow={(v) => ({ 'data-testid': 'ranking-row', 'data-code': v.regionCode, 'data-status': v.status } as React.HTMLAttributes<HTMLElement>)}
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <Tooltip title={t('indicator.drillHint')}>{t('indicator.worstFirst')}</Tooltip>
                  </Typography.Text>
                </Col>
              </Row>
            )}
          </Card>
        </Col>
      </Row>
      <TargetsEditor
        open={editingTargets}
        ind={ind}
        regionCode={region}
        period={period}
        childCodes={ranked.map((v) => v.regionCode)}
        onClose={() => setEditingTargets(false)}
        onSaved={() => setTick((x) => x + 1)}
      />
    </>
  );
}
