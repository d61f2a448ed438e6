// SPDX-License-Identifier: Apache-2.0
// The twin map: the viewed region's subdivisions as the base, with one layer on top — entity markers, the
// regions coloured by a roll-up (choropleth), or H3 hexagons — drawn by ECharts from the API's GeoJSON.
import { CustomChart, type CustomSeriesOption, MapChart, type MapSeriesOption, ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import {
  GeoComponent,
  type GeoComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapComponent,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { RegionFeatureCollection, RegionFeatureProperties } from '../regions/regions-api.ts';
import { escapeHtml, useChart, useChartClick } from '../../lib/use-chart.ts';

echarts.use([MapChart, ScatterChart, CustomChart, GeoComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<
  MapSeriesOption | ScatterSeriesOption | CustomSeriesOption | GeoComponentOption | TooltipComponentOption | VisualMapComponentOption
>;

/** The layers the map can show. */
export const LAYERS = ['entities', 'regions', 'h3'] as const;
export type Layer = (typeof LAYERS)[number];

/** An entity marker; `value` is the chosen attribute's (null: none, or no value at the chosen time). */
export type MapPoint = { id: string; name: string; lon: number; lat: number; value: number | null };
/** One H3 hexagon with the value it is coloured by. */
export type HexCell = { cell: string; ring: Array<[number, number]>; center: [number, number]; value: number | null; count: number };

/** What the map draws on its base. */
export type MapLayerData =
  | { layer: 'entities'; points: MapPoint[]; colorByValue: boolean; color: string }
  | { layer: 'regions'; values: Map<string, { value: number | null; count: number }> }
  | { layer: 'h3'; cells: HexCell[] };

type Props = {
  /** Boundaries of the viewed region's subdivisions (or of the region itself when it has none). */
  boundaries: RegionFeatureCollection;
  /** A name for the registered map, unique per boundary set. */
  mapName: string;
  data: MapLayerData;
  /** Formats a value of the layer's measure (with its unit). */
  format: (value: number) => string;
  /** Whether the colour scale starts at zero (counts), not at the smallest value (measurements). */
  fromZero: boolean;
  height: number;
  /** Whether clicking a subdivision opens it. */
  drillable: boolean;
  onEntity: (id: string) => void;
  onRegion: (code: string) => void;
};

// Low to high: quiet blues for counts and totals, a blue-to-red scale for measurements.
const BLUES = ['#e6f4ff', '#bae0ff', '#69b1ff', '#1677ff', '#0958d9', '#002c8c'];
const HEAT = ['#2c7bb6', '#abd9e9', '#ffffbf', '#fdae61', '#d7191c'];

/** The colour scale in the lower left, over [min, max]; `onSeries` ties it to the third value of series 0's points. */
function colourScale(min: number, max: number, colours: string[], labels: [string, string], format: (v: number) => string, onSeries: boolean): VisualMapComponentOption {
  return {
    type: 'continuous',
    min,
    max,
    ...(onSeries ? { dimension: 2, seriesIndex: 0 } : {}),
    left: 12,
    bottom: 12,
    itemHeight: 110,
    calculable: true,
    text: labels,
    inRange: { color: colours },
    formatter: (v) => format(Number(v)),
  };
}
const NO_VALUE = '#bfbfbf';
// Where the map is laid out: below the legend in the top-left corner, right of the colour scale.
const MAP_BOX = { left: 112, right: 24, top: 96, bottom: 20, preserveAspect: 'contain' as const };

/** The colour scale's ends: counts start at zero; a single value sits in the middle of the scale. */
function range(values: number[], fromZero: boolean): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 1 };
  const min = fromZero ? Math.min(0, ...values) : Math.min(...values);
  const max = Math.max(...values);
  if (max > min) return { min, max };
  const pad = Math.abs(max) > 0 ? Math.abs(max) * 0.5 : 1;
  return { min: min - pad, max: max + pad };
}

/** The map with the layer in `data`; markers and subdivisions answer clicks. */
export function TwinMap({ boundaries, mapName, data, format, fromZero, height, drillable, onEntity, onRegion }: Props) {
  const { t, lang } = useI18n();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);

  const byCode = useMemo(() => {
    const m = new Map<string, RegionFeatureProperties>();
    for (const f of boundaries.features) m.set(f.properties.code, f.properties);
    return m;
  }, [boundaries]);

  useChartClick(chart, (params) => {
    if (params.componentType === 'series' && params.seriesType === 'scatter') {
      const item = params.data as { id?: unknown } | undefined;
      if (item && typeof item.id === 'string') onEntity(item.id);
      return;
    }
    if ((params.componentType === 'geo' || params.seriesType === 'map') && typeof params.name === 'string' && byCode.has(params.name)) onRegion(params.name);
  });

  useEffect(() => {
    if (!chart) return;
    echarts.registerMap(mapName, boundaries);
    const nameOf = (code: string) => {
      const p = byCode.get(code);
      if (!p) return code;
      return lang === 'en' && p.nameEn ? p.nameEn : p.name;
    };
    const showNames = boundaries.features.length <= 40;
    const geo: GeoComponentOption = {
      map: mapName,
      nameProperty: 'code',
      roam: true,
      ...MAP_BOX,
      selectedMode: false,
      itemStyle: { areaColor: '#eef2f9', borderColor: '#9db0cf', borderWidth: 1 },
      label: { show: showNames, fontSize: 11, color: '#64748b', formatter: (p: { name?: string }) => nameOf(p.name ?? '') },
      emphasis: {
        label: { show: true, color: '#111827', formatter: (p: { name?: string }) => nameOf(p.name ?? '') },
        itemStyle: { areaColor: drillable ? '#dbe7ff' : '#eef2f9' },
      },
      tooltip: { show: true, formatter: (p: { name?: string }) => escapeHtml(nameOf(p.name ?? '')) },
    };
    let option: MapOption;
    if (data.layer === 'entities') {
      const withValue = data.points.filter((p) => p.value !== null);
      const without = data.colorByValue ? data.points.filter((p) => p.value === null) : [];
      const shown = data.colorByValue ? withValue : data.points;
      const { min, max } = range(withValue.map((p) => p.value ?? 0), false);
      const tip = (p: MapPoint) =>
        `<b>${escapeHtml(p.name)}</b>${data.colorByValue ? `<br/>${p.value === null ? t('twin.noValue') : escapeHtml(format(p.value))}` : ''}`;
      const symbolSize = data.points.length > 400 ? 7 : 10;
      option = {
        geo,
        tooltip: { trigger: 'item', confine: true },
        visualMap: data.colorByValue && withValue.length > 0 ? colourScale(min, max, HEAT, [t('twin.legendHigh'), t('twin.legendLow')], format, true) : undefined,
        series: [
          {
            type: 'scatter',
            coordinateSystem: 'geo',
            symbolSize,
            itemStyle: { color: data.color, opacity: 1, borderColor: '#ffffff', borderWidth: 1, shadowBlur: 2, shadowColor: 'rgba(0,0,0,0.25)' },
            emphasis: { scale: 1.6 },
            tooltip: { formatter: (p) => (Array.isArray(p) ? '' : tip(shown[p.dataIndex] ?? { id: '', name: '', lon: 0, lat: 0, value: null })) },
            data: shown.map((p) => ({ id: p.id, value: [p.lon, p.lat, p.value ?? Number.NaN] })),
          },
          {
            type: 'scatter',
            coordinateSystem: 'geo',
            symbolSize: symbolSize - 2,
            itemStyle: { color: NO_VALUE, opacity: 1, borderColor: '#ffffff', borderWidth: 1 },
            tooltip: { formatter: (p) => (Array.isArray(p) ? '' : tip(without[p.dataIndex] ?? { id: '', name: '', lon: 0, lat: 0, value: null })) },
            data: without.map((p) => ({ id: p.id, value: [p.lon, p.lat] })),
          },
        ],
      };
    } else if (data.layer === 'regions') {
      const values = [...data.values.values()].map((v) => v.value).filter((v): v is number => v !== null);
      const { min, max } = range(values, fromZero);
      option = {
        tooltip: {
          trigger: 'item',
          confine: true,
          formatter: (p) => {
            if (Array.isArray(p)) return '';
            const v = data.values.get(p.name);
            const lines = [`<b>${escapeHtml(nameOf(p.name))}</b>`];
            lines.push(v ? `${escapeHtml(t('twin.count'))}: ${v.count}` : escapeHtml(t('twin.noEntitiesHere')));
            if (v && v.value !== null) lines.push(escapeHtml(format(v.value)));
            if (drillable) lines.push(`<span style="opacity:.6">${escapeHtml(t('twin.clickToDrill'))}</span>`);
            return lines.join('<br/>');
          },
        },
        visualMap: colourScale(min, max, BLUES, [t('twin.legendHigh'), t('twin.legendLow')], format, false),
        series: [
          {
            type: 'map',
            map: mapName,
            nameProperty: 'code',
            roam: true,
            selectedMode: false,
            ...MAP_BOX,
            label: {
              show: showNames,
              fontSize: 11,
              color: '#1f2937',
              textBorderColor: 'rgba(255,255,255,0.9)',
              textBorderWidth: 2,
              formatter: (p) => {
                const v = data.values.get(p.name);
                return v && v.value !== null && boundaries.features.length <= 30 ? `${nameOf(p.name)}\n${format(v.value)}` : nameOf(p.name);
              },
            },
            itemStyle: { areaColor: '#f0f0f0', borderColor: '#ffffff', borderWidth: 1 },
            emphasis: {
              label: { show: true, color: '#111827', fontWeight: 'bold' },
              itemStyle: { areaColor: '#ffd666', borderColor: '#fa8c16', borderWidth: 1.5 },
            },
            data: boundaries.features.map((f) => {
              const v = data.values.get(f.properties.code);
              const value = v?.value ?? null;
              // On the darker part of the scale, names are drawn light.
              const dark = value !== null && (value - min) / (max - min) >= 0.45;
              return {
                name: f.properties.code,
                value: value ?? Number.NaN,
                label: dark ? { color: '#ffffff', textBorderColor: 'rgba(0,30,90,0.55)' } : undefined,
              };
            }),
          },
        ],
      };
    } else {
      const cells = data.cells;
      const values = cells.map((c) => c.value).filter((v): v is number => v !== null);
      const { min, max } = range(values, fromZero);
      option = {
        // Names under the hexagons would only show through in pieces.
        geo: { ...geo, label: { show: false } },
        tooltip: { trigger: 'item', confine: true },
        visualMap: values.length > 0 ? colourScale(min, max, HEAT, [t('twin.legendHigh'), t('twin.legendLow')], format, true) : undefined,
        series: [
          {
            type: 'custom',
            coordinateSystem: 'geo',
            data: cells.map((c) => [c.center[0], c.center[1], c.value ?? Number.NaN]),
            renderItem: (params, api) => {
              const cell = cells[params.dataIndex];
              if (!cell) return null;
              const value = api.value(2);
              const color = typeof value === 'number' && Number.isFinite(value) ? api.visual('color') : NO_VALUE;
              return {
                type: 'polygon',
                shape: { points: cell.ring.map((p) => api.coord(p)) },
                style: { fill: typeof color === 'string' ? color : NO_VALUE, stroke: 'rgba(255,255,255,0.9)', lineWidth: 1, opacity: 0.85 },
              };
            },
            tooltip: {
              formatter: (p) => {
                if (Array.isArray(p)) return '';
                const c = cells[p.dataIndex];
                if (!c) return '';
                return [`<b>H3 ${escapeHtml(c.cell)}</b>`, `${escapeHtml(t('twin.count'))}: ${c.count}`, c.value === null ? '' : escapeHtml(format(c.value))]
                  .filter(Boolean)
                  .join('<br/>');
              },
            },
          },
        ],
      };
    }
    chart.setOption(option, { notMerge: true });
  }, [chart, boundaries, mapName, byCode, data, format, fromZero, drillable, lang, t]);

  const count = data.layer === 'entities' ? data.points.length : data.layer === 'regions' ? data.values.size : data.cells.length;
  return <div ref={setContainer} style={{ height, width: '100%' }} data-testid="twin-map" data-layer={data.layer} data-count={count} data-map={mapName} />;
}
