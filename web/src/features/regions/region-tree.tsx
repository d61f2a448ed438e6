// SPDX-License-Identifier: Apache-2.0
// The region hierarchy as a tree whose branches load when opened (a county has hundreds of villages).
import { Empty, Tag, Tree, type TreeDataNode } from 'antd';
import { type ComponentRef, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Region } from '../../../../contracts/regions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { LEVEL_COLORS } from '../../lib/domain.ts';
import { regionsApi } from './regions-api.ts';

type Props = {
  roots: readonly Region[];
  selectedCode: string | null;
  /** Codes from the top of the hierarchy down to the selected region's parent. */
  ancestorCodes: readonly string[];
  height: number;
  onSelect: (code: string) => void;
};

/** A lazily loaded tree of regions that follows the selection (opening the path to it). */
export function RegionTree({ roots, selectedCode, ancestorCodes, height, onSelect }: Props) {
  const { t, lang } = useI18n();
  const [childrenOf, setChildrenOf] = useState<Record<string, Region[]>>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const loading = useRef(new Map<string, Promise<Region[]>>());
  const known = useRef(childrenOf);
  known.current = childrenOf;
  const treeRef = useRef<ComponentRef<typeof Tree>>(null);

  const loadChildren = useCallback(async (code: string): Promise<Region[]> => {
    const have = known.current[code];
    if (have) return have;
    let pending = loading.current.get(code);
    if (!pending) {
      pending = regionsApi.children(code).then((r) => r.items);
      loading.current.set(code, pending);
    }
    try {
      const items = await pending;
      setChildrenOf((c) => ({ ...c, [code]: items }));
      return items;
    } catch (err) {
      setError(err);
      throw err;
    } finally {
      loading.current.delete(code);
    }
  }, []);

  // Follow the selection: load and open every level from the visible root down to the selected region.
  const pathKey = `${ancestorCodes.join('/')}|${selectedCode ?? ''}`;
  useEffect(() => {
    if (!selectedCode) return;
    const rootCodes = new Set(roots.map((r) => r.code));
    const chain = [...ancestorCodes, selectedCode];
    const start = chain.findIndex((c) => rootCodes.has(c));
    if (start < 0) return;
    const path = chain.slice(start);
    let cancelled = false;
    (async () => {
      const opened: string[] = [];
      for (const code of path) {
        const region = code === path[0] ? roots.find((r) => r.code === code) : undefined;
        if (region && region.childCount === 0) break;
        try {
          const kids = await loadChildren(code);
          if (kids.length === 0) break;
          opened.push(code);
        } catch {
          break;
        }
      }
      if (cancelled) return;
      setExpanded((e) => [...new Set([...e, ...opened])]);
      // Let the new rows render before scrolling to the selected one.
      requestAnimationFrame(() => treeRef.current?.scrollTo({ key: selectedCode, align: 'auto' }));
    })();
    return () => {
      cancelled = true;
    };
    // pathKey stands for ancestorCodes + selectedCode (arrays are new on each render).
  }, [pathKey, roots, loadChildren]);

  const treeData = useMemo(() => {
    const build = (regions: readonly Region[]): TreeDataNode[] =>
      regions.map((r) => {
        const kids = childrenOf[r.code];
        const label = lang === 'en' && r.nameEn ? r.nameEn : r.name;
        return {
          key: r.code,
          isLeaf: r.childCount === 0 || r.level === 'grid' || (kids !== undefined && kids.length === 0),
          children: kids && kids.length > 0 ? build(kids) : undefined,
          title: (
            <span data-testid="region-tree-node" data-code={r.code} className="yz-tree-node">
              <span className="yz-tree-name">{label}</span>
              <Tag color={LEVEL_COLORS[r.level]} variant="filled" className="yz-tree-level">
                {t(`level.${r.level}`)}
              </Tag>
            </span>
          ),
        };
      });
    return build(roots);
  }, [roots, childrenOf, lang, t]);

  if (roots.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('region.treeEmpty')} />;

  return (
    <div data-testid="region-tree">
      {error !== undefined && <ErrorAlert error={error} onRetry={() => setError(undefined)} className="yz-mb-8" />}
      <Tree
        ref={treeRef}
        blockNode
        showLine={{ showLeafIcon: false }}
        height={height > 0 ? height : 480}
        treeData={treeData}
        expandedKeys={expanded}
        selectedKeys={selectedCode ? [selectedCode] : []}
        onExpand={(keys) => setExpanded(keys.map(String))}
        onSelect={(keys, info) => {
          // Clicking the selected node again would deselect it; keep a selection at all times.
          const code = keys[0] === undefined ? String(info.node.key) : String(keys[0]);
          onSelect(code);
        }}
        loadData={async (node) => {
          // A failure is shown above the tree; the node stays closed and can be opened again.
          await loadChildren(String(node.key)).catch(() => undefined);
        }}
      />
    </div>
  );
}
