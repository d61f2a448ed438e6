// SPDX-License-Identifier: Apache-2.0
// Beside the map, the same layer as a list: the entities (click to open the card), the regions ranked by
// the roll-up (click to drill down), or the hexagons ranked.
import { RightOutlined } from '@ant-design/icons';
import { Empty, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { MapLayerData } from './twin-map.tsx';

/** A region of the base map with its display name. */
export type NamedRegion = { code: string; name: string };

type Props = {
  data: MapLayerData;
  regions: NamedRegion[];
  format: (value: number) => string;
  /** How many entities a hexagon holds, when its value is not that count. */
  countLabel?: (count: number) => string;
  /** Says that only the first `limit` rows are listed. */
  moreText: (limit: number) => string;
  /** Shown when the layer has nothing to list. */
  empty: ReactNode;
  height: number;
  drillable: boolean;
  onEntity: (id: string) => void;
  onRegion: (code: string) => void;
};

/** Rows listed at most; the map draws all. */
const LIST_LIMIT = 500;

const byValue = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : b - a);

/** The list of what the map shows. */
export function TwinSidePanel({ data, regions, format, countLabel, moreText, empty, height, drillable, onEntity, onRegion }: Props) {
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  let body: ReactNode;
  if (data.layer === 'entities') {
    const items = [...data.points].sort((a, b) => (data.colorByValue ? byValue(a.value, b.value) : 0) || a.name.localeCompare(b.name));
    body =
      items.length === 0
        ? empty
        : items.slice(0, LIST_LIMIT).map((p) => (
            <button type="button" key={p.id} className="yz-search-item" data-testid="twin-entity-item" data-id={p.id} onClick={() => onEntity(p.id)}>
              <span className="yz-search-item-name yz-twin-item-name">{p.name}</span>
              {data.colorByValue && <span className="yz-twin-item-value">{p.value === null ? dash : format(p.value)}</span>}
            </button>
          ));
  } else if (data.layer === 'regions') {
    const rows = regions.map((r) => ({ ...r, v: data.values.get(r.code) ?? null })).sort((a, b) => byValue(a.v?.value ?? null, b.v?.value ?? null) || a.code.localeCompare(b.code));
    body =
      data.values.size === 0
        ? empty
        : rows.map((r) => (
            <button
              type="button"
              key={r.code}
              className="yz-search-item"
              data-testid="twin-region-item"
              data-code={r.code}
              disabled={!drillable}
              style={drillable ? undefined : { cursor: 'default' }}
              onClick={() => onRegion(r.code)}
            >
              <span className="yz-search-item-name yz-twin-item-name">{r.name}</span>
              <Flex align="center" gap={6}>
                <span className="yz-twin-item-value">{r.v && r.v.value !== null ? format(r.v.value) : dash}</span>
                {drillable && <RightOutlined style={{ fontSize: 10, color: '#8a94a6' }} />}
              </Flex>
            </button>
          ));
  } else {
    const cells = [...data.cells].sort((a, b) => byValue(a.value, b.value)).slice(0, 200);
    body =
      cells.length === 0
        ? empty
        : cells.map((c) => (
            <div key={c.cell} className="yz-search-item" data-testid="twin-hex-item" data-cell={c.cell} style={{ cursor: 'default' }}>
              <Flex vertical style={{ minWidth: 0 }}>
                <span className="yz-search-item-code">{c.cell}</span>
                {countLabel && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{countLabel(c.count)}</Typography.Text>}
              </Flex>
              <span className="yz-twin-item-value">{c.value === null ? dash : format(c.value)}</span>
            </div>
          ));
  }
  const more = data.layer === 'entities' && data.points.length > LIST_LIMIT;
  return (
    <div style={{ height, overflow: 'auto' }} data-testid="twin-side-list">
      {Array.isArray(body) && body.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : body}
      {more && (
        <Typography.Text type="secondary" style={{ display: 'block', padding: 8, fontSize: 12 }}>
          {moreText(LIST_LIMIT)}
        </Typography.Text>
      )}
    </div>
  );
}
