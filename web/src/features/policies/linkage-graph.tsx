// SPDX-License-Identifier: Apache-2.0
// The five linkages of a policy as a force-directed graph (ECharts): the policy in the centre, its clauses,
// the goals that carry them out and the indicators they are measured by, the tasks decomposed from the goals
// (grouped per organization when there are many), the organizations doing them and the resources those
// hold. Goals are filled by whether they are on target, tasks by where they stand; clicking a node opens it.
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import { LegendComponent, type LegendComponentOption, TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useState } from 'react';
import type { Linkage } from '../../../../contracts/policies.ts';
import type { Task } from '../../../../contracts/tasks.ts';
import { type Language, type Translate, useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { escapeHtml, useChart, useChartClick } from '../../lib/use-chart.ts';
import { formatIndicatorValue } from '../indicators/indicator-labels.tsx';
import { GOAL_FILL, LINK_KIND_COLORS, LINK_KIND_LIST, type LinkKind, TASK_FILL, type TaskStanding } from './policies-api.ts';

echarts.use([GraphChart, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<GraphSeriesOption | LegendComponentOption | TooltipComponentOption>;

/** More tasks than this are drawn as one node per goal and organization. */
export const TASKS_GROUPED_ABOVE = 24;

/** What a click on a node leads to. */
export type LinkTarget =
  | { kind: 'task'; id: string }
  | { kind: 'tasks'; goalId: string | null; organizationId: string }
  | { kind: 'goal'; id: string }
  | { kind: 'indicator'; code: string; regionCode: string | null }
  | { kind: 'organization'; id: string };

type GraphNode = {
  id: string;
  kind: LinkKind;
  label: string;
  /** the lines of the tooltip, as text */
  lines: string[];
  size: number;
  fill?: string;
  /** the ring of the radial start: 0 the policy, then clauses, goals, tasks, organizations, resources */
  ring: number;
  /** the node it hangs from (its angle is near its parent's) */
  parent?: string;
  target?: LinkTarget;
};

type GraphEdge = { source: string; target: string };

/** Where a task stands: done, cancelled, overdue or otherwise open. */
export function standingOf(t: Pick<Task, 'status' | 'overdue'>): TaskStanding {
  if (t.status === 'done') return 'done';
  if (t.status === 'cancelled') return 'cancelled';
  return t.overdue ? 'overdue' : 'open';
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** The nodes and edges of the five linkages. */
export function buildLinkageGraph(l: Linkage, t: Translate, lang: Language): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ids = new Set<string>();
  const add = (n: GraphNode) => {
    if (ids.has(n.id)) return;
    ids.add(n.id);
    nodes.push(n);
  };
  const link = (source: string, target: string) => {
    if (ids.has(source) && ids.has(target)) edges.push({ source, target });
  };
  const p = l.policy;
  const policyId = `policy:${p.id}`;
  add({ id: policyId, kind: 'policy', label: p.code, lines: [p.title, p.code, t(`policy.status.${p.status}`)], size: 30, ring: 0 });

  for (const c of p.clauses) {
    add({ id: `clause:${c.id}`, kind: 'clause', label: c.number, lines: [c.number, truncate(c.text, 80)], size: 26, ring: 1, parent: policyId });
    link(policyId, `clause:${c.id}`);
  }
  for (const g of l.goals) {
    const standing = g.onTarget === null ? 'none' : g.onTarget ? 'onTarget' : 'behind';
    add({
      id: `goal:${g.id}`,
      kind: 'goal',
      label: truncate(g.title, 12),
      lines: [
        g.title,
        `${g.indicatorName} · ${g.regionName ?? g.regionCode} · ${g.period}`,
        `${t('indicator.target')} ${formatIndicatorValue(g.target, g.unit, lang)} · ${t('policy.goal.current')} ${formatIndicatorValue(g.current, g.unit, lang)}`,
        t(`policy.goal.${standing}`),
        t('policy.linkage.tasksOf', { done: g.tasks.done, total: g.tasks.total, overdue: g.tasks.overdue }),
      ],
      size: 24,
      fill: GOAL_FILL[standing],
      ring: 2,
      parent: `clause:${g.clauseId}`,
      target: { kind: 'goal', id: g.id },
    });
    link(`clause:${g.clauseId}`, `goal:${g.id}`);
  }
  for (const i of l.indicators) {
    const first = l.goals.find((g) => g.indicatorCode === i.code);
    add({
      id: `indicator:${i.code}`,
      kind: 'indicator',
      label: truncate(i.name, 12),
      lines: [i.name, i.code, t('policy.linkage.indicatorGoals', { goals: i.goals, onTarget: i.onTarget, behind: i.behind })],
      size: 22,
      ring: 3,
      ...(first ? { parent: `goal:${first.id}` } : {}),
      target: { kind: 'indicator', code: i.code, regionCode: first?.regionCode ?? null },
    });
  }
  for (const g of l.goals) link(`goal:${g.id}`, `indicator:${g.indicatorCode}`);

  const orgName = new Map(l.organizations.map((o) => [o.id, o.name]));
  for (const o of l.organizations) {
    add({
      id: `org:${o.id}`,
      kind: 'organization',
      label: truncate(o.name, 12),
      lines: [o.name, t(`org.kind.${o.kind}`), t('policy.linkage.orgTasks', { tasks: o.tasks, done: o.done, overdue: o.overdue })],
      size: 28,
      fill: o.kind === 'social' ? '#eb2f96' : undefined,
      ring: 5,
      target: { kind: 'organization', id: o.id },
    });
  }

  const tasks = l.tasks.items;
  const hangFrom = (x: Task) => (x.trace?.goalId ? `goal:${x.trace.goalId}` : x.trace?.clauseId ? `clause:${x.trace.clauseId}` : policyId);
  if (tasks.length > TASKS_GROUPED_ABOVE) {
    const groups = new Map<string, Task[]>();
    for (const x of tasks) {
      const key = `${x.trace?.goalId ?? ''}|${x.organizationId}`;
      groups.set(key, [...(groups.get(key) ?? []), x]);
    }
    for (const [key, list] of groups) {
      const [first] = list as [Task];
      const counts = { done: 0, open: 0, overdue: 0, cancelled: 0 };
      for (const x of list) counts[standingOf(x)] += 1;
      const standing: TaskStanding = counts.overdue ? 'overdue' : counts.open ? 'open' : counts.done ? 'done' : 'cancelled';
      const id = `tasks:${key}`;
      const name = orgName.get(first.organizationId) ?? first.organizationName;
      add({
        id,
        kind: 'task',
        label: t('policy.tasksN', { n: list.length }),
        lines: [name, t('policy.linkage.groupTasks', { n: list.length, done: counts.done, open: counts.open, overdue: counts.overdue })],
        size: Math.min(30, 12 + 3 * Math.sqrt(list.length)),
        fill: TASK_FILL[standing],
        ring: 4,
        parent: hangFrom(first),
        target: { kind: 'tasks', goalId: first.trace?.goalId ?? null, organizationId: first.organizationId },
      });
      link(hangFrom(first), id);
      link(id, `org:${first.organizationId}`);
    }
  } else {
    const inGraph = new Set(tasks.map((x) => x.id));
    for (const x of tasks) {
      const up = x.parentId && inGraph.has(x.parentId) ? `task:${x.parentId}` : hangFrom(x);
      add({
        id: `task:${x.id}`,
        kind: 'task',
        label: truncate(x.title, 10),
        lines: [x.title, x.organizationName, `${t(`task.status.${x.status}`)}${x.overdue ? ` · ${t('task.overdue')}` : ''}`, `${t('task.deadline')} ${formatDateTime(x.deadline, lang)}`],
        size: x.parentId && inGraph.has(x.parentId) ? 12 : 16,
        fill: TASK_FILL[standingOf(x)],
        ring: 4,
        parent: up,
        target: { kind: 'task', id: x.id },
      });
    }
    // parents first, so that a child's edge finds its parent
    for (const x of tasks) link(x.parentId && inGraph.has(x.parentId) ? `task:${x.parentId}` : hangFrom(x), `task:${x.id}`);
    for (const x of tasks) link(`task:${x.id}`, `org:${x.organizationId}`);
  }

  for (const r of l.resources) {
    const id = `resource:${r.organizationId}:${r.type}`;
    add({
      id,
      kind: 'resource',
      label: `${truncate(r.typeName, 8)} ×${r.count}`,
      lines: [r.typeName, r.organizationName, t('policy.linkage.resourceCount', { count: r.count, available: r.available })],
      size: Math.min(24, 10 + 2 * Math.sqrt(r.count)),
      ring: 6,
      parent: `org:${r.organizationId}`,
    });
    link(`org:${r.organizationId}`, id);
  }
  return { nodes, edges };
}

/**
 * A radial start for the force layout: the policy in the centre, each node in a share of its parent's sector
 * one ring further out; a node without a parent in the tree (an organization) at the mean angle of the nodes
 * linking to it, one ring beyond the furthest of them.
 */
function radialStart(nodes: GraphNode[], edges: GraphEdge[]): Map<string, [number, number]> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, GraphNode[]>();
  for (const n of nodes) if (n.parent && byId.has(n.parent)) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const place = new Map<string, { angle: number; depth: number }>();
  const walk = (n: GraphNode, from: number, to: number, depth: number) => {
    place.set(n.id, { angle: (from + to) / 2, depth });
    const kids = children.get(n.id) ?? [];
    kids.forEach((k, i) => walk(k, from + ((to - from) * i) / kids.length, from + ((to - from) * (i + 1)) / kids.length, depth + 1));
  };
  const roots = nodes.filter((n) => !n.parent || !byId.has(n.parent));
  const [centre] = roots.filter((n) => n.ring === 0);
  if (centre) walk(centre, 0, 2 * Math.PI, 0);
  // the others (organizations) in ring order, each after the nodes that link to it
  for (const n of roots.filter((x) => x !== centre).sort((a, b) => a.ring - b.ring)) {
    const from = edges.filter((e) => e.target === n.id && place.has(e.source)).map((e) => place.get(e.source) as { angle: number; depth: number });
    const angle = from.length ? Math.atan2(from.reduce((s, x) => s + Math.sin(x.angle), 0), from.reduce((s, x) => s + Math.cos(x.angle), 0)) : 0;
    const depth = from.length ? Math.max(...from.map((x) => x.depth)) + 1 : n.ring;
    const width = 0.6;
    walk(n, angle - width / 2, angle + width / 2, depth);
  }
  const pos = new Map<string, [number, number]>();
  for (const n of nodes) {
    const at = place.get(n.id) ?? { angle: 0, depth: n.ring };
    pos.set(n.id, [at.depth * 80 * Math.cos(at.angle), at.depth * 80 * Math.sin(at.angle)]);
  }
  return pos;
}

type Props = {
  linkage: Linkage;
  onPick: (target: LinkTarget) => void;
  height?: number;
};

/** The graph of the five linkages, with a legend of kinds and of statuses. */
export function LinkageGraph({ linkage, onPick, height = 560 }: Props) {
  const { t, lang } = useI18n();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const chart = useChart(container);
  const graph = useMemo(() => buildLinkageGraph(linkage, t, lang), [linkage, t, lang]);

  useChartClick(chart, (params) => {
    if (params.dataType !== 'node') return;
    const item = params.data as { target?: LinkTarget } | undefined;
    if (item?.target) onPick(item.target);
  });

  useEffect(() => {
    if (!chart) return;
    // The layout works in the chart's pixels: two invisible fixed nodes at opposite corners make the view
    // box the chart's own, the radial start fills its middle, and gravity keeps the graph in it.
    const width = Math.max(320, chart.getWidth() - 16);
    const height = Math.max(240, chart.getHeight() - 44);
    const radial = radialStart(graph.nodes, graph.edges);
    const reach = Math.max(1, ...[...radial.values()].map(([x, y]) => Math.hypot(x, y)));
    const start = new Map([...radial].map(([id, [x, y]]) => [id, [width / 2 + (x / reach) * width * 0.4, height / 2 + (y / reach) * height * 0.4] as const]));
    const many = graph.nodes.length > 60;
    const frame = [
      [0, 0],
      [width, height],
    ].map(([x, y], i) => ({ id: `frame:${i}`, name: '', x, y, fixed: true, symbolSize: 0, itemStyle: { opacity: 0 }, label: { show: false }, tooltip: { show: false } }));
    const option: ChartOption = {
      tooltip: {
        confine: true,
        formatter: (p) => {
          if (Array.isArray(p) || p.dataType !== 'node') return '';
          const d = p.data as { lines?: string[]; kind?: LinkKind } | undefined;
          if (!d?.lines) return '';
          const [head, ...rest] = d.lines;
          return [`<b>${escapeHtml(head ?? '')}</b>`, ...rest.map(escapeHtml), `<span style="opacity:.6">${escapeHtml(t(`policy.linkage.kind.${d.kind ?? 'policy'}`))}</span>`].join('<br/>');
        },
      },
      legend: { top: 0, data: LINK_KIND_LIST.map((k) => t(`policy.linkage.kind.${k}`)), textStyle: { fontSize: 12 }, selectedMode: false },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          top: 36,
          bottom: 8,
          left: 8,
          right: 8,
          force: { initLayout: 'none', repulsion: many ? 80 : 240, edgeLength: many ? [26, 64] : [45, 100], gravity: 0.14, friction: 0.6, layoutAnimation: false },
          categories: LINK_KIND_LIST.map((k) => ({ name: t(`policy.linkage.kind.${k}`), itemStyle: { color: LINK_KIND_COLORS[k] } })),
          lineStyle: { color: '#b7c3d9', width: 1.1, curveness: 0.05, opacity: 0.9 },
          label: { show: true, position: 'right', fontSize: 11, color: '#374151', width: 110, overflow: 'truncate' },
          labelLayout: { hideOverlap: true },
          emphasis: { focus: 'adjacency', lineStyle: { width: 2.5 }, label: { show: true } },
          data: [...frame, ...graph.nodes.map((n) => {
            const [x, y] = start.get(n.id) ?? [width / 2, height / 2];
            return {
              id: n.id,
              name: n.label,
              kind: n.kind,
              lines: n.lines,
              target: n.target,
              x,
              y,
              fixed: n.kind === 'policy',
              category: LINK_KIND_LIST.indexOf(n.kind),
              // the policy is a plate wide enough for its number
              symbolSize: n.kind === 'policy' ? [Math.max(64, 8 * n.label.length + 16), n.size] : n.size,
              symbol: n.kind === 'goal' ? 'diamond' : n.kind === 'indicator' ? 'triangle' : n.kind === 'organization' || n.kind === 'policy' ? 'roundRect' : 'circle',
              cursor: n.target ? 'pointer' : 'default',
              itemStyle: { ...(n.fill ? { color: n.fill } : {}), borderColor: '#fff', borderWidth: 1 },
              label: n.kind === 'policy'
                ? { position: 'inside' as const, color: '#fff', fontWeight: 'bold' as const, fontSize: 11 }
                : n.kind === 'task' && n.size < 14 ? { show: false } : undefined,
            };
          })],
          links: graph.edges.map((e) => ({ source: e.source, target: e.target })),
        },
      ],
    };
    chart.setOption(option, { notMerge: true });
  }, [chart, graph, t]);

  const count = (k: LinkKind) => graph.nodes.filter((n) => n.kind === k).length;
  return (
    <div>
      <div
        ref={setContainer}
        style={{ height, width: '100%' }}
        data-testid="linkage-graph"
        data-nodes={graph.nodes.length}
        data-edges={graph.edges.length}
        data-goals={count('goal')}
        data-tasks={count('task')}
        data-organizations={count('organization')}
        data-resources={count('resource')}
      />
      <div className="yz-linkage-legend" data-testid="linkage-legend">
        <span className="yz-linkage-legend-title">{t('policy.linkage.kind.goal')}</span>
        <LegendSwatch color={GOAL_FILL.onTarget} label={t('policy.goal.onTarget')} shape="diamond" />
        <LegendSwatch color={GOAL_FILL.behind} label={t('policy.goal.behind')} shape="diamond" />
        <LegendSwatch color={GOAL_FILL.none} label={t('policy.goal.none')} shape="diamond" />
        <span className="yz-linkage-legend-title">{t('policy.linkage.kind.task')}</span>
        <LegendSwatch color={TASK_FILL.done} label={t('task.status.done')} />
        <LegendSwatch color={TASK_FILL.open} label={t('task.status.open')} />
        <LegendSwatch color={TASK_FILL.overdue} label={t('task.overdue')} />
        <span className="yz-linkage-legend-title">{t('policy.linkage.kind.organization')}</span>
        <LegendSwatch color={LINK_KIND_COLORS.organization} label={t('org.kind.government')} shape="square" />
        <LegendSwatch color="#eb2f96" label={t('org.kind.social')} shape="square" />
        <span className="yz-linkage-legend-hint">{t('policy.linkage.clickHint')}</span>
      </div>
    </div>
  );
}

function LegendSwatch({ color, label, shape = 'circle' }: { color: string; label: string; shape?: 'circle' | 'diamond' | 'square' }) {
  return (
    <span className="yz-linkage-legend-item">
      <span className={`yz-linkage-swatch yz-linkage-swatch-${shape}`} style={{ background: color }} />
      {label}
    </span>
  );
}
