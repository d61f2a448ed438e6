// SPDX-License-Identifier: Apache-2.0
// Loads data for a component: cancels the previous request when inputs change, exposes loading/error/reload.
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

/** The state of one load. */
export type AsyncState<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
};

/**
 * Runs `load` whenever `deps` change (or `reload` is called), aborting the one in flight.
 * `load` may return undefined to mean "nothing to load" (data becomes undefined, not loading).
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T> | undefined, deps: DependencyList): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  // Loading from the first render: the effect that starts the load runs only after it.
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    const promise = loadRef.current(controller.signal);
    if (!promise) {
      setData(undefined);
      setError(undefined);
      setLoading(false);
      return () => controller.abort();
    }
    setLoading(true);
    setError(undefined);
    promise.then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // The caller lists the inputs of `load` in `deps`, as with useEffect.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** `value`, but only after it has stopped changing for `ms` milliseconds. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
