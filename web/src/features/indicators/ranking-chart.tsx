// SPDX-License-Identifier: Apache-2.0
// The child regions of one period as horizontal bars, worst at the top, coloured by status, each with its
// target as a tick and the thresholds as reference lines.
import { BarChart, type BarSeriesOption, ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption, MarkLineComponent, type MarkLineComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useState } from 'react';
import type { IndicatorValue } from '../../../../contracts/indicators.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { escapeHtml, useChart, useChartClick } from '../../lib/use-chart.ts';
import { formatIndicatorValue } from './indicator-labels.tsx';
import { VALUE_STATUS_FILL } from './indicators-api.ts';

echarts.use([BarChart, ScatterChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<BarSeriesOption | ScatterSeriesOption | GridComponentOption | TooltipComponentOption | MarkLineComponentOption>;

type Props = {
  /** Worst first. */
  values: IndicatorValue[];
  /** The name to show for a region. */
  nameOf: (v: IndicatorValue) => string;
  unit: string;
  warn: number | null;
  alarm: number | null;
  onPick?: (regionCode: string) => void;
};

const ROW = 24;

export function RankingChart({ values, nameOf, unit, warn, alarm, onPick }: Props) {
  const { t, lang } = useI18n();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);
  const height = Math.max(220, values.length * ROW + 56);
  useChartClick(chart, (params) => {
    const v = params.seriesType === 'bar' ? values[params.dataIndex] : undefined;
    if (v) onPick?.(v.regionCode);
  });

  useEffect(() => {
    if (!chart) return;
    const fmt = (v: number | null) => formatIndicatorValue(v, unit, lang);
    const lines = [
      ...(warn !== null ? [{ xAxis: warn, lineStyle: { color: VALUE_STATUS_FILL.warn, type: 'dashed' as const } }] : []),
      ...(alarm !== null ? [{ xAxis: alarm, lineStyle: { color: VALUE_STATUS_FILL.alarm, type: 'dashed' as const } }] : []),
    ];
    const option: ChartOption = {
      animationDuration: 400,
      grid: { left: 8, right: 56, top: 16, bottom: 24, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          if (Array.isArray(params)) return '';
          const v = params.seriesType === 'bar' ? values[params.dataIndex] : values[Number((params.value as number[])[1])];
          if (!v) return '';
          return [
            `<b>${escapeHtml(nameOf(v))}</b>`,
            `${escapeHtml(t('indicator.value'))}: ${escapeHtml(fmt(v.value))} · ${escapeHtml(t(`indicator.status.${v.status}`))}`,
            ...(v.target !== null ? [`${escapeHtml(t('indicator.target'))}: ${escapeHtml(fmt(v.target))}`] : []),
            ...(v.missing > 0 ? [escapeHtml(t('indicator.missingN', { n: v.missing }))] : []),
          ].join('<br/>');
        },
      },
      yAxis: { type: 'category', inverse: true, data: values.map(nameOf), axisTick: { show: false }, axisLabel: { width: 96, overflow: 'truncate' } },
      xAxis: { type: 'value', scale: false, axisLabel: { formatter: (v: number) => formatIndicatorValue(v, '', lang) } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 16,
          z: 3,
          data: values.map((v) => ({ value: v.value ?? 0, itemStyle: { color: VALUE_STATUS_FILL[v.status], borderRadius: [0, 3, 3, 0] } })),
          label: { show: true, position: 'right', fontSize: 11, color: '#4b5563', formatter: (p) => fmt(values[p.dataIndex]?.value ?? null) },
          markLine: { symbol: 'none', silent: true, label: { show: false }, data: lines },
        },
        {
          type: 'scatter',
          name: t('indicator.target'),
          symbol: 'rect',
          symbolSize: [3, 22],
          itemStyle: { color: '#13a8a8' },
          data: values.flatMap((v, i) => (v.target === null ? [] : [[v.target, i]])),
          z: 2,
        },
      ],
    };
    chart.setOption(option, true);
  }, [chart, values, nameOf, unit, warn, alarm, t, lang]);

  return <div ref={setContainer} style={{ height, width: '100%' }} data-testid="indicator-ranking-chart" />;
}
