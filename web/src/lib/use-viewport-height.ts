// SPDX-License-Identifier: Apache-2.0
// The window's inner height, for panels that should fill the screen.
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

/** window.innerHeight, updated on resize. */
export function useViewportHeight(): number {
  return useSyncExternalStore(subscribe, () => window.innerHeight, () => 800);
}
