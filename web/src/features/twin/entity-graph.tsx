// SPDX-License-Identifier: Apache-2.0
// An entity's relationships as a force-directed graph (ECharts), with the related entities listed below it;
// clicking a node or a row opens that entity.
import { Alert, Empty, Flex, Tag, Typography } from 'antd';
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import { LegendComponent, type LegendComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Graph } from './twin-api.ts';
import { attrLabel, shortId, typeColor, typeLabel } from './twin-format.ts';
import { escapeHtml, useChart, useChartClick } from '../../lib/use-chart.ts';

echarts.use([GraphChart, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<GraphSeriesOption | LegendComponentOption | TooltipComponentOption>;

type Props = { graph: Graph; onOpen: (id: string) => void; height?: number };

const SIZE_BY_DEPTH = [30, 20, 14, 11, 9];

/** The graph of `graph` and the list of its related entities. */
export function EntityGraph({ graph, onOpen, height = 280 }: Props) {
  const { t } = useI18n();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);

  const types = useMemo(() => [...new Set(graph.nodes.map((n) => n.type))], [graph]);
  const nameOf = useMemo(() => {
    const m = new Map(graph.nodes.map((n) => [n.id, n.name ?? shortId(n.id)]));
    return (id: string) => m.get(id) ?? shortId(id);
  }, [graph]);

  useChartClick(chart, (params) => {
    if (params.dataType !== 'node') return;
    const item = params.data as { id?: unknown } | undefined;
    if (item && typeof item.id === 'string' && item.id !== graph.root) onOpen(item.id);
  });

  useEffect(() => {
    if (!chart) return;
    const option: ChartOption = {
      tooltip: {
        confine: true,
        formatter: (p) => {
          if (Array.isArray(p)) return '';
          const d = p.data as { id?: string; source?: string; target?: string; relationship?: string; type?: string } | undefined;
          if (!d) return '';
          if (p.dataType === 'edge' && d.source && d.target) {
            return `${escapeHtml(nameOf(d.source))} → ${escapeHtml(nameOf(d.target))}<br/><b>${escapeHtml(attrLabel(t, d.relationship ?? ''))}</b>`;
          }
          return d.id ? `<b>${escapeHtml(nameOf(d.id))}</b><br/>${escapeHtml(typeLabel(t, d.type ?? ''))}<br/><span style="opacity:.6">${escapeHtml(d.id)}</span>` : '';
        },
      },
      legend: { top: 0, data: types.map((ty) => typeLabel(t, ty)), textStyle: { fontSize: 12 } },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          top: 32,
          force: { repulsion: graph.nodes.length > 30 ? 90 : 260, edgeLength: graph.nodes.length > 30 ? 40 : [80, 130], gravity: 0.06 },
          categories: types.map((ty) => ({ name: typeLabel(t, ty), itemStyle: { color: typeColor(ty) } })),
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 7,
          lineStyle: { color: '#9db0cf', width: 1.2, curveness: 0.08 },
          label: { show: graph.nodes.length <= 30, position: 'right', fontSize: 11, formatter: (p) => nameOf(String((p.data as { id?: string } | undefined)?.id ?? '')) },
          edgeLabel: {
            show: graph.edges.length <= 6,
            fontSize: 10,
            color: '#8a94a6',
            formatter: (p) => attrLabel(t, String((p.data as { relationship?: string } | undefined)?.relationship ?? '')),
          },
          emphasis: { focus: 'adjacency', lineStyle: { width: 2.5 } },
          data: graph.nodes.map((n) => ({
            id: n.id,
            name: n.id,
            type: n.type,
            category: types.indexOf(n.type),
            symbolSize: SIZE_BY_DEPTH[Math.min(n.depth, SIZE_BY_DEPTH.length - 1)],
            itemStyle: n.id === graph.root ? { borderColor: '#111827', borderWidth: 2 } : undefined,
          })),
          links: graph.edges.map((e) => ({ source: e.source, target: e.target, relationship: e.relationship })),
        },
      ],
    };
    chart.setOption(option, { notMerge: true });
  }, [chart, graph, types, nameOf, t]);

  const related = graph.nodes.filter((n) => n.id !== graph.root);
  if (related.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="twin-graph-empty">{t('twin.graphEmpty')}</span>} />;
  }
  // How each related entity is reached: the relationship of an edge that touches it.
  const via = (id: string) => {
    const e = graph.edges.find((x) => x.source === id || x.target === id);
    if (!e) return '';
    return e.target === id ? `${attrLabel(t, e.relationship)} →` : `← ${attrLabel(t, e.relationship)}`;
  };
  return (
    <div>
      {graph.truncated && <Alert type="warning" showIcon className="yz-mb-8" title={t('twin.graphTruncated')} />}
      <div ref={setContainer} style={{ height, width: '100%' }} data-testid="twin-graph" data-nodes={graph.nodes.length} data-edges={graph.edges.length} />
      <Flex vertical gap={2} style={{ marginTop: 8 }} data-testid="twin-graph-list">
        {related.map((n) => (
          <button type="button" key={n.id} className="yz-search-item" data-testid="twin-graph-item" data-id={n.id} onClick={() => onOpen(n.id)}>
            <span className="yz-search-item-name">
              <Tag color="blue" variant="filled" style={{ marginInlineEnd: 6 }}>
                {typeLabel(t, n.type)}
              </Tag>
              {n.name ?? shortId(n.id)}
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {via(n.id)}
              {n.depth > 1 ? ` · ${t('twin.hopsAway', { hops: n.depth })}` : ''}
            </Typography.Text>
          </button>
        ))}
      </Flex>
    </div>
  );
}
