// SPDX-License-Identifier: Apache-2.0
// The response-time histogram of each variant side by side: incidents per band of minutes until the last
// unit requested was on scene.
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption, LegendComponent, type LegendComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useState } from 'react';
import type { VariantResult } from '../../../../contracts/dispatch-simulation.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useChart } from '../../lib/use-chart.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export function ResponseChart({ variants }: { variants: VariantResult[] }) {
  const { t } = useI18n();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);
  useEffect(() => {
    if (!chart) return;
    const buckets = variants[0]?.histogram ?? [];
    const option: ChartOption = {
      grid: { left: 48, right: 16, top: 36, bottom: 36 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', name: t('sim.minutes'), nameLocation: 'middle', nameGap: 24, data: buckets.map((b) => (b.toMinutes === null ? `≥${b.fromMinutes}` : `${b.fromMinutes}–${b.toMinutes}`)) },
      yAxis: { type: 'value', name: t('sim.incidents'), minInterval: 1 },
      series: variants.map((v) => ({ type: 'bar', name: v.name, data: v.histogram.map((b) => b.count) })),
    };
    chart.setOption(option, true);
  }, [chart, variants, t]);
  return <div ref={setContainer} style={{ height: 260 }} data-testid="sim-chart" />;
}
