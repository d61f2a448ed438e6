// SPDX-License-Identifier: Apache-2.0
// Finds regions by part of their name, within what the user may see.
import { Empty, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { LEVEL_COLORS } from '../../lib/domain.ts';
import { useAsync } from '../../lib/use-async.ts';
import { regionsApi } from './regions-api.ts';

type Props = { query: string; height: number; onSelect: (code: string) => void };

/** Results of searching `query` (already debounced by the caller). */
export function RegionSearchResults({ query, height, onSelect }: Props) {
  const { t, lang } = useI18n();
  const result = useAsync((signal) => regionsApi.search(query, signal), [query]);

  if (result.error) return <ErrorAlert error={result.error} onRetry={result.reload} />;
  if (result.loading || !result.data) return <Loading minHeight={160} />;
  if (result.data.items.length === 0) {
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={<span data-testid="region-search-empty">{t('region.searchEmpty')}</span>}
      />
    );
  }
  return (
    <div data-testid="region-search-results">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('region.searchResults', { total: result.data.total })}
      </Typography.Text>
      <div style={{ maxHeight: height, overflow: 'auto', marginTop: 4 }}>
        {result.data.items.map((r) => (
          <button
            type="button"
            key={r.code}
            className="yz-search-item"
            data-testid="region-search-result"
            data-code={r.code}
            onClick={() => onSelect(r.code)}
          >
            <span className="yz-search-item-name">
              {lang === 'en' && r.nameEn ? r.nameEn : r.name}
              <Tag color={LEVEL_COLORS[r.level]} variant="filled" style={{ marginInlineStart: 6 }}>
                {t(`level.${r.level}`)}
              </Tag>
            </span>
            <span className="yz-search-item-code">{r.code}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
