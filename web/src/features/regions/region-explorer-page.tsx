// SPDX-License-Identifier: Apache-2.0
// 区划浏览: the tree of regions the user may see, a map of the selected region's subdivisions, and its facts.
import { Breadcrumb, Card, Col, Empty, Flex, Input, Row, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Region } from '../../../../contracts/regions.ts';
import { navigate } from '../../app/router.ts';
import type { PageProps } from '../../app/routes.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { childLevelOf, LEVEL_COLORS } from '../../lib/domain.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { useViewportHeight } from '../../lib/use-viewport-height.ts';
import { RegionDetails } from './region-details.tsx';
import { RegionMap } from './region-map.tsx';
import { RegionSearchResults } from './region-search.tsx';
import { RegionTree } from './region-tree.tsx';
import { regionsApi } from './regions-api.ts';

/** What the map shows for a selection: its subdivisions, or (for a leaf) its siblings with it outlined. */
type MapView = { code: string; level: Region['level']; highlight: string | null; parentName: string | null } | null;

export default function RegionExplorerPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const viewport = useViewportHeight();
  // Fill the screen below the header: the tree beside the map, the details under it.
  const panelHeight = Math.max(480, viewport - 96);
  const treeHeight = panelHeight - 110;
  const mapHeight = Math.max(360, panelHeight - 240);

  const roots = useAsync((signal) => regionsApi.roots(signal), []);
  const rootItems = roots.data?.items;
  const selectedCode = params[0] ?? null;

  // Without a selection, start at the first region the user may see.
  useEffect(() => {
    const first = rootItems?.[0];
    if (!selectedCode && first) navigate(`/regions/${first.code}`, true);
  }, [selectedCode, rootItems]);

  const select = useCallback((code: string) => navigate(`/regions/${code}`), []);

  const selected = useAsync((signal) => (selectedCode ? regionsApi.get(selectedCode, signal) : undefined), [selectedCode]);
  const ancestors = useAsync(
    (signal) => (selectedCode ? regionsApi.ancestors(selectedCode, signal).then((r) => ({ code: selectedCode, items: r.items })) : undefined),
    [selectedCode],
  );
  // While the next selection's chain loads, the previous one no longer applies.
  const ancestorsLoaded = ancestors.data !== undefined && ancestors.data.code === selectedCode;

  // The chain from the top of the hierarchy to the selection's parent (the API may or may not include the region itself).
  const ancestorRegions = useMemo(
    () => (ancestors.data && ancestors.data.code === selectedCode ? ancestors.data.items.filter((r) => r.code !== selectedCode) : []),
    [ancestors.data, selectedCode],
  );
  const ancestorCodes = useMemo(() => ancestorRegions.map((r) => r.code), [ancestorRegions]);

  // Regions above the user's roots are shown in the breadcrumb but cannot be opened.
  const visibleFrom = useMemo(() => {
    const rootCodes = new Set((rootItems ?? []).map((r) => r.code));
    const i = ancestorRegions.findIndex((r) => rootCodes.has(r.code));
    return i < 0 ? ancestorRegions.length : i;
  }, [ancestorRegions, rootItems]);

  const region = selected.data && selected.data.code === selectedCode ? selected.data : undefined;
  const nameOf = useCallback((r: Region) => (lang === 'en' && r.nameEn ? r.nameEn : r.name), [lang]);

  const mapView: MapView | 'pending' = useMemo(() => {
    if (!region) return null;
    const childLevel = childLevelOf(region.level);
    if (childLevel && region.childCount !== 0) return { code: region.code, level: childLevel, highlight: null, parentName: null };
    // A region without subdivisions is shown among its siblings, on its parent's map.
    if (!ancestorsLoaded) return ancestors.error ? null : 'pending';
    const parent = ancestorRegions[ancestorRegions.length - 1];
    if (parent && ancestorRegions.length - 1 >= visibleFrom) {
      return { code: parent.code, level: region.level, highlight: region.code, parentName: nameOf(parent) };
    }
    return null;
  }, [region, ancestorsLoaded, ancestors.error, ancestorRegions, visibleFrom, nameOf]);

  const [searchText, setSearchText] = useState('');
  const query = useDebounced(searchText.trim(), 300);

  const breadcrumb = [
    ...ancestorRegions.map((r, i) =>
      i >= visibleFrom
        ? { key: r.code, title: <a onClick={() => select(r.code)}>{nameOf(r)}</a> }
        : { key: r.code, title: <Typography.Text type="secondary">{nameOf(r)}</Typography.Text> },
    ),
    ...(region ? [{ key: region.code, title: <b>{nameOf(region)}</b> }] : []),
  ];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8} xxl={6}>
        <Card
          title={t('region.title')}
          size="small"
          style={{ minHeight: panelHeight }}
          styles={{ body: { padding: 12 } }}
        >
          <Input.Search
            allowClear
            placeholder={t('region.searchPlaceholder')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onSearch={(v) => setSearchText(v)}
            data-testid="region-search"
            style={{ marginBottom: 12 }}
          />
          {query ? (
            <RegionSearchResults
              query={query}
              height={treeHeight - 24}
              onSelect={(code) => {
                setSearchText('');
                select(code);
              }}
            />
          ) : roots.error ? (
            <ErrorAlert error={roots.error} onRetry={roots.reload} />
          ) : !rootItems ? (
            <Loading />
          ) : (
            <RegionTree
              roots={rootItems}
              selectedCode={selectedCode}
              ancestorCodes={ancestorCodes}
              height={treeHeight}
              onSelect={select}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={16} xxl={18}>
        <Flex vertical gap={16}>
          <Card
            size="small"
            title={
              <Breadcrumb data-testid="region-breadcrumb" items={breadcrumb.length > 0 ? breadcrumb : [{ key: 'none', title: t('region.title') }]} />
            }
            extra={
              mapView && mapView !== 'pending' && region ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {mapView.highlight
                    ? t('region.mapSiblings', { name: nameOf(region), parent: mapView.parentName ?? '' })
                    : t('region.mapOf', { name: nameOf(region) })}
                </Typography.Text>
              ) : null
            }
            styles={{ body: { padding: 0 } }}
          >
            {!selectedCode && rootItems && rootItems.length === 0 ? (
              <Empty style={{ padding: 48 }} description={t('region.treeEmpty')} />
            ) : selected.error ? (
              <div style={{ padding: 16 }}>
                <ErrorAlert error={selected.error} onRetry={selected.reload} />
              </div>
            ) : !region || mapView === 'pending' ? (
              <Loading minHeight={mapHeight} />
            ) : mapView ? (
              <RegionMap code={mapView.code} level={mapView.level} highlightCode={mapView.highlight} height={mapHeight} onSelect={select} />
            ) : (
              <Flex align="center" justify="center" style={{ height: mapHeight }}>
                <Empty description={t('region.mapNoBoundary')} />
              </Flex>
            )}
          </Card>
          <Card
            size="small"
            title={
              <Flex gap={8} align="center">
                <span>{t('region.details')}</span>
                {region && (
                  <Tag color={LEVEL_COLORS[region.level]} variant="filled">
                    {t(`level.${region.level}`)}
                  </Tag>
                )}
              </Flex>
            }
          >
            {region ? <RegionDetails region={region} /> : selected.loading ? <Loading minHeight={80} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('region.selectHint')} />}
          </Card>
        </Flex>
      </Col>
    </Row>
  );
}
