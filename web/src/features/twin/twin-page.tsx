// SPDX-License-Identifier: Apache-2.0
// 数字孪生: the twin map. Entities of a chosen type on the map of the viewed region, or rolled up to its
// subdivisions (drilling down from province to village) or to H3 hexagons; an attribute filter; a slider
// to see values as of a day in the last year; and the card of any entity with its history and relations.
import { Breadcrumb, Card, Col, Empty, Flex, Row, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Level } from '../../../../contracts/regions.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { childLevelOf } from '../../lib/domain.ts';
import { formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useViewportHeight } from '../../lib/use-viewport-height.ts';
import { regionsApi } from '../regions/regions-api.ts';
import { EntityCard } from './entity-card.tsx';
import { TimeSlider } from './time-slider.tsx';
import { ENTITY_LIMIT, twinApi } from './twin-api.ts';
import { type AttributeFilter, attrLabel, bboxOf, endOfDay, filterQuery, formatMeasure, isoDay, dayAt, pointOf, shortId, typeColor, typeLabel, unitSymbol } from './twin-format.ts';
import { type HexCell, type Layer, type MapLayerData, type MapPoint, TwinMap } from './twin-map.tsx';
import { type NamedRegion, TwinSidePanel } from './twin-side-panel.tsx';
import { type Metric, TwinToolbar } from './twin-toolbar.tsx';
import './twin.css';

/** H3 resolution that suits the area of each level (hexagons of roughly a tenth of a subdivision). */
const H3_RESOLUTION: Record<Level, number> = { province: 5, city: 6, county: 7, township: 8, village: 9, grid: 10 };
/** Leading digits of a code that name a region of each level (its subtree prefix). */
const PREFIX_LENGTH: Record<Level, number> = { province: 2, city: 4, county: 6, township: 9, village: 12, grid: 15 };
const HEAT_RAMP = 'linear-gradient(90deg, #2c7bb6, #abd9e9, #ffffbf, #fdae61, #d7191c)';
const BLUE_RAMP = 'linear-gradient(90deg, #e6f4ff, #69b1ff, #0958d9, #002c8c)';

