// SPDX-License-Identifier: Apache-2.0
// 指标预警: the alerts raised when a region's value crossed a threshold — open or closed, warn or alarm, by
// indicator and region — with the tasks and incident of the analysis plan each opened; writers acknowledge,
// close or comment. `#/indicator-alerts/<id>` opens one.
import { Button, Card, Empty, Flex, Segmented, Select, Space, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { IndicatorAlert } from '../../../../contracts/indicators.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatShortDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { AlertActionDialog, type AlertActionName } from './alert-action-dialog.tsx';
import { AlertDrawer } from './alert-drawer.tsx';
import { AlertLevelTag, AlertStatusTag, formatIndicatorValue, indicatorName, RegionLabel } from './indicator-labels.tsx';
import { type AlertFilter, indicatorsApi } from './indicators-api.ts';
import { tablePagination } from '../../lib/paging.ts';

type OpenFilter = 'open' | 'closed' | 'all';

export default function IndicatorAlertsPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const can = useCan();
  const openId = params[0] ?? null;
  const [openFilter, setOpenFilter] = useState<OpenFilter>('open');
  const [level, setLevel] = useState<'warn' | 'alarm' | undefined>();
  const [indicator, setIndicator] = useState<string | undefined>();
  const [region, setRegion] = useState<string | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [tick, setTick] = useState(0);
  const [acting, setActing] = useState<{ alert: IndicatorAlert; action: AlertActionName } | null>(null);
  const filter: AlertFilter = { open: openFilter === 'all' ? undefined : openFilter === 'open', level, indicator, region };
  const filterKey = JSON.stringify(filter);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [filterKey]);

  const catalog = useAsync((signal) => indicatorsApi.list({}, 200, 0, signal), []);
  const list = useAsync(
    (signal) => indicatorsApi.alerts(filter, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [filterKey, page.current, page.pageSize, tick],
  );
  const nameOf = useMemo(() => {
    const by = new Map((catalog.data?.items ?? []).map((i) => [i.code, i]));
    return (a: Pick<IndicatorAlert, 'indicatorCode' | 'indicatorName'>) => {
      const i = by.get(a.indicatorCode);
      return i ? indicatorName(i, lang) : a.indicatorName;
    };
  }, [catalog.data, lang]);
  const open = (id: string | null) => navigate(id ? `/indicator-alerts/${id}` : '/indicator-alerts');
  const writes = can('indicator:write');

  const columns: TableColumnsType<IndicatorAlert> = [
    {
      key: 'indicator',
      title: t('indicator.alertCol'),
      render: (_, a) => (
        <Flex vertical>
          <Flex gap={6} align="center">
            <AlertLevelTag level={a.level} />
            <Typography.Link strong onClick={() => open(a.id)} data-testid="alert-link" data-id={a.id}>
              {nameOf(a)}
            </Typography.Link>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <RegionLabel code={a.regionCode} name={a.regionName} /> · {a.period}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'value',
      title: t('indicator.valueVsThreshold'),
      width: 130,
      render: (_, a) => (
        <Flex vertical>
          <Typography.Text strong type={a.level === 'alarm' ? 'danger' : 'warning'} data-testid="alert-value">
            {formatIndicatorValue(a.value, a.unit, lang)}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('indicator.thresholdIs', { value: formatIndicatorValue(a.threshold, a.unit, lang) })}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'status', title: t('common.status'), width: 90, render: (_, a) => <AlertStatusTag status={a.status} /> },
    {
      key: 'plan',
      title: t('indicator.planCol'),
      width: 160,
      render: (_, a) => <PlanLinks alert={a} />,
    },
    {
      key: 'raised',
      title: t('indicator.raisedAt'),
      width: 130,
      render: (_, a) => (
        <Flex vertical>
          <Tooltip title={formatDateTime(a.raisedAt, lang)}>
            <span>{formatShortDateTime(a.raisedAt, lang)}</span>
          </Tooltip>
          {a.closedAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('indicator.closedAt', { at: formatShortDateTime(a.closedAt, lang) })}</Typography.Text>}
        </Flex>
      ),
    },
    ...(writes
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: lang === 'en' ? 250 : 180,
            render: (_: unknown, a: IndicatorAlert) => (
              <Space size={4}>
                {a.status === 'open' && (
                  <Button size="small" type="primary" ghost onClick={() => setActing({ alert: a, action: 'acknowledge' })} data-testid="alert-acknowledge">
                    {t('indicator.alertAction.acknowledge')}
                  </Button>
                )}
                {a.status !== 'closed' && (
                  <Button size="small" onClick={() => setActing({ alert: a, action: 'close' })} data-testid="alert-close">
                    {t('indicator.alertAction.close')}
                  </Button>
                )}
                <Button size="small" type="text" onClick={() => setActing({ alert: a, action: 'comment' })} data-testid="alert-comment">
                  {t('indicator.alertAction.comment')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader title={t('indicator.alertsTitle')} subtitle={t('indicator.alertsSubtitle')} />
      <Card size="small">
        <Flex gap={12} wrap className="yz-mb-12" align="center">
          <Segmented<OpenFilter>
            value={openFilter}
            onChange={setOpenFilter}
            options={[
              { value: 'open', label: <span data-testid="alerts-open">{t('indicator.alertsOpen')}</span> },
              { value: 'closed', label: <span data-testid="alerts-closed">{t('indicator.alertsClosed')}</span> },
              { value: 'all', label: <span data-testid="alerts-all">{t('common.all')}</span> },
            ]}
          />
          <Select<'warn' | 'alarm'>
            allowClear
            placeholder={t('indicator.allLevels')}
            value={level}
            onChange={setLevel}
            style={{ width: 120 }}
            options={(['alarm', 'warn'] as const).map((l) => ({ value: l, label: t(`indicator.alertLevel.${l}`) }))}
            data-testid="alerts-filter-level"
          />
          <Select<string>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('indicator.allIndicators')}
            value={indicator}
            onChange={setIndicator}
            style={{ width: 240 }}
            loading={catalog.loading}
            options={(catalog.data?.items ?? []).map((i) => ({ value: i.code, label: indicatorName(i, lang) }))}
            data-testid="alerts-filter-indicator"
          />
          <RegionPicker value={region} onChange={setRegion} placeholder={t('indicator.allRegions')} style={{ width: 220 }} data-testid="alerts-filter-region" />
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<IndicatorAlert>
          data-testid="alert-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          rowClassName={(a) => (a.id === openId ? 'ant-table-row-selected' : '')}
          onRow={(a) => ({ onDoubleClick: () => open(a.id), 'data-testid': 'alert-row', 'data-id': a.id, 'data-status': a.status } as React.HTMLAttributes<HTMLElement>)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="alert-empty">{t(openFilter === 'open' ? 'indicator.alertsEmptyOpen' : 'indicator.alertsEmpty')}</span>} /> }}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      <AlertDrawer id={openId} nameOf={nameOf} onClose={() => open(null)} onAct={(alert, action) => setActing({ alert, action })} tick={tick} />
      <AlertActionDialog
        acting={acting}
        onClose={() => setActing(null)}
        onDone={() => {
          setActing(null);
          setTick((x) => x + 1);
        }}
      />
    </>
  );
}

