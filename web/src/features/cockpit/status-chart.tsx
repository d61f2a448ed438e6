// SPDX-License-Identifier: Apache-2.0
// Counts by status as short horizontal bars (incidents, tasks), one colour per status.
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useState } from 'react';
import { useChart, useChartClick } from '../../lib/use-chart.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export type StatusBar = { key: string; label: string; count: number; color: string };

type Props = { bars: StatusBar[]; onPick?: (key: string) => void; 'data-testid'?: string };

export function StatusChart({ bars, onPick, ...rest }: Props) {
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);
  useChartClick(chart, (params) => {
    const b = bars[params.dataIndex];
    if (b) onPick?.(b.key);
  });
  useEffect(() => {
    if (!chart) return;
    const option: ChartOption = {
      animationDuration: 300,
      grid: { left: 4, right: 36, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: 'item', confine: true },
      xAxis: { type: 'value', show: false, minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.label), axisTick: { show: false }, axisLine: { show: false }, axisLabel: { fontSize: 12, color: '#4b5563' } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 12,
          data: bars.map((b) => ({ value: b.count, itemStyle: { color: b.color, borderRadius: [0, 3, 3, 0] } })),
          label: { show: true, position: 'right', fontSize: 12, color: '#1f2937' },
          showBackground: true,
          backgroundStyle: { color: '#f3f5f9', borderRadius: [0, 3, 3, 0] },
        },
      ],
    };
    chart.setOption(option, true);
  }, [chart, bars]);
  return <div ref={setContainer} style={{ height: Math.max(80, bars.length * 22 + 8), width: '100%' }} data-testid={rest['data-testid']} />;
}
