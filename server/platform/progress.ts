// SPDX-License-Identifier: Apache-2.0
// A small progress bar for long CLI work; prints plain lines when the output is not a terminal.

/** Reports progress of a job of `total` steps. */
export type Progress = { tick(n?: number): void; update(current: number, total?: number): void; done(message?: string): void };

/** A progress bar on `stream` labelled `label`. */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let current = 0;
  let lastPrinted = -1;
  const started = Date.now();
  const tty = stream.isTTY === true;
  const render = () => {
    const pct = total > 0 ? Math.floor((current / total) * 100) : 100;
    if (tty) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}% ${current}/${total}`);
    } else if (lastPrinted < 0 || pct >= lastPrinted + 25 || (current === total && lastPrinted < 100)) {
      stream.write(`${label}: ${pct}% (${current}/${total})\n`);
      lastPrinted = pct;
    }
  };
  return {
    tick(n = 1) {
      current = Math.min(total, current + n);
      render();
    },
    update(value, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      current = Math.min(total, value);
      render();
    },
    done(message) {
      current = total;
      if (tty) {
        render();
        stream.write('\n');
      }
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`${label}: ${message ?? 'done'} in ${secs} s\n`);
    },
  };
}
