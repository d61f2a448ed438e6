// SPDX-License-Identifier: Apache-2.0
// Hash routing (#/regions/330106000000): works from any static file server, no server-side fallback needed.
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentPath(): string {
  const raw = window.location.hash.replace(/^#/, '');
  return raw.startsWith('/') ? raw : `/${raw}`;
}

/** The path after `#`, always starting with `/`. */
export function useHashPath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

/** The path split into its segments, decoded: `/regions/3301` → ['regions', '3301']. */
export function segmentsOf(path: string): string[] {
  const [pathname = ''] = path.split('?');
  return pathname
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
}

/** Goes to `path` (adds a history entry unless `replace`). */
export function navigate(path: string, replace = false): void {
  const target = `#${path.startsWith('/') ? path : `/${path}`}`;
  if (replace) {
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}
