// SPDX-License-Identifier: Apache-2.0
// The dispatch map: the open incidents on the boundaries of the user's region (coloured by grade), and for the
// selected incident the resources sent to it, each with a line to the incident coloured by its order's status.
import { Empty } from 'antd';
import { EffectScatterChart, type EffectScatterSeriesOption, LinesChart, type LinesSeriesOption, ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import { GeoComponent, type GeoComponentOption, LegendComponent, type LegendComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { DispatchOrder } from '../../../../contracts/dispatch-activations.ts';
import type { Grade, Incident } from '../../../../contracts/dispatch-incidents.ts';
import type { Resource } from '../../../../contracts/dispatch-resources.ts';
import type { Level } from '../../../../contracts/regions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { regionsApi } from '../regions/regions-api.ts';
import { escapeHtml } from '../../lib/use-chart.ts';
import { ORDER_STATUS_COLORS, ORDER_STATUS_LIST } from './dispatch-api.ts';

echarts.use([ScatterChart, EffectScatterChart, LinesChart, GeoComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<
  ScatterSeriesOption | EffectScatterSeriesOption | LinesSeriesOption | GeoComponentOption | LegendComponentOption | TooltipComponentOption
>;

export const GRADE_COLORS: Record<Grade, string> = { I: '#cf1322', II: '#fa541c', III: '#d4b106', IV: '#1677ff' };

type Props = {
  code: string;
  level: Level;
  incidents: readonly Incident[];
  /** The selected incident (also drawn when the queue no longer holds it). */
  selected: Incident | null;
  orders: readonly DispatchOrder[];
  resources: ReadonlyMap<string, Resource>;
  height: number;
  onSelect: (incidentId: string) => void;
};

type Datum = { id: string; kind: 'incident' | 'resource'; name: string; value: [number, number] };

export function DispatchMap({ code, level, incidents, selected, orders, resources, height, onSelect }: Props) {
  const { t, lang } = useI18n();
  const boundaries = useAsync((signal) => regionsApi.geojson(code, level, signal), [code, level]);
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useRef<echarts.EChartsType | null>(null);
  const [chartVersion, setChartVersion] = useState(0);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const mapName = `dispatch:${code}@${level}`;

  useEffect(() => {
    if (!container) return;
    const instance = echarts.init(container, undefined, { renderer: 'canvas' });
    instance.on('click', (params) => {
      const d = params.data as Partial<Datum> | undefined;
      if (d?.kind === 'incident' && d.id) onSelectRef.current(d.id);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container);
    chart.current = instance;
    setChartVersion((v) => v + 1);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [container]);

  const shown = selected && !incidents.some((i) => i.id === selected.id) ? [...incidents, selected] : incidents;
  const placed = shown.filter((i): i is Incident & { lon: number; lat: number } => i.lon !== null && i.lat !== null);
  const target = placed.find((i) => i.id === selected?.id) ?? null;
  const sent = orders.flatMap((o) => {
    const r = resources.get(o.resourceId);
    return r ? [{ order: o, resource: r }] : [];
  });
  // the arrays above are rebuilt on every render; these keys say when what they draw has changed
  const placedKey = placed.map((i) => `${i.id}:${i.grade}:${i.status}:${i.lon},${i.lat}`).join(';');
  const sentKey = sent.map((s) => `${s.order.id}:${s.order.status}:${s.resource.location.join(',')}`).join(';');

  useEffect(() => {
    const instance = chart.current;
    const data = boundaries.data;
    if (!instance || !data || data.features.length === 0) return;
    echarts.registerMap(mapName, data);
    const incidentById = new Map(placed.map((i) => [i.id, i]));
    const orderByResource = new Map(sent.map((s) => [s.resource.id, s]));
    const incidentLabel = t('dispatch.map.incidents');
    const routes: LinesSeriesOption = {
      type: 'lines',
      name: 'routes',
      coordinateSystem: 'geo',
      silent: true,
      zlevel: 1,
      data: target
        ? sent.map((s) => ({
            coords: [s.resource.location, [target.lon, target.lat]],
            lineStyle: {
              color: ORDER_STATUS_COLORS[s.order.status],
              type: s.order.borrowed ? ('dashed' as const) : ('solid' as const),
              width: s.order.status === 'released' ? 1 : 2,
              opacity: s.order.status === 'released' ? 0.35 : 0.85,
            },
          }))
        : [],
    };
    const option: MapOption = {
      legend: {
        bottom: 8,
        left: 8,
        orient: 'vertical',
        data: [incidentLabel, ...ORDER_STATUS_LIST.map((s) => t(`order.status.${s}`))],
        itemWidth: 14,
        itemHeight: 10,
      },
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          if (Array.isArray(params)) return '';
          const d = params.data as Partial<Datum> | undefined;
          if (d?.kind === 'incident') {
            const i = incidentById.get(d.id ?? '');
            if (!i) return '';
            return `<b>${escapeHtml(i.title)}</b><br/>${t(`incident.grade.${i.grade}`)} · ${t(`incident.status.${i.status}`)}<br/>${escapeHtml(i.regionName ?? i.regionCode)}`;
          }
          if (d?.kind === 'resource') {
            const s = orderByResource.get(d.id ?? '');
            if (!s) return '';
            const o = s.order;
            const from = o.borrowed ? ` · ${t('dispatch.borrowedFrom', { region: escapeHtml(o.regionName ?? o.regionCode) })}` : '';
            return `<b>${escapeHtml(o.resourceName)}</b><br/>${t(`order.status.${o.status}`)} · ${t('order.travel', { minutes: formatNumber(o.travelMinutes, lang) })}${from}`;
          }
          const f = data.features.find((x) => x.properties.code === params.name);
          return f ? escapeHtml(lang === 'en' && f.properties.nameEn ? f.properties.nameEn : f.properties.name) : '';
        },
      },
      geo: {
        map: mapName,
        nameProperty: 'code',
        roam: true,
        layoutCenter: ['50%', '50%'],
        layoutSize: '92%',
        itemStyle: { areaColor: '#f0f5ff', borderColor: '#adc6ff', borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: '#d6e4ff' }, label: { show: false } },
        label: { show: false },
      },
      series: [
        routes,
        ...ORDER_STATUS_LIST.map(
          (status): ScatterSeriesOption => ({
            type: 'scatter',
            name: t(`order.status.${status}`),
            coordinateSystem: 'geo',
            symbol: 'circle',
            symbolSize: 9,
            zlevel: 2,
            itemStyle: { color: ORDER_STATUS_COLORS[status], borderColor: '#ffffff', borderWidth: 1 },
            data: sent
              .filter((s) => s.order.status === status)
              .map((s): Datum => ({ id: s.resource.id, kind: 'resource', name: s.resource.name, value: s.resource.location })),
          }),
        ),
        {
          type: 'scatter',
          name: incidentLabel,
          coordinateSystem: 'geo',
          symbol: 'pin',
          zlevel: 3,
          itemStyle: { color: GRADE_COLORS.I },
          data: placed.map((i) => ({
            id: i.id,
            kind: 'incident',
            name: i.title,
            value: [i.lon, i.lat],
            symbolSize: i.id === target?.id ? 34 : 22,
            itemStyle: { color: GRADE_COLORS[i.grade], opacity: target && i.id !== target.id ? 0.7 : 1 },
          })),
        },
        {
          type: 'effectScatter',
          name: 'selected',
          coordinateSystem: 'geo',
          silent: true,
          zlevel: 2,
          symbolSize: 16,
          rippleEffect: { scale: 3.5, brushType: 'stroke' },
          itemStyle: { color: target ? GRADE_COLORS[target.grade] : '#cf1322' },
          data: target ? [{ value: [target.lon, target.lat] }] : [],
        },
      ],
    };
    instance.setOption(option, { notMerge: true });
  }, [boundaries.data, mapName, lang, t, chartVersion, placedKey, target?.id, sentKey]);

  if (boundaries.error && !boundaries.loading) return <ErrorAlert error={boundaries.error} onRetry={boundaries.reload} />;
  if (!boundaries.data) return <Loading minHeight={height} />;
  if (boundaries.data.features.length === 0) {
    return (
      <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty description={t('region.mapNoBoundary')} />
      </div>
    );
  }
  return <div ref={setContainer} style={{ height, width: '100%' }} data-testid="dispatch-map" data-incidents={placed.length} data-resources={sent.length} />;
}
