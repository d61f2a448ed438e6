// SPDX-License-Identifier: Apache-2.0
// A background job run every so often (supervision sweeps): one run at a time, errors reported, stop()
// waits for the run in flight.

export type Periodic = { stop(): Promise<void> };

/** Runs `job` every `intervalMs` (never two at once); a failure goes to `onError` and the next tick runs again. */
export function startPeriodic(job: () => Promise<unknown>, intervalMs: number, onError?: (err: unknown) => void): Periodic {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= job()
      .catch((err: unknown) => onError?.(err))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
