// SPDX-License-Identifier: Apache-2.0
// Resources on the boundaries of a region, one dot each, coloured by status (ECharts geo + scatter).
import { Empty } from 'antd';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import { GeoComponent, type GeoComponentOption, LegendComponent, type LegendComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { Resource } from '../../../../contracts/dispatch-resources.ts';
import type { Level } from '../../../../contracts/regions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { regionsApi } from '../regions/regions-api.ts';
import { STATUS_COLORS, STATUS_LIST } from './resources-api.ts';

echarts.use([ScatterChart, GeoComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<ScatterSeriesOption | GeoComponentOption | LegendComponentOption | TooltipComponentOption>;

type Props = {
  /** The region whose subdivisions are drawn underneath. */
  code: string;
  level: Level;
  resources: readonly Resource[];
  height: number;
  onSelect: (id: string) => void;
};

/** The resources over the boundaries of `code`'s subdivisions at `level`; clicking a dot selects it. */
export function ResourceMap({ code, level, resources, height, onSelect }: Props) {
  const { t, lang } = useI18n();
  const boundaries = useAsync((signal) => regionsApi.geojson(code, level, signal), [code, level]);
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useRef<echarts.EChartsType | null>(null);
  const [chartVersion, setChartVersion] = useState(0);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const mapName = `resources:${code}@${level}`;

  useEffect(() => {
    if (!container) return;
    const instance = echarts.init(container, undefined, { renderer: 'canvas' });
    instance.on('click', (params) => {
      const id = (params.data as { id?: string } | undefined)?.id;
      if (params.seriesType === 'scatter' && id) onSelectRef.current(id);
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
    const byId = new Map(resources.map((r) => [r.id, r]));
    const option: MapOption = {
      legend: { bottom: 8, left: 8, orient: 'vertical', data: STATUS_LIST.map((s) => t(`resource.status.${s}`)) },
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          if (Array.isArray(params)) return '';
          const r = byId.get((params.data as { id?: string } | undefined)?.id ?? '');
          if (!r) {
            const f = data.features.find((x) => x.properties.code === params.name);
            return f ? escapeHtml(lang === 'en' && f.properties.nameEn ? f.properties.nameEn : f.properties.name) : '';
          }
          const amount = r.isStock ? `<br/>${t('resource.quantity')}: ${r.quantityAvailable ?? 0} / ${r.quantityTotal ?? 0} ${escapeHtml(r.unit)}` : '';
          return `<b>${escapeHtml(r.name)}</b><br/>${escapeHtml(r.typeName)} · ${t(`resource.status.${r.status}`)}${amount}`;
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
      series: STATUS_LIST.map((status) => ({
        type: 'scatter',
        name: t(`resource.status.${status}`),
        coordinateSystem: 'geo',
        symbolSize: 9,
        itemStyle: { color: STATUS_COLORS[status], borderColor: '#ffffff', borderWidth: 1 },
        data: resources.filter((r) => r.status === status).map((r) => ({ id: r.id, name: r.name, value: [r.location[0], r.location[1]] })),
      })),
    };
    instance.setOption(option, { notMerge: true });
  }, [boundaries.data, resources, mapName, lang, t, chartVersion]);

  if (boundaries.error && !boundaries.loading) return <ErrorAlert error={boundaries.error} onRetry={boundaries.reload} />;
  if (!boundaries.data) return <Loading minHeight={height} />;
  if (boundaries.data.features.length === 0) {
    return (
      <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty description={t('region.mapNoBoundary')} />
      </div>
    );
  }
  return <div ref={setContainer} style={{ height, width: '100%' }} data-testid="resource-map" data-points={resources.length} />;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
