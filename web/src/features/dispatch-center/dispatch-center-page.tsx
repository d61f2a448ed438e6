// SPDX-License-Identifier: Apache-2.0
// 调度中心: the open incidents of the user's region, most urgent first; the map with the incidents and the
// resources sent; and for the selected incident its activation, the live order board, the tasks and the
// timeline, with the activation wizard and stand-down. `#/dispatch-center/<incidentId>` selects one.
import { Card, Col, Empty, Row, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Activation, ActivationDetail } from '../../../../contracts/dispatch-activations.ts';
import type { Resource } from '../../../../contracts/dispatch-resources.ts';
import type { Level } from '../../../../contracts/regions.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { childLevelOf } from '../../lib/domain.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { IncidentDrawer } from '../incidents/incident-drawer.tsx';
import { incidentsApi } from '../incidents/incidents-api.ts';
import { regionsApi } from '../regions/regions-api.ts';
import { resourcesApi } from '../resources/resources-api.ts';
import { warningsApi } from '../warnings/warnings-api.ts';
import { ActivationWizard } from './activation-wizard.tsx';
import { dispatchApi } from './dispatch-api.ts';
import { useResourceTypes } from './dispatch-labels.tsx';
import { DispatchMap } from './dispatch-map.tsx';
import { byUrgency, IncidentQueue, type QueueFilter } from './incident-queue.tsx';
import { IncidentPanel } from './incident-panel.tsx';

/** The open statuses: what a dispatcher still has to work on. */
const OPEN_STATUSES = 'reported,verified,responding';
/** Incidents the queue holds at most. */
const QUEUE_LIMIT = 200;
/** How often the board and the queue are read again. */
const REFRESH_MS = 10_000;
const PANEL_HEIGHT = 400;

/** The activation to show for an incident: the running one, else the latest; with its detail. */
async function activationOf(incidentId: string, signal: AbortSignal): Promise<ActivationDetail | null> {
  const list = await dispatchApi.activations({ incidentId, limit: 20 }, signal);
  const pick = list.items.find((a) => a.status === 'active') ?? list.items[0];
  return pick ? dispatchApi.activation(pick.id, signal) : null;
}

