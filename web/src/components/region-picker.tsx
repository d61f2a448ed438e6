// SPDX-License-Identifier: Apache-2.0
// Picks a region by typing part of its name (the server searches only within the user's scope).
import { Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Region } from '../../../contracts/regions.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { api, type Page } from '../lib/api.ts';
import { LEVEL_COLORS } from '../lib/domain.ts';
import { useAsync, useDebounced } from '../lib/use-async.ts';

type Props = {
  value?: string | null;
  onChange?: (code: string | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'data-testid'?: string;
  id?: string;
};

/** A searchable select of regions; its value is a region code (null when cleared). */
export function RegionPicker({ value, onChange, placeholder, allowClear = true, style, id, ...rest }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 250);
  const [known, setKnown] = useState<Record<string, Region>>({});

  const search = useAsync((signal) => api.get<Page<Region>>('/api/regions', { q: q || undefined, limit: 20 }, signal), [q]);

  // A value set from outside (an edit form) is shown by name once it is looked up.
  const selected = useAsync(
    (signal) => (value && !known[value] ? api.get<Region>(`/api/regions/${encodeURIComponent(value)}`, undefined, signal) : undefined),
    [value],
  );

  useEffect(() => {
    const found = [...(search.data?.items ?? []), ...(selected.data ? [selected.data] : [])];
    if (found.length === 0) return;
    setKnown((k) => {
      const next = { ...k };
      for (const r of found) next[r.code] = r;
      return next;
    });
  }, [search.data, selected.data]);

  const options = useMemo(() => {
    const items = search.data?.items ?? [];
    const list = value && known[value] && !items.some((r) => r.code === value) ? [known[value], ...items] : items;
    return list.map((r) => ({
      value: r.code,
      label: (
        <Space size={6} data-testid="region-option" data-code={r.code}>
          <span>{r.name}</span>
          <Tag color={LEVEL_COLORS[r.level]} style={{ marginInlineEnd: 0 }}>
            {t(`level.${r.level}`)}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.code}
          </Typography.Text>
        </Space>
      ),
    }));
  }, [search.data, known, value, t]);

  return (
    <Select<string>
      id={id}
      data-testid={rest['data-testid']}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      value={value ?? undefined}
      onChange={(code) => onChange?.(code ?? null)}
      onClear={() => onChange?.(null)}
      allowClear={allowClear}
      placeholder={placeholder ?? t('region.pickerPlaceholder')}
      loading={search.loading}
      options={options}
      notFoundContent={search.loading ? t('common.loading') : t('region.searchEmpty')}
      style={style}
      popupMatchSelectWidth={false}
    />
  );
}
