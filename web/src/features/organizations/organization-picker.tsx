// SPDX-License-Identifier: Apache-2.0
// Picks an organization by typing part of its name.
import { Select, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Organization } from '../../../../contracts/identity.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { organizationsApi } from './organizations-api.ts';

type Props = {
  value?: string | null;
  onChange?: (id: string | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  'data-testid'?: string;
};

/** A searchable select of organizations; its value is an organization id. */
export function OrganizationPicker({ value, onChange, placeholder, allowClear = true, style, id, ...rest }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 250);
  const [known, setKnown] = useState<Record<string, Organization>>({});
  const search = useAsync((signal) => organizationsApi.list({ q: q || undefined }, 30, 0, signal), [q]);
  const selected = useAsync((signal) => (value && !known[value] ? organizationsApi.get(value, signal) : undefined), [value]);

  useEffect(() => {
    const found = [...(search.data?.items ?? []), ...(selected.data ? [selected.data] : [])];
    if (found.length === 0) return;
    setKnown((k) => {
      const next = { ...k };
      for (const o of found) next[o.id] = o;
      return next;
    });
  }, [search.data, selected.data]);

  const options = useMemo(() => {
    const items = search.data?.items ?? [];
    const current = value ? known[value] : undefined;
    const list = current && !items.some((o) => o.id === current.id) ? [current, ...items] : items;
    return list.map((o) => ({
      value: o.id,
      label: (
        <span data-testid="org-option" data-id={o.id}>
          {o.name}{' '}
          <Tag color={o.kind === 'government' ? 'blue' : 'green'} variant="filled" style={{ marginInlineStart: 4 }}>
            {o.regionName ?? o.regionCode}
          </Tag>
        </span>
      ),
    }));
  }, [search.data, known, value]);

  return (
    <Select<string>
      id={id}
      data-testid={rest['data-testid']}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      onClear={() => onChange?.(null)}
      allowClear={allowClear}
      placeholder={placeholder ?? t('org.pickerPlaceholder')}
      loading={search.loading}
      options={options}
      notFoundContent={search.loading ? t('common.loading') : t('common.empty')}
      style={style}
      popupMatchSelectWidth={false}
    />
  );
}
