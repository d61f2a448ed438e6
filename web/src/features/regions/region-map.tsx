// SPDX-License-Identifier: Apache-2.0
// A choropleth of one region's subdivisions, drawn by ECharts from the boundaries the API returns.
import { Empty } from 'antd';
import { MapChart, type MapSeriesOption } from 'echarts/charts';
import {
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapComponent,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Level } from '../../../../contracts/regions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatArea, formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { type RegionFeatureProperties, regionsApi } from './regions-api.ts';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

type Props = {
  /** The region whose subdivisions are drawn. */
  code: string;
  /** The level of those subdivisions. */
  level: Level;
  /** A subdivision to outline (the selection, when it has no subdivisions of its own). */
  highlightCode?: string | null;
  height: number;
  onSelect: (code: string) => void;
};

const PALETTE = ['#e6f4ff', '#bae0ff', '#69b1ff', '#1677ff', '#0958d9', '#002c8c'];

/** Subdivisions of `code` at `level`, coloured by population; clicking one selects it. */
export function RegionMap({ code, level, highlightCode, height, onSelect }: Props) {
  const { t, lang } = useI18n();
  const boundaries = useAsync((signal) => regionsApi.geojson(code, level, signal), [code, level]);
  // A callback ref (state), so that a container mounted again after an empty or failed load gets a new chart.
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useRef<echarts.EChartsType | null>(null);
  const [chartVersion, setChartVersion] = useState(0);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const mapName = `${code}@${level}`;
  const features = boundaries.data?.features ?? [];
  const byCode = useMemo(() => {
    const m = new Map<string, RegionFeatureProperties>();
    for (const f of boundaries.data?.features ?? []) m.set(f.properties.code, f.properties);
    return m;
  }, [boundaries.data]);

  // One chart instance per mounted container; disposed with it.
  const hasFeatures = features.length > 0;
  useEffect(() => {
    if (!container) return;
    const instance = echarts.init(container, undefined, { renderer: 'canvas' });
    instance.on('click', (params) => {
      if (typeof params.name === 'string' && params.name) onSelectRef.current(params.name);
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

  useEffect(() => {
    const instance = chart.current;
    const data = boundaries.data;
    if (!instance || !data || data.features.length === 0) return;
    echarts.registerMap(mapName, data);
    const populations = data.features.map((f) => f.properties.population).filter((p): p is number => p !== null);
    const min = populations.length > 0 ? Math.min(...populations) : 0;
    const max = populations.length > 0 ? Math.max(...populations) : 0;
    const nameOf = (c: string) => {
      const p = byCode.get(c);
      if (!p) return c;
      return lang === 'en' && p.nameEn ? p.nameEn : p.name;
    };
    const option: MapOption = {
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          if (Array.isArray(params)) return '';
          const p = byCode.get(params.name);
          if (!p) return params.name;
          const density = p.population !== null && p.areaKm2 ? p.population / p.areaKm2 : null;
          return [
            `<b>${escapeHtml(nameOf(p.code))}</b> <span style="opacity:.6">${t(`level.${p.level}`)}</span>`,
            `${t('region.code')}: ${p.code}`,
            `${t('region.population')}: ${formatNumber(p.population, lang)} ${t('region.populationUnit')}`,
            `${t('region.area')}: ${formatArea(p.areaKm2, lang)}`,
            `${t('region.density')}: ${formatNumber(density, lang)} ${t('region.densityUnit')}`,
          ].join('<br/>');
        },
      },
      visualMap:
        populations.length > 0
          ? {
              type: 'continuous',
              min,
              max: max > min ? max : min + 1,
              left: 12,
              bottom: 12,
              itemHeight: 100,
              text: [t('region.high'), t('region.low')],
              calculable: true,
              inRange: { color: PALETTE },
              formatter: (value) => formatNumber(Number(value), lang),
            }
          : undefined,
      series: [
        {
          type: 'map',
          map: mapName,
          nameProperty: 'code',
          roam: true,
          selectedMode: false,
          layoutCenter: ['50%', '50%'],
          layoutSize: '92%',
          label: {
            show: data.features.length <= 60,
            fontSize: 11,
            color: '#1f2937',
            // A white halo keeps names readable on the darkest fill.
            textBorderColor: 'rgba(255,255,255,0.9)',
            textBorderWidth: 2,
            formatter: (params) => nameOf(params.name),
          },
          itemStyle: { areaColor: '#dbeafe', borderColor: '#ffffff', borderWidth: 1 },
          emphasis: {
            label: { show: true, color: '#111827', fontWeight: 'bold' },
            itemStyle: { areaColor: '#ffd666', borderColor: '#fa8c16', borderWidth: 1.5 },
          },
          data: data.features.map((f) => {
            const population = f.properties.population;
            // On the darker half of the palette, names are drawn light.
            const dark = population !== null && max > min && (population - min) / (max - min) > 0.55;
            return {
              name: f.properties.code,
              value: population ?? Number.NaN,
              label: dark ? { color: '#ffffff', textBorderColor: 'rgba(0,30,90,0.55)' } : undefined,
              itemStyle: f.properties.code === highlightCode ? { borderColor: '#f5222d', borderWidth: 3 } : undefined,
            };
          }),
        },
      ],
    };
    instance.setOption(option, { notMerge: true });
  }, [boundaries.data, byCode, mapName, highlightCode, lang, t, chartVersion]);

  if (boundaries.error && !boundaries.loading) return <ErrorAlert error={boundaries.error} onRetry={boundaries.reload} />;
  if (!boundaries.data) return <Loading minHeight={height} />;
  if (boundaries.data && !hasFeatures) {
    return (
      <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty description={t('region.mapNoBoundary')} data-testid="region-map-empty" />
      </div>
    );
  }
  return (
    <div style={{ position: 'relative' }}>
      <div ref={setContainer} style={{ height, width: '100%' }} data-testid="region-map" data-map={mapName} data-features={features.length} />
      {boundaries.loading && (
        <div className="yz-map-overlay">
          <Loading minHeight={height} />
        </div>
      )}
    </div>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
