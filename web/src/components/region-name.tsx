// SPDX-License-Identifier: Apache-2.0
// Shows a region code by its name (looked up once per code and page load).
import { Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import type { Region } from '../../../contracts/regions.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { api } from '../lib/api.ts';

const cache = new Map<string, Promise<Region | null>>();

function lookup(code: string): Promise<Region | null> {
  let found = cache.get(code);
  if (!found) {
    // A code the user may not read (or that no longer exists) is shown as the code itself.
    found = api.get<Region>(`/api/regions/${encodeURIComponent(code)}`).catch(() => null);
    cache.set(code, found);
  }
  return found;
}

/** The name of region `code`, or `fallback` when there is no code. */
export function RegionName({ code, fallback }: { code: string | null; fallback?: string }) {
  const { t, lang } = useI18n();
  const [region, setRegion] = useState<Region | null>(null);
  useEffect(() => {
    let live = true;
    setRegion(null);
    if (code) void lookup(code).then((r) => live && setRegion(r));
    return () => {
      live = false;
    };
  }, [code]);
  if (!code) return <>{fallback ?? t('common.platform')}</>;
  const name = region ? (lang === 'en' && region.nameEn ? region.nameEn : region.name) : code;
  return (
    <Tooltip title={code}>
      <span>{name}</span>
    </Tooltip>
  );
}
