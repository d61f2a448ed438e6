// SPDX-License-Identifier: Apache-2.0
// Prometheus text-format metrics: request counts and durations by route and status.

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A tiny registry of the HTTP metrics the platform exports at /metrics. */
export class HttpMetrics {
  private readonly counts = new Map<string, number>();
  private readonly histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();
  private readonly started = Date.now();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route.replace(/"/g, '')}",status="${status}"`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const hkey = `method="${method}",route="${route.replace(/"/g, '')}"`;
    const h = this.histograms.get(hkey) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count++;
    this.histograms.set(hkey, h);
  }

  render(extra: Record<string, number> = {}): string {
    const lines: string[] = [];
    lines.push('# HELP yz_http_requests_total HTTP requests by method, route and status.', '# TYPE yz_http_requests_total counter');
    for (const [k, v] of this.counts) lines.push(`yz_http_requests_total{${k}} ${v}`);
    lines.push('# HELP yz_http_request_duration_seconds HTTP request duration.', '# TYPE yz_http_request_duration_seconds histogram');
    for (const [k, h] of this.histograms) {
      BUCKETS.forEach((b, i) => lines.push(`yz_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`));
      lines.push(`yz_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      lines.push(`yz_http_request_duration_seconds_sum{${k}} ${h.sum}`, `yz_http_request_duration_seconds_count{${k}} ${h.count}`);
    }
    lines.push('# HELP yz_process_uptime_seconds Seconds since the process started.', '# TYPE yz_process_uptime_seconds gauge', `yz_process_uptime_seconds ${(Date.now() - this.started) / 1000}`);
    const mem = process.memoryUsage();
    lines.push('# HELP yz_process_resident_memory_bytes Resident memory.', '# TYPE yz_process_resident_memory_bytes gauge', `yz_process_resident_memory_bytes ${mem.rss}`);
    for (const [name, value] of Object.entries(extra)) lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
    return `${lines.join('\n')}\n`;
  }
}