/** The analysis plan an alert opened: links to its tasks and its incident. */
export function PlanLinks({ alert }: { alert: IndicatorAlert }) {
  const { t } = useI18n();
  const can = useCan();
  if (!alert.planOpened && alert.taskIds.length === 0 && !alert.incidentId) return <Typography.Text type="secondary">{t('indicator.planNotOpened')}</Typography.Text>;
  return (
    <Flex vertical gap={2} data-testid="alert-plan">
      {alert.planOpened && <Typography.Text style={{ fontSize: 12 }}>{t('indicator.planOpened')}</Typography.Text>}
      {alert.taskIds.length > 0 && (
        <Flex gap={4} wrap style={{ fontSize: 12 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('indicator.tasksN', { n: alert.taskIds.length })}</Typography.Text>
          {can('task:read') &&
            alert.taskIds.map((id, i) => (
              <Typography.Link key={id} onClick={() => navigate(`/tasks/${id}`)} style={{ fontSize: 12 }} data-testid="alert-task-link" data-id={id}>
                {alert.taskIds.length === 1 ? t('indicator.openTask') : t('indicator.taskN', { n: i + 1 })}
              </Typography.Link>
            ))}
        </Flex>
      )}
      {alert.incidentId &&
        (can('incident:read') ? (
          <Typography.Link onClick={() => navigate(`/incidents/${alert.incidentId}`)} style={{ fontSize: 12 }} data-testid="alert-incident-link">
            {t('indicator.openIncident')}
          </Typography.Link>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('indicator.hasIncident')}</Typography.Text>
        ))}
    </Flex>
  );
}
