// SPDX-License-Identifier: Apache-2.0
// The subdivisions of a region drawn from their boundaries, each filled with a colour the caller decides
// (an indicator's status, a count of alarms); clicking one selects it. Without boundaries it says so and
// the caller shows its tiles instead.
import { Empty } from 'antd';
import { MapChart, type MapSeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { Level } from '../../../../contracts/regions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { escapeHtml, useChart, useChartClick } from '../../lib/use-chart.ts';
import { regionsApi } from '../regions/regions-api.ts';

echarts.use([MapChart, TooltipComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<MapSeriesOption | TooltipComponentOption>;

type Props = {
  /** The region whose subdivisions are drawn. */
  code: string;
  /** Their level. */
  level: Level;
  height: number;
  /** The fill of a subdivision (a neutral grey when undefined). */
  fillOf: (code: string) => string | undefined;
  /** Lines under the name in the tooltip (plain text). */
  detailsOf?: (code: string) => string[];
  onSelect?: (code: string) => void;
  /** Drawn over the map's corner: a legend. */
  legend?: ReactNode;
  /** Shown instead of the map when the subdivisions have no boundaries. */
  fallback?: ReactNode;
  'data-testid'?: string;
};

const NEUTRAL = '#e5e9f0';

/** Whether a fill is dark enough to need light labels. */
function isDark(hex: string): boolean {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x ?? '0', 16)) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b < 150;
}

export function RegionStatusMap({ code, level, height, fillOf, detailsOf, onSelect, legend, fallback, ...rest }: Props) {
  const { t, lang } = useI18n();
  const boundaries = useAsync((signal) => regionsApi.geojson(code, level, signal), [code, level]);
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);
  useChartClick(chart, (params) => {
    if (typeof params.name === 'string' && params.name) onSelect?.(params.name);
  });
  const mapName = `yz-status:${code}@${level}`;
  const features = useMemo(() => (boundaries.data?.features ?? []).filter((f) => f.geometry !== null), [boundaries.data]);

  useEffect(() => {
    const data = boundaries.data;
    if (!chart || !data || features.length === 0) return;
    echarts.registerMap(mapName, { type: 'FeatureCollection', features } as Parameters<typeof echarts.registerMap>[1]);
    const nameOf = (c: string) => {
      const p = features.find((f) => f.properties.code === c)?.properties;
      return p ? (lang === 'en' && p.nameEn ? p.nameEn : p.name) : c;
    };
    const option: MapOption = {
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          if (Array.isArray(params)) return '';
          return [`<b>${escapeHtml(nameOf(params.name))}</b>`, ...(detailsOf?.(params.name) ?? []).map(escapeHtml)].join('<br/>');
        },
      },
      series: [
        {
          type: 'map',
          map: mapName,
          nameProperty: 'code',
          roam: false,
          selectedMode: false,
          layoutCenter: ['50%', '50%'],
          layoutSize: '95%',
          label: {
            show: features.length <= 40,
            fontSize: 11,
            color: '#1f2937',
            textBorderColor: 'rgba(255,255,255,0.9)',
            textBorderWidth: 2,
            formatter: (params) => nameOf(params.name),
          },
          itemStyle: { areaColor: NEUTRAL, borderColor: '#ffffff', borderWidth: 1 },
          emphasis: { label: { show: true, color: '#111827', fontWeight: 'bold' }, itemStyle: { areaColor: '#ffd666', borderColor: '#1d5bd8', borderWidth: 1.5 } },
          data: features.map((f) => {
            const fill = fillOf(f.properties.code) ?? NEUTRAL;
            return {
              name: f.properties.code,
              itemStyle: { areaColor: fill },
              label: isDark(fill) ? { color: '#ffffff', textBorderColor: 'rgba(0,0,0,0.35)' } : undefined,
            };
          }),
        },
      ],
    };
    chart.setOption(option, true);
  }, [chart, boundaries.data, features, mapName, fillOf, detailsOf, lang]);

  if (boundaries.error !== undefined && !boundaries.loading) return <ErrorAlert error={boundaries.error} onRetry={boundaries.reload} />;
  if (!boundaries.data) return <Loading minHeight={height} />;
  if (features.length === 0) {
    return (
      <>
        {fallback ?? (
          <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
            <Empty description={t('region.mapNoBoundary')} />
          </div>
        )}
      </>
    );
  }
  return (
    <div style={{ position: 'relative' }}>
      <div ref={setContainer} style={{ height, width: '100%' }} data-testid={rest['data-testid']} data-features={features.length} />
      {legend && <div className="yz-map-legend">{legend}</div>}
    </div>
  );
}
