// SPDX-License-Identifier: Apache-2.0
// 驾驶舱: one screen for a region — its key indicators with value, target gap and trend, the child regions
// furthest behind on each, open alerts, incidents and tasks by status, and the child regions on a map and
// as tiles to drill into. `#/cockpit[/<region>]`; the breadcrumb climbs back up.
import { AlertOutlined, ApartmentOutlined, CarryOutOutlined, ReloadOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons';
import { Badge, Breadcrumb, Button, Card, Col, Empty, Flex, Row, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useCallback, useMemo } from 'react';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../../../contracts/dispatch-incidents.ts';
import type { Cockpit, IndicatorSummary } from '../../../../contracts/indicators.ts';
import type { TaskStatus } from '../../../../contracts/tasks.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { RegionName } from '../../components/region-name.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { LEVEL_COLORS } from '../../lib/domain.ts';
import { formatTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { AlertLevelTag, formatIndicatorValue, GapText, indicatorName, RegionLabel, ValueStatusTag } from '../indicators/indicator-labels.tsx';
import { indicatorsApi, VALUE_STATUS_FILL } from '../indicators/indicators-api.ts';
import { RegionStatusMap } from '../indicators/region-status-map.tsx';
import { regionsApi } from '../regions/regions-api.ts';
import { TASK_STATUS_LIST } from '../tasks/tasks-api.ts';
import { Sparkline } from './sparkline.tsx';
import { type StatusBar, StatusChart } from './status-chart.tsx';
import './cockpit.css';

type KeyIndicator = Cockpit['indicators'][number];

const INCIDENT_COLORS: Record<IncidentStatus, string> = {
  reported: '#1d5bd8', verified: '#13a8a8', responding: '#fa8c16', resolved: '#52c41a', evaluated: '#95de64', closed: '#bfbfbf', rejected: '#d9d9d9',
};
const TASK_COLORS: Record<TaskStatus, string> = {
  assigned: '#1d5bd8', accepted: '#13a8a8', in_progress: '#fa8c16', submitted: '#722ed1', returned: '#eb2f96', done: '#52c41a', cancelled: '#bfbfbf',
};

/** The fill of a region by its open alarms. */
function alarmFill(n: number): string {
  return n === 0 ? '#d9f7be' : n === 1 ? '#ffd591' : n <= 3 ? '#ff9c6e' : '#ff4d4f';
}
const ALARM_LEGEND: { key: string; fill: string; n: number }[] = [
  { key: '0', fill: alarmFill(0), n: 0 },
  { key: '1', fill: alarmFill(1), n: 1 },
  { key: '2-3', fill: alarmFill(2), n: 2 },
  { key: '4+', fill: alarmFill(4), n: 4 },
];

export default function CockpitPage({ params }: PageProps) {
  const { t } = useI18n();
  const regionCode = params[0] ?? null;
  const cockpit = useAsync((signal) => indicatorsApi.cockpit(regionCode, signal), [regionCode]);
  const data = cockpit.data && (regionCode === null || cockpit.data.region.code === regionCode) ? cockpit.data : undefined;

  if (cockpit.error !== undefined && !cockpit.loading) {
    const status = cockpit.error instanceof ApiError ? cockpit.error.status : 0;
    return (
      <Flex vertical gap={12}>
        <ErrorAlert error={cockpit.error} onRetry={cockpit.reload} title={status === 403 ? t('cockpit.forbidden') : undefined} />
        {regionCode && (
          <Button style={{ alignSelf: 'flex-start' }} onClick={() => navigate('/cockpit')}>
            {t('cockpit.backToMine')}
          </Button>
        )}
      </Flex>
    );
  }
  if (!data) return <Loading minHeight={480} />;
  return <CockpitScreen data={data} reloading={cockpit.loading} onReload={cockpit.reload} />;
}

function CockpitScreen({ data, reloading, onReload }: { data: Cockpit; reloading: boolean; onReload: () => void }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const code = data.region.code;
  const drill = useCallback((c: string) => navigate(`/cockpit/${c}`), []);
  // English names: the key indicators' from the catalog, the children's from the regions API.
  const catalog = useAsync((signal) => indicatorsApi.list({ key: true, status: 'active' }, 50, 0, signal), []);
  const byCode = useMemo(() => new Map<string, IndicatorSummary>((catalog.data?.items ?? []).map((i) => [i.code, i])), [catalog.data]);
  const kids = useAsync((signal) => (lang === 'en' && data.children.length ? regionsApi.children(code, signal) : undefined), [code, lang, data.children.length]);
  const childName = useCallback(
    (c: { code: string; name: string | null }) => (lang === 'en' ? kids.data?.items.find((r) => r.code === c.code)?.nameEn : null) ?? c.name ?? c.code,
    [kids.data, lang],
  );
  const alarmsOf = useMemo(() => new Map(data.children.map((c) => [c.code, c.alarms])), [data.children]);
  const fillOf = useCallback((c: string) => {
    const n = alarmsOf.get(c);
    return n === undefined ? undefined : alarmFill(n);
  }, [alarmsOf]);
  const detailsOf = useCallback((c: string) => [t('cockpit.alarmsN', { n: alarmsOf.get(c) ?? 0 }), t('cockpit.clickToDrill')], [alarmsOf, t]);
  const childLevel = data.children[0]?.level;
  const withAlarms = data.children.filter((c) => c.alarms > 0).length;
  // When this answer arrived: a reload brings a new one.
  const loadedAt = useMemo(() => new Date().toISOString(), [data]);

  const incidentBars: StatusBar[] = INCIDENT_STATUSES.map((s) => ({ key: s, label: t(`incident.status.${s}`), count: data.incidents.byStatus[s] ?? 0, color: INCIDENT_COLORS[s] }));
  const taskBars: StatusBar[] = TASK_STATUS_LIST.map((s) => ({ key: s, label: t(`task.status.${s}`), count: data.tasks.byStatus[s] ?? 0, color: TASK_COLORS[s] }));

  // The path holds the regions above this one (within the user's scope); this one ends the breadcrumb.
  const pathItems = [
    ...data.path.map((p) => ({
      key: p.code,
      title: (
        <a onClick={() => drill(p.code)} data-testid="cockpit-crumb" data-code={p.code}>
          {lang === 'en' ? <RegionName code={p.code} /> : p.name}
        </a>
      ),
    })),
    {
      key: code,
      title: (
        <span data-testid="cockpit-crumb" data-code={code} data-current="true">
          {lang === 'en' ? <RegionName code={code} /> : data.region.name}
        </span>
      ),
    },
  ];

  return (
    <div className="yz-cockpit" data-testid="cockpit" data-region={code}>
      <div className="yz-cockpit-banner">
        <Flex justify="space-between" align="center" gap={16} wrap>
          <div style={{ minWidth: 0 }}>
            <Breadcrumb items={pathItems} data-testid="cockpit-breadcrumb" className="yz-cockpit-crumbs" />
            <Flex align="center" gap={10} wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="cockpit-title">
                {lang === 'en' ? <RegionName code={code} /> : data.region.name}
                <span className="yz-cockpit-title-suffix">{t('cockpit.title')}</span>
              </Typography.Title>
              <Tag color={LEVEL_COLORS[data.region.level]} style={{ marginInlineEnd: 0 }}>{t(`level.${data.region.level}`)}</Tag>
            </Flex>
          </div>
          <Flex gap={8} align="center">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('cockpit.updatedAt', { time: formatTime(loadedAt, lang) })}
            </Typography.Text>
            {data.region.parentCode && data.path.some((p) => p.code === data.region.parentCode) && (
              <Button onClick={() => drill(data.region.parentCode as string)} data-testid="cockpit-up">
                {t('cockpit.up')}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} loading={reloading} onClick={onReload} data-testid="cockpit-reload">
              {t('cockpit.refresh')}
            </Button>
          </Flex>
        </Flex>
        <div className="yz-cockpit-kpis">
          <Kpi
            icon={<AlertOutlined />}
            tone={data.alerts.alarm > 0 ? 'danger' : data.alerts.open > 0 ? 'warn' : 'ok'}
            label={t('cockpit.openAlerts')}
            value={data.alerts.open}
            sub={t('cockpit.alarmsOf', { n: data.alerts.alarm })}
            onClick={() => navigate('/indicator-alerts')}
            testId="cockpit-kpi-alerts"
          />
          <Kpi
            icon={<WarningOutlined />}
            tone={data.incidents.overdue > 0 ? 'warn' : 'info'}
            label={t('cockpit.openIncidents')}
            value={data.incidents.open}
            sub={t('cockpit.supervised', { n: data.incidents.overdue })}
            onClick={can('incident:read') ? () => navigate('/incidents') : undefined}
            testId="cockpit-kpi-incidents"
          />
          <Kpi
            icon={<CarryOutOutlined />}
            tone={data.tasks.overdue > 0 ? 'warn' : 'info'}
            label={t('cockpit.openTasks')}
            value={data.tasks.open}
            sub={t('cockpit.tasksSub', { overdue: data.tasks.overdue, done: data.tasks.done })}
            onClick={can('task:read') ? () => navigate('/tasks') : undefined}
            testId="cockpit-kpi-tasks"
          />
          <Kpi
            icon={<ApartmentOutlined />}
            tone={withAlarms > 0 ? 'warn' : 'ok'}
            label={childLevel ? t('cockpit.childrenOf', { level: t(`level.${childLevel}`) }) : t('cockpit.children')}
            value={data.children.length}
            sub={t('cockpit.childrenWithAlarms', { n: withAlarms })}
            testId="cockpit-kpi-children"
          />
        </div>
      </div>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={7}>
          <Flex vertical gap={12}>
            <Card size="small" title={t('cockpit.keyIndicators')} className="yz-cockpit-card" data-testid="cockpit-indicators">
              {data.indicators.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="cockpit-no-indicators">{t('cockpit.noKeyIndicators')}</span>} />
              ) : (
                <Flex vertical gap={8}>
                  {data.indicators.map((k) => (
                    <IndicatorCard key={k.code} k={k} name={indicatorName({ name: k.name, nameEn: byCode.get(k.code)?.nameEn ?? null }, lang)} region={code} />
                  ))}
                </Flex>
              )}
            </Card>
            <Card
              size="small"
              className="yz-cockpit-card"
              title={t('cockpit.incidentsByStatus')}
              extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cockpit.exercisesExcluded')}</Typography.Text>}
            >
              <StatusChart bars={incidentBars} data-testid="cockpit-incidents-chart" onPick={can('incident:read') ? () => navigate('/incidents') : undefined} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            className="yz-cockpit-card"
            title={childLevel ? t('cockpit.childrenOf', { level: t(`level.${childLevel}`) }) : t('cockpit.children')}
            extra={data.children.length > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('cockpit.clickToDrill')}</Typography.Text>}
            data-testid="cockpit-children"
          >
            {data.children.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="cockpit-no-children">{t('cockpit.noChildren')}</span>} />
            ) : (
              <Flex vertical gap={10}>
                {childLevel && (
                  <RegionStatusMap
                    code={code}
                    level={childLevel}
                    height={400}
                    fillOf={fillOf}
                    detailsOf={detailsOf}
                    onSelect={drill}
                    data-testid="cockpit-map"
                    fallback={<span />}
                    legend={
                      <Flex vertical gap={2}>
                        <span className="yz-map-legend-title">{t('cockpit.openAlarms')}</span>
                        {ALARM_LEGEND.map((l) => (
                          <Flex key={l.key} gap={6} align="center">
                            <span className="yz-swatch" style={{ background: l.fill }} />
                            {l.key}
                          </Flex>
                        ))}
                      </Flex>
                    }
                  />
                )}
                <div className="yz-cockpit-tiles">
                  {data.children.map((c) => (
                    <button
                      type="button"
                      key={c.code}
                      className={`yz-cockpit-tile${c.alarms > 0 ? ' yz-cockpit-tile-alarm' : ''}`}
                      onClick={() => drill(c.code)}
                      data-testid="cockpit-child"
                      data-code={c.code}
                      data-alarms={c.alarms}
                      title={c.code}
                    >
                      <span className="yz-cockpit-tile-name">{childName(c)}</span>
                      {c.alarms > 0 ? (
                        <Badge count={c.alarms} size="small" title={t('cockpit.alarmsN', { n: c.alarms })} />
                      ) : (
                        <RightOutlined className="yz-cockpit-tile-arrow" />
                      )}
                    </button>
                  ))}
                </div>
              </Flex>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Flex vertical gap={12}>
            <Card
              size="small"
              className="yz-cockpit-card"
              title={
                <Flex gap={8} align="center">
                  {t('cockpit.alerts')}
                  <Tag color={data.alerts.alarm > 0 ? 'red' : 'default'} style={{ marginInlineEnd: 0 }} data-testid="cockpit-alarm-count">
                    {t('cockpit.alarmsOf', { n: data.alerts.alarm })}
                  </Tag>
                </Flex>
              }
              extra={<Typography.Link onClick={() => navigate('/indicator-alerts')} data-testid="cockpit-all-alerts">{t('cockpit.allAlerts')}</Typography.Link>}
              data-testid="cockpit-alerts"
            >
              {data.alerts.latest.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cockpit.noAlerts')} />
              ) : (
                <div className="yz-cockpit-list">
                  {data.alerts.latest.map((a) => (
                    <button type="button" key={a.id} className="yz-cockpit-row" onClick={() => navigate(`/indicator-alerts/${a.id}`)} data-testid="cockpit-alert" data-id={a.id}>
                      <Flex justify="space-between" gap={8} align="center">
                        <Flex gap={6} align="center" style={{ minWidth: 0 }}>
                          <AlertLevelTag level={a.level} />
                          <Typography.Text ellipsis style={{ minWidth: 0 }}>
                            {indicatorName({ name: a.indicatorName, nameEn: byCode.get(a.indicatorCode)?.nameEn ?? null }, lang)}
                          </Typography.Text>
                        </Flex>
                        <Typography.Text strong type={a.level === 'alarm' ? 'danger' : 'warning'} style={{ whiteSpace: 'nowrap' }}>
                          {formatIndicatorValue(a.value, a.unit, lang)}
                        </Typography.Text>
                      </Flex>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        <RegionLabel code={a.regionCode} name={a.regionName} /> · {a.period} · {t('indicator.thresholdIs', { value: formatIndicatorValue(a.threshold, a.unit, lang) })}
                      </Typography.Text>
                    </button>
                  ))}
                </div>
              )}
            </Card>
            <Card size="small" className="yz-cockpit-card" title={t('cockpit.tasksByStatus')}>
              <StatusChart bars={taskBars} data-testid="cockpit-tasks-chart" onPick={can('task:read') ? () => navigate('/tasks') : undefined} />
            </Card>
          </Flex>
        </Col>
        {data.indicators.length > 0 && data.children.length > 0 && (
          <Col span={24}>
            <Card size="small" className="yz-cockpit-card" title={t('cockpit.lagging')} data-testid="cockpit-lagging">
              <div className="yz-cockpit-lagging-grid">
                {data.indicators.map((k) => (
                  <Lagging key={k.code} k={k} name={indicatorName({ name: k.name, nameEn: byCode.get(k.code)?.nameEn ?? null }, lang)} nameOf={childName} onDrill={drill} />
                ))}
              </div>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}

function Kpi({ icon, tone, label, value, sub, onClick, testId }: { icon: ReactNode; tone: 'ok' | 'info' | 'warn' | 'danger'; label: string; value: number; sub: string; onClick?: () => void; testId: string }) {
  const { lang } = useI18n();
  const body = (
    <>
      <span className={`yz-kpi-icon yz-kpi-${tone}`}>{icon}</span>
      <span className="yz-kpi-text">
        <span className="yz-kpi-label">{label}</span>
        <span className="yz-kpi-value" data-testid={`${testId}-value`}>{value.toLocaleString(lang)}</span>
        <span className="yz-kpi-sub">{sub}</span>
      </span>
    </>
  );
  return onClick ? (
    <button type="button" className="yz-kpi yz-kpi-clickable" onClick={onClick} data-testid={testId}>
      {body}
    </button>
  ) : (
    <div className="yz-kpi" data-testid={testId}>
      {body}
    </div>
  );
}

function IndicatorCard({ k, name, region }: { k: KeyIndicator; name: string; region: string }) {
  const { t, lang } = useI18n();
  const cur = k.current;
  const status = cur?.status ?? 'none';
  const color = status === 'none' ? '#1f2937' : VALUE_STATUS_FILL[status];
  return (
    <button
      type="button"
      className={`yz-cockpit-kcard yz-cockpit-kcard-${status}`}
      onClick={() => navigate(`/indicators/${encodeURIComponent(k.code)}/${region}`)}
      data-testid="cockpit-indicator"
      data-code={k.code}
      data-status={status}
    >
      <Flex justify="space-between" align="flex-start" gap={8}>
        <Tooltip title={k.code}>
          <Typography.Text strong ellipsis style={{ minWidth: 0 }} className="yz-cockpit-kcard-name">{name}</Typography.Text>
        </Tooltip>
        {cur ? <ValueStatusTag status={status} /> : null}
      </Flex>
      <Flex justify="space-between" align="center" gap={8}>
        <div className="yz-cockpit-kcard-value" style={{ color }} data-testid="cockpit-indicator-value">
          {formatIndicatorValue(cur?.value ?? null, k.unit, lang)}
        </div>
        <div style={{ width: '48%', flex: 'none' }}>
          {k.trend.some((p) => p.value !== null) && <Sparkline points={k.trend} unit={k.unit} color={color} target={cur?.target ?? null} height={44} />}
        </div>
      </Flex>
      <div className="yz-cockpit-kcard-meta">
        {cur?.target !== null && cur?.target !== undefined ? (
          <>
            <span>{t('indicator.target')} {formatIndicatorValue(cur.target, k.unit, lang)}</span>
            <span>{t('indicator.gap')} <GapText gap={cur.gap} direction={k.direction} unit={k.unit} /></span>
          </>
        ) : (
          <span>{t('cockpit.noTarget')}</span>
        )}
        <span>{k.period ?? t('indicator.noValue')}</span>
        {cur && cur.missing > 0 && <Typography.Text type="warning" style={{ fontSize: 12 }}>{t('indicator.missingN', { n: cur.missing })}</Typography.Text>}
      </div>
    </button>
  );
}

function Lagging({ k, name, nameOf, onDrill }: { k: KeyIndicator; name: string; nameOf: (c: { code: string; name: string | null }) => string; onDrill: (code: string) => void }) {
  const { t, lang } = useI18n();
  return (
    <div className="yz-cockpit-lagging" data-testid="cockpit-lagging-list" data-code={k.code}>
      <div className="yz-cockpit-lagging-title">
        <Typography.Text strong ellipsis>{name}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{k.period ?? ''}</Typography.Text>
      </div>
      {k.lagging.length === 0 ? (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', padding: '8px 0' }}>{t('cockpit.noLagging')}</Typography.Text>
      ) : (
        k.lagging.map((v, i) => (
          <button type="button" key={v.regionCode} className="yz-cockpit-lag" onClick={() => onDrill(v.regionCode)} data-testid="cockpit-lagging-row" data-code={v.regionCode}>
            <span className={`yz-cockpit-lag-rank yz-cockpit-lag-rank-${v.status}`}>{i + 1}</span>
            <span className="yz-cockpit-lag-name">
              {nameOf({ code: v.regionCode, name: v.regionName })}
              {v.missing > 0 && <Typography.Text type="warning" style={{ fontSize: 12, marginInlineStart: 6 }}>{t('indicator.missingN', { n: v.missing })}</Typography.Text>}
            </span>
            <span className="yz-cockpit-lag-value" style={{ color: v.status === 'none' ? undefined : VALUE_STATUS_FILL[v.status] }}>
              {formatIndicatorValue(v.value, k.unit, lang)}
            </span>
            <span className="yz-cockpit-lag-gap">
              {v.target !== null ? <GapText gap={v.gap} direction={k.direction} unit={k.unit} /> : <Typography.Text type="secondary">—</Typography.Text>}
            </span>
          </button>
        ))
      )}
    </div>
  );
}
