// SPDX-License-Identifier: Apache-2.0
// A small line of an indicator's recent values, without axes, the last point coloured by its status.
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { escapeHtml, useChart } from '../../lib/use-chart.ts';
import { formatIndicatorValue } from '../indicators/indicator-labels.tsx';

echarts.use([LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption>;

type Props = { points: { period: string; value: number | null }[]; unit: string; color: string; target?: number | null; height?: number };

export function Sparkline({ points, unit, color, target = null, height = 56 }: Props) {
  const { lang } = useI18n();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);
  useEffect(() => {
    if (!chart) return;
    const option: ChartOption = {
      animation: false,
      grid: { left: 2, right: 6, top: 6, bottom: 4 },
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (params) => {
          const p = (Array.isArray(params) ? params[0] : params)?.dataIndex;
          const x = p === undefined ? undefined : points[p];
          return x ? `${escapeHtml(x.period)}<br/><b>${escapeHtml(formatIndicatorValue(x.value, unit, lang))}</b>` : '';
        },
      },
      xAxis: { type: 'category', show: false, boundaryGap: false, data: points.map((p) => p.period) },
      yAxis: { type: 'value', show: false, scale: true },
      series: [
        {
          type: 'line',
          data: points.map((p, i) => (i === points.length - 1 && p.value !== null ? { value: p.value, symbol: 'circle', symbolSize: 7, itemStyle: { color } } : (p.value ?? '-'))),
          symbol: 'none',
          smooth: true,
          connectNulls: true,
          lineStyle: { color: '#1d5bd8', width: 2 },
          areaStyle: { color: 'rgba(29, 91, 216, 0.10)' },
          markLine: target !== null ? { symbol: 'none', silent: true, label: { show: false }, lineStyle: { color: '#13a8a8', type: 'dashed', width: 1 }, data: [{ yAxis: target }] } : undefined,
        },
      ],
    };
    chart.setOption(option, true);
  }, [chart, points, unit, color, target, lang]);
  return <div ref={setContainer} style={{ height, width: '100%' }} data-testid="cockpit-sparkline" />;
}
