// SPDX-License-Identifier: Apache-2.0
// The entity card: what an entity is and where, its attributes with units and observation times, its
// history over the last year and the entities it is related to.
import { AimOutlined, ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Drawer, Flex, Segmented, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import type { Region } from '../../../../contracts/regions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { api, type Items } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EntityGraph } from './entity-graph.tsx';
import { type ChartAttribute, EntityHistoryChart } from './entity-history-chart.tsx';
import { type AttributeInstance, instancesOf, type NormalizedEntity, twinApi } from './twin-api.ts';
import { attrLabel, formatValue, pointOf, shortId, typeLabel, unitSymbol } from './twin-format.ts';

type Props = {
  /** The entity shown, or null when the card is closed. */
  id: string | null;
  /** Whether there is an entity to go back to (the card was opened from another's relationships). */
  canGoBack: boolean;
  asOf: string | null;
  onOpen: (id: string) => void;
  onBack: () => void;
  onClose: () => void;
  /** Shows the region the entity lies in on the map. */
  onLocate: (regionCode: string) => void;
};

type AttributeRow = { key: string; name: string; instance: AttributeInstance };

/** The card as a drawer on the right; the map stays usable beside it. */
export function EntityCard({ id, canGoBack, asOf, onOpen, onBack, onClose, onLocate }: Props) {
  const { t } = useI18n();
  const entity = useAsync((signal) => (id ? twinApi.entity(id, signal) : undefined), [id]);
  const current = entity.data && entity.data.id === id ? entity.data : undefined;
  const name = current ? nameOf(current) : null;

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={620}
      mask={false}
      destroyOnHidden
      data-testid="twin-card"
      title={
        <Flex align="center" gap={8} style={{ minWidth: 0 }}>
          {canGoBack && <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('twin.back')} data-testid="twin-card-back" />}
          <span data-testid="twin-card-name" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {name ?? (id ? shortId(id) : '')}
          </span>
          {current && (
            <Tag color="blue" variant="filled" style={{ marginInlineEnd: 0 }}>
              {typeLabel(t, current.type)}
            </Tag>
          )}
        </Flex>
      }
    >
      {entity.error ? (
        <ErrorAlert error={entity.error} onRetry={entity.reload} />
      ) : !current ? (
        <Loading />
      ) : (
        <EntityDetails entity={current} asOf={asOf} onOpen={onOpen} onLocate={onLocate} />
      )}
    </Drawer>
  );
}

function nameOf(e: NormalizedEntity): string | null {
  const v = instancesOf(e.name)[0]?.value;
  return typeof v === 'string' ? v : null;
}

