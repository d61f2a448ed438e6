// SPDX-License-Identifier: Apache-2.0
// A region's values of an indicator over its recent periods: points coloured by status, the target as a
// dashed line, the warn and alarm thresholds as reference lines and the selected period marked.
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent, type GridComponentOption, LegendComponent, type LegendComponentOption, MarkLineComponent, type MarkLineComponentOption, TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useState } from 'react';
import type { ValueStatus } from '../../../../contracts/indicators.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { escapeHtml, useChart, useChartClick } from '../../lib/use-chart.ts';
import { formatIndicatorValue } from './indicator-labels.tsx';
import { VALUE_STATUS_FILL } from './indicators-api.ts';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | MarkLineComponentOption>;

/** One period of the trend. */
export type TrendPoint = { period: string; value: number | null; target: number | null; status: ValueStatus };

type Props = {
  points: TrendPoint[];
  unit: string;
  warn: number | null;
  alarm: number | null;
  selected: string | null;
  onPick?: (period: string) => void;
  height?: number;
};

const LINE = '#1d5bd8';

export function TrendChart({ points, unit, warn, alarm, selected, onPick, height = 340 }: Props) {
  const { t, lang } = useI18n();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);
  useChartClick(chart, (params) => {
    if (typeof params.name === 'string' && params.name) onPick?.(params.name);
  });

  useEffect(() => {
    if (!chart) return;
    const fmt = (v: number | null) => formatIndicatorValue(v, unit, lang);
    const hasTarget = points.some((p) => p.target !== null);
    const thresholds = [
      ...(warn !== null ? [{ yAxis: warn, name: t('indicator.warn'), lineStyle: { color: VALUE_STATUS_FILL.warn, type: 'dashed' as const }, label: { formatter: `${t('indicator.warn')} ${fmt(warn)}`, color: VALUE_STATUS_FILL.warn } }] : []),
      ...(alarm !== null ? [{ yAxis: alarm, name: t('indicator.alarm'), lineStyle: { color: VALUE_STATUS_FILL.alarm, type: 'dashed' as const }, label: { formatter: `${t('indicator.alarm')} ${fmt(alarm)}`, color: VALUE_STATUS_FILL.alarm } }] : []),
    ];
    const selectedLine = selected && points.some((p) => p.period === selected) ? [{ xAxis: selected, lineStyle: { color: '#bfbfbf', type: 'dotted' as const, width: 1 }, label: { show: false } }] : [];
    const option: ChartOption = {
      animationDuration: 400,
      grid: { left: 56, right: 92, top: 36, bottom: 28 },
      legend: { top: 0, left: 'center', data: [t('indicator.value'), ...(hasTarget ? [t('indicator.target')] : [])] },
      tooltip: {
        trigger: 'axis',
        formatter: (params) => {
          const list = Array.isArray(params) ? params : [params];
          const period = String(list[0]?.name ?? '');
          const p = points.find((x) => x.period === period);
          if (!p) return escapeHtml(period);
          return [
            `<b>${escapeHtml(period)}</b>`,
            `${escapeHtml(t('indicator.value'))}: ${escapeHtml(fmt(p.value))} · ${escapeHtml(t(`indicator.status.${p.status}`))}`,
            ...(p.target !== null ? [`${escapeHtml(t('indicator.target'))}: ${escapeHtml(fmt(p.target))}`] : []),
          ].join('<br/>');
        },
      },
      xAxis: { type: 'category', boundaryGap: false, data: points.map((p) => p.period) },
      yAxis: { type: 'value', scale: true, name: unit, nameTextStyle: { align: 'right' }, axisLabel: { formatter: (v: number) => formatIndicatorValue(v, '', lang) } },
      series: [
        {
          type: 'line',
          name: t('indicator.value'),
          data: points.map((p) => ({
            value: p.value ?? '-',
            itemStyle: { color: VALUE_STATUS_FILL[p.status] === VALUE_STATUS_FILL.none ? LINE : VALUE_STATUS_FILL[p.status], borderColor: '#fff', borderWidth: 1 },
            symbolSize: p.period === selected ? 12 : 8,
          })),
          connectNulls: false,
          lineStyle: { color: LINE, width: 2 },
          itemStyle: { color: LINE },
          areaStyle: { color: 'rgba(29, 91, 216, 0.08)' },
          symbol: 'circle',
          markLine: { symbol: 'none', silent: true, data: [...thresholds, ...selectedLine] },
        },
        ...(hasTarget
          ? [{ type: 'line' as const, name: t('indicator.target'), data: points.map((p) => p.target ?? '-'), lineStyle: { type: 'dashed' as const, color: '#13a8a8', width: 2 }, itemStyle: { color: '#13a8a8' }, symbol: 'none', step: 'middle' as const }]
          : []),
      ],
    };
    chart.setOption(option, true);
  }, [chart, points, unit, warn, alarm, selected, t, lang]);

  return <div ref={setContainer} style={{ height, width: '100%' }} data-testid="indicator-trend-chart" />;
}
