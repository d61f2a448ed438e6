// SPDX-License-Identifier: Apache-2.0
// One ECharts instance per mounted container, resized with it and disposed with it. Each chart file
// registers the ECharts modules it draws with (echarts.use), so that only those are bundled.
import * as echarts from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

/** The chart on `container` (a callback-ref state), or null until it is mounted. */
export function useChart(container: HTMLElement | null): echarts.EChartsType | null {
  const [chart, setChart] = useState<echarts.EChartsType | null>(null);
  useEffect(() => {
    if (!container) return;
    const instance = echarts.init(container, undefined, { renderer: 'canvas' });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container);
    setChart(instance);
    return () => {
      observer.disconnect();
      instance.dispose();
      setChart(null);
    };
  }, [container]);
  return chart;
}

/** Calls the latest `handler` on clicks of `chart` (the handler may change on every render). */
export function useChartClick(chart: echarts.EChartsType | null, handler: (params: echarts.ECElementEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!chart) return;
    const listener = (params: echarts.ECElementEvent) => ref.current(params);
    chart.on('click', listener);
    return () => {
      chart.off('click', listener);
    };
  }, [chart]);
}

/** Escapes text for the HTML of an ECharts tooltip. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
