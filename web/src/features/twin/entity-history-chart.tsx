// SPDX-License-Identifier: Apache-2.0
// An entity's numeric attributes over the last year (daily averages from the temporal API), with the
// values that did not change in that year (a warning level) as reference lines and the "as of" time marked.
import { Empty } from 'antd';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  type DataZoomComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { twinApi } from './twin-api.ts';
import { attrLabel, formatMeasure, isoDay } from './twin-format.ts';
import { escapeHtml, useChart } from '../../lib/use-chart.ts';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, DataZoomInsideComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<
  LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | MarkLineComponentOption | DataZoomComponentOption
>;

/** A numeric attribute to chart, with its unit symbol. */
export type ChartAttribute = { name: string; unit: string };

type Props = {
  entityId: string;
  attributes: ChartAttribute[];
  /** The "as of" time the map shows (ISO), marked on the time axis; null for now. */
  asOf: string | null;
  height?: number;
};

const COLORS = ['#1d5bd8', '#fa8c16', '#13a8a8', '#722ed1', '#eb2f96', '#52c41a'];
const DAY = 86_400_000;

/** The line chart of `attributes` over the last 365 days. */
export function EntityHistoryChart({ entityId, attributes, asOf, height = 260 }: Props) {
  const { t, lang } = useI18n();
  const attrKey = attributes.map((a) => a.name).join(',');
  // The window is fixed when the card opens, so that reloading the chart does not move it.
  const [span] = useState(() => {
    const now = new Date();
    return { from: new Date(now.getFullYear(), now.getMonth(), now.getDate() - 365).toISOString(), to: now.toISOString() };
  });
  const history = useAsync(
    (signal) => (attributes.length > 0 ? twinApi.history({ id: entityId, attrs: attrKey.split(','), from: span.from, to: span.to }, signal) : undefined),
    [entityId, attrKey, span],
  );
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);

  // Attributes with a series (two or more days) are lines; those with one value are reference lines.
  const plan = useMemo(() => {
    const data = history.data ?? {};
    const lines: Array<ChartAttribute & { points: Array<[number, number]> }> = [];
    const constants: Array<ChartAttribute & { value: number }> = [];
    for (const a of attributes) {
      const points = (data[a.name] ?? [])
        .filter((p): p is [number, string, string] => typeof p[0] === 'number')
        .map(([v, start]) => [Date.parse(start), v] as [number, number]);
      if (points.length >= 2) lines.push({ ...a, points });
      else if (points.length === 1 && points[0]) constants.push({ ...a, value: points[0][1] });
    }
    return { lines, constants };
  }, [history.data, attributes]);

  useEffect(() => {
    if (!chart || plan.lines.length === 0) return;
    // At most two value axes: the first unit on the left, a second one on the right.
    const units = [...new Set(plan.lines.map((l) => l.unit))];
    const axisOf = (unit: string) => Math.min(units.indexOf(unit), 1);
    const label = (a: ChartAttribute) => `${attrLabel(t, a.name)}${a.unit ? ` (${a.unit})` : ''}`;
    const series: LineSeriesOption[] = plan.lines.map((l, i) => {
      const refs = plan.constants.filter((c) => c.unit === l.unit && i === plan.lines.findIndex((x) => x.unit === c.unit));
      const marks: NonNullable<MarkLineComponentOption['data']> = refs.map((c) => ({
        yAxis: c.value,
        name: attrLabel(t, c.name),
        lineStyle: { color: '#f5222d', type: 'dashed' },
        label: { formatter: `${attrLabel(t, c.name)} ${formatMeasure(c.value, c.unit, lang)}`, position: 'insideEndTop', color: '#cf1322' },
      }));
      if (asOf && i === 0) {
        marks.push({
          xAxis: Date.parse(asOf),
          lineStyle: { color: '#1d5bd8', type: 'solid', width: 1.5 },
          label: { formatter: t('twin.asOf', { date: isoDay(new Date(Date.parse(asOf) - 1)) }), position: 'insideEndTop', color: '#1d5bd8' },
        });
      }
      return {
        type: 'line',
        name: label(l),
        yAxisIndex: axisOf(l.unit),
        showSymbol: l.points.length <= 40,
        smooth: false,
        lineStyle: { width: 1.6 },
        color: COLORS[i % COLORS.length],
        data: l.points,
        markLine: marks.length > 0 ? { symbol: 'none', silent: true, data: marks } : undefined,
      };
    });
    const unitOf = new Map(plan.lines.map((l) => [label(l), l.unit]));
    const refsOn = (axis: number) => plan.constants.filter((c) => units.includes(c.unit) && axisOf(c.unit) === axis).map((c) => c.value);
    const option: ChartOption = {
      grid: { left: 48, right: units.length > 1 ? 52 : 20, top: 40, bottom: 28 },
      legend: { top: 0, type: 'plain', textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (params) => {
          const list = Array.isArray(params) ? params : [params];
          const first = list[0];
          const time = first && Array.isArray(first.value) ? Number(first.value[0]) : Number.NaN;
          const head = Number.isFinite(time) ? isoDay(new Date(time)) : '';
          const rows = list.map((p) => {
            const v = Array.isArray(p.value) ? Number(p.value[1]) : Number.NaN;
            const name = p.seriesName ?? '';
            return `${String(p.marker ?? '')}${escapeHtml(name)}: <b>${escapeHtml(formatMeasure(v, unitOf.get(name) ?? '', lang))}</b>`;
          });
          return [head, ...rows].join('<br/>');
        },
      },
      xAxis: { type: 'time', min: Date.parse(span.from), max: Date.parse(span.to) + DAY / 2, axisLabel: { hideOverlap: true } },
      yAxis: units.slice(0, 2).map((u, i) => ({
        type: 'value',
        scale: true,
        // Reach the reference lines too (a warning level above every reading).
        min: (v: { min: number }) => Math.min(v.min, ...refsOn(i)),
        max: (v: { max: number }) => Math.max(v.max, ...refsOn(i)),
        position: i === 0 ? 'left' : 'right',
        name: u,
        nameTextStyle: { fontSize: 11, color: '#8a94a6' },
        splitLine: { show: i === 0 },
      })),
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
      series,
    };
    chart.setOption(option, { notMerge: true });
  }, [chart, plan, asOf, lang, t, span]);

  if (attributes.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="twin-history-none">{t('twin.historyNoNumeric')}</span>} />;
  }
  if (history.error) return <ErrorAlert error={history.error} onRetry={history.reload} />;
  if (history.loading && !history.data) return <Loading minHeight={height} />;
  if (plan.lines.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="twin-history-empty">{t('twin.historyEmpty')}</span>} />;
  }
  return <div ref={setContainer} style={{ height, width: '100%' }} data-testid="twin-history-chart" data-series={plan.lines.length} />;
}
