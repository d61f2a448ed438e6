// SPDX-License-Identifier: Apache-2.0
// What the twin map shows: the entity type, the attribute it is coloured by, the roll-up measure, the
// layer, and an attribute filter (sent as an NGSI-LD query).
import { AppstoreOutlined, EnvironmentOutlined, FilterOutlined, HeatMapOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Segmented, Select, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import type { TwinType } from './twin-api.ts';
import { type AttributeFilter, attrLabel, FILTER_OPS, type FilterOp, filterQuery, typeLabel, unitSymbol } from './twin-format.ts';
import type { Layer } from './twin-map.tsx';

/** How a roll-up summarises the chosen attribute per region or hexagon. */
export const METRICS = ['avg', 'max', 'min', 'sum', 'count'] as const;
export type Metric = (typeof METRICS)[number];

type Props = {
  types: TwinType[];
  type: string | null;
  onType: (type: string) => void;
  attr: string | null;
  onAttr: (attr: string | null) => void;
  metric: Metric;
  onMetric: (metric: Metric) => void;
  layer: Layer;
  onLayer: (layer: Layer) => void;
  resolution: number;
  onResolution: (resolution: number) => void;
  filter: AttributeFilter | null;
  onFilter: (filter: AttributeFilter | null) => void;
};

/** The controls above the map. */
export function TwinToolbar(p: Props) {
  const { t, lang } = useI18n();
  const typeInfo = p.types.find((x) => x.type === p.type);
  const numeric = (typeInfo?.attributes ?? []).filter((a) => a.kind === 'Property' && a.numeric);
  const filterable = (typeInfo?.attributes ?? []).filter((a) => a.kind === 'Property');

  return (
    <Flex vertical gap={10} data-testid="twin-toolbar">
      <Flex gap={12} wrap align="center">
        <Select<string>
          value={p.type ?? undefined}
          onChange={p.onType}
          placeholder={t('twin.pickType')}
          style={{ width: 230 }}
          data-testid="twin-type"
          showSearch={{ optionFilterProp: 'search' }}
          options={p.types.map((ty) => ({
            value: ty.type,
            search: `${typeLabel(t, ty.type)} ${ty.type}`,
            label: (
              <Flex justify="space-between" gap={8} data-testid="twin-type-option" data-type={ty.type}>
                <span>{typeLabel(t, ty.type)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatNumber(ty.entities, lang)}
                </Typography.Text>
              </Flex>
            ),
          }))}
        />
        <Select<string>
          value={p.attr ?? undefined}
          onChange={(v) => p.onAttr(v ?? null)}
          onClear={() => p.onAttr(null)}
          allowClear
          placeholder={t('twin.pickAttr')}
          style={{ width: 210 }}
          disabled={numeric.length === 0}
          data-testid="twin-attr"
          options={numeric.map((a) => {
            const unit = unitSymbol(a.unitCode, lang);
            return {
              value: a.name,
              label: (
                <span data-testid="twin-attr-option" data-attr={a.name}>
                  {attrLabel(t, a.name)}
                  {unit ? <Typography.Text type="secondary">{` (${unit})`}</Typography.Text> : null}
                </span>
              ),
            };
          })}
        />
        {p.layer !== 'entities' && p.attr && (
          <Select<Metric>
            value={p.metric}
            onChange={p.onMetric}
            style={{ width: 110 }}
            data-testid="twin-metric"
            options={METRICS.map((m) => ({ value: m, label: t(`twin.metric.${m}`) }))}
          />
        )}
        <Segmented<Layer>
          value={p.layer}
          onChange={p.onLayer}
          data-testid="twin-layer"
          options={[
            { value: 'entities', icon: <EnvironmentOutlined />, label: <span data-testid="twin-layer-entities">{t('twin.layer.entities')}</span> },
            { value: 'regions', icon: <AppstoreOutlined />, label: <span data-testid="twin-layer-regions">{t('twin.layer.regions')}</span> },
            { value: 'h3', icon: <HeatMapOutlined />, label: <span data-testid="twin-layer-h3">{t('twin.layer.h3')}</span> },
          ]}
        />
        {p.layer === 'h3' && (
          <Tooltip title={t('twin.resolutionHint')}>
            <Select<number>
              value={p.resolution}
              onChange={p.onResolution}
              style={{ width: 130 }}
              data-testid="twin-resolution"
              options={[5, 6, 7, 8, 9, 10].map((r) => ({ value: r, label: t('twin.resolution', { resolution: r }) }))}
            />
          </Tooltip>
        )}
      </Flex>
      <FilterBar key={p.type ?? ''} attributes={filterable} filter={p.filter} onFilter={p.onFilter} />
    </Flex>
  );
}

type FilterBarProps = {
  attributes: TwinType['attributes'];
  filter: AttributeFilter | null;
  onFilter: (filter: AttributeFilter | null) => void;
};

/** Attribute, operator and value; applying it narrows the entities on the map. */
function FilterBar({ attributes, filter, onFilter }: FilterBarProps) {
  const { t } = useI18n();
  const [attr, setAttr] = useState<string | undefined>(filter?.attr);
  const [op, setOp] = useState<FilterOp>(filter?.op ?? '>');
  const [value, setValue] = useState(filter?.value ?? '');
  useEffect(() => {
    if (filter === null) setValue('');
  }, [filter]);

  const info = attributes.find((a) => a.name === attr);
  const draft: AttributeFilter | null = attr ? { attr, op, value, numeric: info?.numeric ?? false } : null;
  const query = draft ? filterQuery(draft) : null;
  const invalid = draft !== null && value.trim() !== '' && query === null;
  const apply = () => {
    if (draft && query) onFilter(draft);
  };

  return (
    <Flex gap={8} wrap align="center" data-testid="twin-filter">
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
        <FilterOutlined /> {t('twin.filter')}
      </Typography.Text>
      <Select<string>
        value={attr}
        onChange={(v) => {
          setAttr(v);
          const numeric = attributes.find((a) => a.name === v)?.numeric ?? false;
          if (!numeric && op !== '==' && op !== '!=' && op !== '~=') setOp('==');
        }}
        placeholder={t('twin.filterAttr')}
        style={{ width: 170 }}
        data-testid="twin-filter-attr"
        options={attributes.map((a) => ({ value: a.name, label: <span data-testid="twin-filter-attr-option" data-attr={a.name}>{attrLabel(t, a.name)}</span> }))}
      />
      <Select<FilterOp>
        value={op}
        onChange={setOp}
        style={{ width: 92 }}
        data-testid="twin-filter-op"
        options={FILTER_OPS.filter((o) => info?.numeric !== false || o === '==' || o === '!=' || o === '~=').map((o) => ({ value: o, label: t(`twin.op.${opKey(o)}`) }))}
      />
      <Input
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onPressEnter={apply}
        placeholder={info?.numeric ? t('twin.filterNumber') : t('twin.filterText')}
        status={invalid ? 'error' : undefined}
        style={{ width: 150 }}
        data-testid="twin-filter-value"
      />
      <Button onClick={apply} disabled={!query} data-testid="twin-filter-apply">
        {t('twin.filterApply')}
      </Button>
      {filter && (
        <Tag closable onClose={() => onFilter(null)} color="blue" data-testid="twin-filter-tag" style={{ marginInlineEnd: 0 }}>
          <span className="yz-mono">{filterQuery(filter)}</span>
        </Tag>
      )}
      {invalid && (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {t('twin.filterNotNumber')}
        </Typography.Text>
      )}
    </Flex>
  );
}

function opKey(op: FilterOp): 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'match' {
  switch (op) {
    case '==':
      return 'eq';
    case '!=':
      return 'ne';
    case '>':
      return 'gt';
    case '>=':
      return 'ge';
    case '<':
      return 'lt';
    case '<=':
      return 'le';
    default:
      return 'match';
  }
}