export default function DispatchCenterPage({ params }: PageProps) {
  const { t } = useI18n();
  const me = useMe();
  const can = useCan();
  const types = useResourceTypes();
  const selectedId = params[0] ?? null;
  const [filter, setFilter] = useState<QueueFilter>({ q: '' });
  const q = useDebounced(filter.q.trim(), 300);
  const [tick, setTick] = useState(0);
  const [changes, setChanges] = useState(0);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [refreshedAt, setRefreshedAt] = useState<string | null>(null);

  // the board, the selected incident and the queue are read again every few seconds while the page is open
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((x) => x + 1);
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
  const changed = () => setChanges((x) => x + 1);

  const incidentTypes = useAsync((signal) => incidentsApi.types(signal), []);
  const queue = useAsync(
    (signal) =>
      incidentsApi.list(
        { status: OPEN_STATUSES, q: q || undefined, type: filter.type, grade: filter.grade, exercise: filter.exercise, overdue: filter.overdue, sort: 'due' },
        QUEUE_LIMIT,
        0,
        signal,
      ),
    [q, filter.type, filter.grade, filter.exercise, filter.overdue, tick, changes],
  );
  const running = useAsync((signal) => dispatchApi.activations({ status: 'active', limit: QUEUE_LIMIT }, signal), [tick, changes]);
  const activeByIncident = useMemo(() => new Map<string, Activation>((running.data?.items ?? []).map((a) => [a.incidentId, a])), [running.data]);
  const sorted = useMemo(() => [...(queue.data?.items ?? [])].sort(byUrgency), [queue.data]);

  const incident = useAsync((signal) => (selectedId ? incidentsApi.get(selectedId, signal) : undefined), [selectedId, tick, changes]);
  const activation = useAsync((signal) => (selectedId ? activationOf(selectedId, signal) : undefined), [selectedId, tick, changes]);
  const selected = incident.data?.id === selectedId ? incident.data : undefined;
  const shownActivation = activation.data && activation.data.incidentId === selectedId ? activation.data : activation.data === null ? null : undefined;
  useEffect(() => {
    if (activation.data !== undefined && !activation.loading) setRefreshedAt(new Date().toISOString());
  }, [activation.data, activation.loading]);
  const warnings = useAsync(
    (signal) => (selectedId && can('warning:read') ? warningsApi.list({ incidentId: selectedId }, 20, 0, signal) : undefined),
    [selectedId, shownActivation?.id, changes],
  );

  // where the resources sent are: looked up once per order status change
  const orders = shownActivation?.orders ?? [];
  const resourceKey = orders.map((o) => `${o.resourceId}:${o.status}`).join(',');
  const sentResources = useAsync(async (signal) => {
    const ids = [...new Set(orders.map((o) => o.resourceId))];
    const found = await Promise.all(ids.map((id) => resourcesApi.get(id, signal).catch((err: unknown) => (err instanceof ApiError ? null : Promise.reject(err)))));
    return new Map(found.filter((r): r is Resource => r !== null).map((r) => [r.id, r]));
  }, [resourceKey]);

  // the map's region: the user's own, else the first they may see
  const roots = useAsync((signal) => (me.scopeCode ? undefined : regionsApi.roots(signal)), [me.scopeCode]);
  const mapCode = me.scopeCode ?? roots.data?.items[0]?.code ?? null;
  const mapRegion = useAsync((signal) => (mapCode ? regionsApi.get(mapCode, signal) : undefined), [mapCode]);
  const mapLevel: Level | null = mapRegion.data ? (childLevelOf(mapRegion.data.level) ?? mapRegion.data.level) : null;

  const select = (id: string) => navigate(`/dispatch-center/${encodeURIComponent(id)}`);

  const panel = () => {
    if (!selectedId) {
      return (
        <Card size="small">
          <Empty description={<span data-testid="panel-empty">{t('dispatch.pickIncident')}</span>} />
        </Card>
      );
    }
    if (incident.error !== undefined && !selected) {
      return <ErrorAlert error={incident.error} onRetry={incident.reload} />;
    }
    if (!selected) return <Loading minHeight={240} />;
    return (
      <IncidentPanel
        incident={selected}
        activation={shownActivation ?? null}
        activationLoading={shownActivation === undefined}
        activationError={shownActivation === undefined ? activation.error : undefined}
        warnings={warnings.data?.items ?? []}
        refreshedAt={refreshedAt}
        types={types}
        onActivate={() => setWizardOpen(true)}
        onOpenIncident={() => setDrawerOpen(true)}
        onRefresh={() => setTick((x) => x + 1)}
        onChanged={changed}
      />
    );
  };

  return (
    <>
      <PageHeader
        title={t('dispatch.title')}
        subtitle={t('dispatch.subtitle')}
        extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('dispatch.autoRefresh', { seconds: REFRESH_MS / 1000 })}</Typography.Text>}
      />
      <Row gutter={16} className="yz-mb-16">
        <Col xs={24} lg={9} xxl={7}>
          <Card size="small" title={t('dispatch.queue.title', { n: queue.data?.total ?? 0 })} styles={{ body: { paddingBottom: 8 } }}>
            <IncidentQueue
              items={sorted}
              total={queue.data?.total ?? 0}
              loading={queue.loading}
              error={queue.error}
              onRetry={queue.reload}
              filter={filter}
              onFilter={(patch) => setFilter((f) => ({ ...f, ...patch }))}
              types={incidentTypes.data ?? []}
              active={activeByIncident}
              selectedId={selectedId}
              onSelect={select}
              height={PANEL_HEIGHT}
            />
          </Card>
        </Col>
        <Col xs={24} lg={15} xxl={17}>
          <Card size="small" title={t('dispatch.map.title')}>
            {mapCode && mapLevel ? (
              <DispatchMap
                code={mapCode}
                level={mapLevel}
                incidents={sorted}
                selected={selected ?? null}
                orders={orders}
                resources={sentResources.data ?? new Map()}
                height={PANEL_HEIGHT}
                onSelect={select}
              />
            ) : mapRegion.error !== undefined || roots.error !== undefined ? (
              <ErrorAlert error={mapRegion.error ?? roots.error} />
            ) : (
              <Loading minHeight={PANEL_HEIGHT} />
            )}
          </Card>
        </Col>
      </Row>
      {panel()}
      {wizardOpen && selected && (
        <ActivationWizard
          incident={selected}
          onClose={() => setWizardOpen(false)}
          onActivated={() => changed()}
        />
      )}
      <IncidentDrawer id={drawerOpen && selectedId ? selectedId : null} onClose={() => setDrawerOpen(false)} onChanged={changed} />
    </>
  );
}