export default function TwinPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const me = useMe();
  const viewport = useViewportHeight();
  const mapHeight = Math.max(400, viewport - 420);

  // Where the map starts: the user's region, or the first region a platform-wide user may see.
  const roots = useAsync((signal) => (me.scopeCode ? undefined : regionsApi.roots(signal)), [me.scopeCode]);
  const startCode = me.scopeCode ?? roots.data?.items[0]?.code ?? null;
  const viewCode = params[0] ?? startCode;

  const region = useAsync((signal) => (viewCode ? regionsApi.get(viewCode, signal) : undefined), [viewCode]);
  const viewed = region.data && region.data.code === viewCode ? region.data : undefined;
  const ancestors = useAsync(
    (signal) => (viewCode ? regionsApi.ancestors(viewCode, signal).then((r) => ({ code: viewCode, items: r.items })) : undefined),
    [viewCode],
  );
  // Villages are the finest level the map rolls up to; a village itself is drawn alone.
  const childLevel = viewed ? childLevelOf(viewed.level) : null;
  const subLevel: Level | null = childLevel && childLevel !== 'grid' ? childLevel : null;
  const baseLevel: Level | null = viewed ? (subLevel ?? viewed.level) : null;
  const drillable = subLevel !== null && subLevel !== 'village';

  const boundaries = useAsync(
    (signal) =>
      viewed && baseLevel ? regionsApi.geojson(viewed.code, baseLevel, signal).then((fc) => ({ key: `twin:${viewed.code}@${baseLevel}`, fc })) : undefined,
    [viewed?.code, baseLevel],
  );
  const base = boundaries.data && viewed && boundaries.data.key === `twin:${viewed.code}@${baseLevel}` ? boundaries.data : undefined;
  const bbox = useMemo(() => (base ? bboxOf(base.fc.features.map((f) => f.geometry.coordinates)) : null), [base]);
  const bboxKey = bbox ? bbox.join(',') : '';
  const namedRegions = useMemo<NamedRegion[]>(
    () => (base?.fc.features ?? []).map((f) => ({ code: f.properties.code, name: lang === 'en' && f.properties.nameEn ? f.properties.nameEn : f.properties.name })),
    [base, lang],
  );

  // What to show.
  const types = useAsync((signal) => twinApi.types(signal), []);
  const [type, setType] = useState<string | null>(null);
  const [attr, setAttr] = useState<string | null>(null);
  const [metric, setMetric] = useState<Metric>('avg');
  const [layer, setLayer] = useState<Layer>('entities');
  const [filter, setFilter] = useState<AttributeFilter | null>(null);
  const [daysBack, setDaysBack] = useState(0);
  const [resolutionChoice, setResolution] = useState<number | null>(null);
  const [cards, setCards] = useState<string[]>([]);

  // The automatic resolution suits each level: a choice made for one region does not carry to the next.
  useEffect(() => setResolution(null), [viewCode]);

  useEffect(() => {
    const first = types.data?.[0];
    if (type === null && first) setType(first.type);
  }, [types.data, type]);

  const typeInfo = types.data?.find((x) => x.type === type);
  const attrInfo = typeInfo?.attributes.find((a) => a.name === attr && a.numeric);
  const unit = unitSymbol(attrInfo?.unitCode, lang);
  const q = filter ? (filterQuery(filter) ?? undefined) : undefined;
  const asOf = daysBack === 0 ? null : endOfDay(daysBack);
  const resolution = resolutionChoice ?? (viewed ? H3_RESOLUTION[viewed.level] : 7);
  // Without an attribute the roll-ups count entities.
  const measure: Metric = attrInfo ? metric : 'count';

  const chooseType = (next: string) => {
    setType(next);
    setAttr(null);
    setFilter(null);
  };

  // The layer's data; only the shown layer loads.
  const entities = useAsync(
    (signal) => (layer === 'entities' && type && bbox ? twinApi.entities({ type, bbox, q }, signal) : undefined),
    [layer, type, bboxKey, q],
  );
  const pastValues = useAsync(
    (signal) => (layer === 'entities' && type && attrInfo && asOf && bbox ? twinApi.valuesAsOf({ type, attr: attrInfo.name, bbox, q, at: asOf }, signal) : undefined),
    [layer, type, attrInfo?.name, asOf, bboxKey, q],
  );
  const rollup = useAsync(
    (signal) =>
      layer === 'regions' && type && viewed && subLevel
        ? twinApi.rollup({ type, attr: attrInfo?.name, parent: viewed.code, level: subLevel, asOf: asOf ?? undefined, q }, signal)
        : undefined,
    [layer, type, viewed?.code, subLevel, attrInfo?.name, asOf, q],
  );
  const hexes = useAsync(
    (signal) => (layer === 'h3' && type && viewed ? twinApi.h3({ type, attr: attrInfo?.name, parent: viewed.code, resolution, asOf: asOf ?? undefined, q }, signal) : undefined),
    [layer, type, viewed?.code, attrInfo?.name, resolution, asOf, q],
  );

  const layerData = useMemo<MapLayerData>(() => {
    if (layer === 'entities') {
      const points: MapPoint[] = [];
      for (const e of entities.data ?? []) {
        const at = pointOf(e.location);
        if (!at) continue;
        const raw = attrInfo ? (asOf ? pastValues.data?.get(e.id) : e[attrInfo.name]) : undefined;
        points.push({
          id: e.id,
          name: typeof e.name === 'string' ? e.name : shortId(e.id),
          lon: at[0],
          lat: at[1],
          value: typeof raw === 'number' && Number.isFinite(raw) ? raw : null,
        });
      }
      return { layer, points, colorByValue: attrInfo !== undefined, color: type ? typeColor(type) : '#1d5bd8' };
    }
    if (layer === 'regions') {
      const values = new Map<string, { value: number | null; count: number }>();
      for (const g of rollup.data?.groups ?? []) {
        if (g.level !== subLevel) continue;
        values.set(g.regionCode, { value: measure === 'count' ? g.count : g[measure], count: g.count });
      }
      return { layer, values };
    }
    const cells: HexCell[] = (hexes.data?.features ?? []).map((f) => {
      const ring = (f.geometry.coordinates[0] ?? []).map(([x, y]) => [x, y] as [number, number]);
      const corners = ring.slice(0, -1);
      const center: [number, number] = [corners.reduce((s, p) => s + p[0], 0) / (corners.length || 1), corners.reduce((s, p) => s + p[1], 0) / (corners.length || 1)];
      return { cell: f.properties.cell, ring, center, count: f.properties.count, value: measure === 'count' ? f.properties.count : f.properties[measure] };
    });
    return { layer: 'h3', cells };
  }, [layer, type, entities.data, pastValues.data, attrInfo, asOf, rollup.data, subLevel, measure, hexes.data]);

  const format = useCallback(
    (v: number) => (measure === 'count' || (layer === 'entities' && !attrInfo) ? t('twin.countOf', { count: formatNumber(v, lang) }) : formatMeasure(v, unit, lang)),
    [measure, layer, attrInfo, unit, lang, t],
  );

  const current = layer === 'entities' ? entities : layer === 'regions' ? rollup : hexes;
  const loading = current.loading || (layer === 'entities' && pastValues.loading) || boundaries.loading;
  const layerError = current.error ?? (layer === 'entities' ? pastValues.error : undefined);

  const openEntity = useCallback((id: string) => setCards([id]), []);
  const drill = useCallback(
    (code: string) => {
      if (drillable && code !== viewCode) navigate(`/twin/${code}`);
    },
    [drillable, viewCode],
  );

  // The breadcrumb: from the user's own region down to the viewed one.
  const chain = useMemo(() => {
    if (!viewed || !ancestors.data || ancestors.data.code !== viewed.code) return viewed ? [viewed] : [];
    const list = [...ancestors.data.items.filter((r) => r.code !== viewed.code), viewed];
    const from = startCode ? list.findIndex((r) => r.code === startCode) : 0;
    return list.slice(Math.max(0, from));
  }, [viewed, ancestors.data, startCode]);
  const startRegion = chain.find((r) => r.code === startCode);
  const withinStart = (code: string) => !startRegion || code.startsWith(startRegion.code.slice(0, PREFIX_LENGTH[startRegion.level]));
  const nameOfRegion = (r: { name: string; nameEn: string | null }) => (lang === 'en' && r.nameEn ? r.nameEn : r.name);

  // Why the chosen time changes nothing in this layer, if it does not.
  // Past positions are not kept apart from values: the entity layer shows past values of an attribute.
  const timeNote = layer === 'entities' && !attrInfo ? t('twin.asOfNeedsAttr') : null;
  const typeName = type ? typeLabel(t, type) : '';
  const regionName = viewed ? nameOfRegion(viewed) : '';
  const emptyText = t('twin.noEntities', { type: typeName, region: regionName });

  const failed = types.error ?? roots.error;
  if (failed) {
    return (
      <>
        <PageHeader title={t('twin.title')} subtitle={t('twin.subtitle')} />
        <ErrorAlert error={failed} onRetry={types.error ? types.reload : roots.reload} />
      </>
    );
  }
  if (!types.data) return <Loading minHeight={400} />;
  if (types.data.length === 0) {
    return (
      <>
        <PageHeader title={t('twin.title')} subtitle={t('twin.subtitle')} />
        <Card>
          <Empty description={<span data-testid="twin-no-types">{t('twin.noTypes')}</span>} />
        </Card>
      </>
    );
  }

  const legend = (
    <div className="yz-twin-legend" data-testid="twin-legend">
      <div className="yz-twin-legend-title">
        {typeName}
        {attrInfo ? ` · ${attrLabel(t, attrInfo.name)}${unit ? ` (${unit})` : ''}` : ''}
      </div>
      {layer === 'entities' ? (
        <>
          <div className="yz-twin-legend-row">
            {attrInfo ? <span className="yz-twin-ramp" style={{ background: HEAT_RAMP }} /> : <span className="yz-twin-dot" style={{ background: type ? typeColor(type) : '#1d5bd8' }} />}
            <span data-testid="twin-legend-count">{t('twin.legendEntities', { count: layerData.layer === 'entities' ? layerData.points.length : 0 })}</span>
          </div>
          {layerData.layer === 'entities' && layerData.colorByValue && layerData.points.some((p) => p.value === null) && (
            <div className="yz-twin-legend-row">
              <span className="yz-twin-dot" style={{ background: '#bfbfbf' }} />
              <span>{asOf ? t('twin.legendNoValueThen') : t('twin.legendNoValue')}</span>
            </div>
          )}
          {(entities.data?.length ?? 0) >= ENTITY_LIMIT && <div className="yz-twin-legend-row" style={{ color: '#d46b08' }}>{t('twin.truncated', { limit: ENTITY_LIMIT })}</div>}
        </>
      ) : layer === 'regions' ? (
        <div className="yz-twin-legend-row">
          <span className="yz-twin-ramp" style={{ background: BLUE_RAMP }} />
          <span>
            {subLevel ? t('twin.legendRollup', { level: t(`level.${subLevel}`), metric: t(`twin.metric.${measure}`) }) : t('twin.noSubdivisions')}
          </span>
        </div>
      ) : (
        <div className="yz-twin-legend-row">
          <span className="yz-twin-ramp" style={{ background: HEAT_RAMP }} />
          <span>{t('twin.legendH3', { resolution, cells: layerData.layer === 'h3' ? layerData.cells.length : 0, metric: t(`twin.metric.${measure}`) })}</span>
        </div>
      )}
      {asOf && timeNote === null && (
        <div className="yz-twin-legend-row" style={{ color: '#1d5bd8' }}>
          {t('twin.asOf', { date: isoDay(dayAt(daysBack)) })}
        </div>
      )}
      {asOf && timeNote !== null && (
        <div className="yz-twin-legend-row" style={{ color: '#d46b08' }} data-testid="twin-time-note">
          {timeNote}
        </div>
      )}
      {q && (
        <div className="yz-twin-legend-row">
          {t('twin.filter')}: <span className="yz-mono">{q}</span>
        </div>
      )}
    </div>
  );

  const nothing =
    !loading && !layerError && base
      ? layerData.layer === 'entities'
        ? layerData.points.length === 0
        : layerData.layer === 'regions'
          ? subLevel !== null && layerData.values.size === 0
          : layerData.cells.length === 0
      : false;

  return (
    <>
      <PageHeader title={t('twin.title')} subtitle={t('twin.subtitle')} />
      <Card size="small" className="yz-mb-16">
        <TwinToolbar
          types={types.data}
          type={type}
          onType={chooseType}
          attr={attrInfo ? attrInfo.name : null}
          onAttr={setAttr}
          metric={metric}
          onMetric={setMetric}
          layer={layer}
          onLayer={setLayer}
          resolution={resolution}
          onResolution={setResolution}
          filter={filter}
          onFilter={setFilter}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card
            size="small"
            title={
              <Breadcrumb
                data-testid="twin-breadcrumb"
                items={chain.map((r, i) =>
                  i < chain.length - 1
                    ? { key: r.code, title: <a onClick={() => navigate(`/twin/${r.code}`)} data-testid="twin-crumb" data-code={r.code}>{nameOfRegion(r)}</a> }
                    : { key: r.code, title: <b data-testid="twin-crumb-current" data-code={r.code}>{nameOfRegion(r)}</b> },
                )}
              />
            }
            extra={
              viewed && subLevel ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {drillable ? t('twin.drillHint', { level: t(`level.${subLevel}`) }) : t('twin.finestHint')}
                </Typography.Text>
              ) : null
            }
            styles={{ body: { padding: 0 } }}
          >
            {region.error ? (
              <div style={{ padding: 16 }}>
                <ErrorAlert error={region.error} onRetry={region.reload} />
              </div>
            ) : boundaries.error ? (
              <div style={{ padding: 16 }}>
                <ErrorAlert error={boundaries.error} onRetry={boundaries.reload} />
              </div>
            ) : !base ? (
              <Loading minHeight={mapHeight} />
            ) : base.fc.features.length === 0 ? (
              <Flex align="center" justify="center" style={{ height: mapHeight }}>
                <Empty description={t('region.mapNoBoundary')} />
              </Flex>
            ) : (
              <div className="yz-twin-map">
                <TwinMap
                  boundaries={base.fc}
                  mapName={base.key}
                  data={layerData}
                  format={format}
                  fromZero={measure === 'count'}
                  height={mapHeight}
                  drillable={drillable}
                  onEntity={openEntity}
                  onRegion={drill}
                />
                {legend}
                {layerError !== undefined && (
                  <div className="yz-twin-error">
                    <ErrorAlert error={layerError} onRetry={current.reload} />
                  </div>
                )}
                {nothing && (
                  <div className="yz-twin-message" data-testid="twin-empty">
                    {layer === 'regions' && !subLevel ? t('twin.noSubdivisions') : emptyText}
                  </div>
                )}
                {loading && (
                  <div className="yz-map-overlay" data-testid="twin-loading">
                    <Loading minHeight={mapHeight} />
                  </div>
                )}
              </div>
            )}
            <TimeSlider value={daysBack} onChange={setDaysBack} />
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Card
            size="small"
            title={t(`twin.list.${layer}`)}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="twin-list-count">
                {layerData.layer === 'entities' ? layerData.points.length : layerData.layer === 'regions' ? layerData.values.size : layerData.cells.length}
              </Typography.Text>
            }
            styles={{ body: { padding: 8 } }}
          >
            {layerError !== undefined ? (
              <ErrorAlert error={layerError} onRetry={current.reload} />
            ) : loading && layerData.layer === 'entities' && layerData.points.length === 0 ? (
              <Loading minHeight={200} />
            ) : (
              <TwinSidePanel
                data={layerData}
                regions={namedRegions}
                format={format}
                countLabel={measure === 'count' ? undefined : (n) => t('twin.countOf', { count: formatNumber(n, lang) })}
                moreText={(limit) => t('twin.listFirst', { limit })}
                height={mapHeight + 60}
                drillable={drillable}
                onEntity={openEntity}
                onRegion={drill}
                empty={
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={<span data-testid="twin-list-empty">{layer === 'regions' && !subLevel ? t('twin.noSubdivisions') : emptyText}</span>}
                  />
                }
              />
            )}
          </Card>
        </Col>
      </Row>
      <EntityCard
        id={cards.at(-1) ?? null}
        canGoBack={cards.length > 1}
        asOf={asOf}
        onOpen={(id) => setCards((c) => (c.at(-1) === id ? c : [...c, id]))}
        onBack={() => setCards((c) => c.slice(0, -1))}
        onClose={() => setCards([])}
        onLocate={(code) => {
          setLayer('entities');
          // A region above the user's own is not theirs to open: show their own instead.
          const target = withinStart(code) ? code : startCode;
          if (target && target !== viewCode) navigate(`/twin/${target}`);
        }}
      />
    </>
  );
}