function EntityDetails({ entity, asOf, onOpen, onLocate }: { entity: NormalizedEntity; asOf: string | null; onOpen: (id: string) => void; onLocate: (code: string) => void }) {
  const { t, lang } = useI18n();
  const [hops, setHops] = useState(1);
  const graph = useAsync((signal) => twinApi.graph(entity.id, hops, signal), [entity.id, hops]);
  // The entity's own node in the graph carries the region it belongs to.
  const regionCode = graph.data?.nodes.find((n) => n.id === entity.id)?.regionCode ?? null;
  // Related entities by name, as the graph knows them (a relationship's target is one hop away).
  const targetName = useCallback((id: string) => graph.data?.nodes.find((n) => n.id === id)?.name ?? null, [graph.data]);
  const path = useAsync(
    (signal) => (regionCode ? api.get<Items<Region>>(`/api/regions/${encodeURIComponent(regionCode)}/ancestors`, undefined, signal) : undefined),
    [regionCode],
  );

  const rows = useMemo<AttributeRow[]>(() => {
    const out: AttributeRow[] = [];
    for (const [name, value] of Object.entries(entity)) {
      if (name === 'id' || name === 'type') continue;
      instancesOf(value).forEach((instance, i) => out.push({ key: `${name}#${i}`, name, instance }));
    }
    // Name first, then the rest by name; the location last.
    const rank = (r: AttributeRow) => (r.name === 'name' ? 0 : r.instance.type === 'GeoProperty' ? 2 : 1);
    return out.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }, [entity]);

  const numeric = useMemo<ChartAttribute[]>(
    () =>
      rows
        .filter((r) => r.instance.type === 'Property' && typeof r.instance.value === 'number')
        .filter((r, i, all) => all.findIndex((x) => x.name === r.name) === i)
        .map((r) => ({ name: r.name, unit: unitSymbol(r.instance.unitCode, lang) })),
    [rows, lang],
  );

  const location = pointOf(rows.find((r) => r.instance.type === 'GeoProperty')?.instance.value);

  const regionChain = useMemo(() => {
    const chain = [...(path.data?.items ?? [])];
    // The API may or may not end the chain with the region itself.
    return chain.filter((r, i) => chain.findIndex((x) => x.code === r.code) === i);
  }, [path.data]);
  const regionText = regionChain.length > 0 ? regionChain.slice(-4).map((r) => (lang === 'en' && r.nameEn ? r.nameEn : r.name)).join(' / ') : regionCode;
  // The township the entity lies in: its villages are the map's subdivisions there.
  const township = regionCode && regionCode.length >= 9 ? regionCode.slice(0, 9).padEnd(12, '0') : null;

  const columns: TableColumnsType<AttributeRow> = [
    {
      title: t('twin.attribute'),
      dataIndex: 'name',
      width: 150,
      render: (n: string, r) => (
        <Flex vertical data-testid="twin-card-attr" data-attr={n}>
          <span>{attrLabel(t, n)}</span>
          <Typography.Text type="secondary" className="yz-mono" style={{ fontSize: 11 }}>
            {n}
            {r.instance.datasetId ? ` · ${shortId(r.instance.datasetId)}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('twin.value'),
      key: 'value',
      render: (_: unknown, r) => <AttributeValue name={r.name} instance={r.instance} onOpen={onOpen} targetName={targetName} />,
    },
    {
      title: t('twin.observedAt'),
      key: 'observedAt',
      width: 170,
      render: (_: unknown, r) =>
        r.instance.observedAt ? <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.instance.observedAt, lang)}</span> : <Typography.Text type="secondary">—</Typography.Text>,
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Descriptions
        size="small"
        column={1}
        data-testid="twin-card-facts"
        items={[
          {
            key: 'id',
            label: t('twin.entityId'),
            children: (
              <Typography.Text copyable className="yz-mono" style={{ fontSize: 12 }} data-testid="twin-card-id">
                {entity.id}
              </Typography.Text>
            ),
          },
          {
            key: 'region',
            label: t('twin.region'),
            children: graph.error ? (
              t('common.none')
            ) : (
              <Flex align="center" gap={8} wrap>
                <span data-testid="twin-card-region" data-code={regionCode ?? ''}>
                  {regionText ?? t('common.loading')}
                </span>
                {township && (
                  <Button size="small" type="link" icon={<AimOutlined />} onClick={() => onLocate(township)} data-testid="twin-card-locate" style={{ padding: 0 }}>
                    {t('twin.locate')}
                  </Button>
                )}
              </Flex>
            ),
          },
          ...(location ? [{ key: 'location', label: t('twin.attr.location'), children: <span className="yz-mono">{`${location[0].toFixed(5)}, ${location[1].toFixed(5)}`}</span> }] : []),
        ]}
      />
      <Card size="small" title={t('twin.attributes')} styles={{ body: { padding: 0 } }}>
        <Table<AttributeRow> size="small" rowKey="key" columns={columns} dataSource={rows} pagination={false} data-testid="twin-card-attrs" />
      </Card>
      <Card size="small" title={t('twin.history')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('twin.historyHint')}</Typography.Text>}>
        <EntityHistoryChart entityId={entity.id} attributes={numeric} asOf={asOf} />
      </Card>
      <Card
        size="small"
        title={t('twin.relationships')}
        extra={
          <Segmented<number>
            size="small"
            value={hops}
            onChange={setHops}
            data-testid="twin-graph-hops"
            options={[1, 2, 3].map((h) => ({ value: h, label: t('twin.hops', { hops: h }) }))}
          />
        }
      >
        {graph.error ? (
          <ErrorAlert error={graph.error} onRetry={graph.reload} />
        ) : !graph.data || graph.loading ? (
          <Loading minHeight={200} />
        ) : (
          <EntityGraph graph={graph.data} onOpen={onOpen} />
        )}
      </Card>
    </Flex>
  );
}

/** One attribute instance's value: a measure with its unit, a link to a related entity, a place. */
function AttributeValue({ name, instance, onOpen, targetName }: { name: string; instance: AttributeInstance; onOpen: (id: string) => void; targetName: (id: string) => string | null }) {
  const { t, lang } = useI18n();
  if (instance.type === 'Relationship' && instance.object) {
    const target = instance.object;
    const label = targetName(target);
    return (
      <Tooltip title={target}>
        <Button type="link" size="small" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => onOpen(target)} data-testid="twin-card-link">
          {label ?? (
            <span className="yz-mono" style={{ fontSize: 12 }}>
              {target}
            </span>
          )}
        </Button>
      </Tooltip>
    );
  }
  if (instance.type === 'GeoProperty') {
    const g = instance.value as { type?: string } | undefined;
    const p = pointOf(instance.value);
    return <span className="yz-mono">{p ? `${g?.type ?? ''} (${p[0].toFixed(5)}, ${p[1].toFixed(5)})` : (g?.type ?? '—')}</span>;
  }
  if (instance.type === 'LanguageProperty' && instance.languageMap) {
    const map = instance.languageMap;
    return <span>{map[lang] ?? map[lang.slice(0, 2)] ?? Object.values(map)[0] ?? '—'}</span>;
  }
  const unit = unitSymbol(instance.unitCode, lang);
  return <span data-testid="twin-card-value">{formatValue(t, instance.value, unit, lang, name)}</span>;
}
