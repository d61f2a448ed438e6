// SPDX-License-Identifier: Apache-2.0
// Transactional outbox: domain events are rows written in the same transaction as the change, then
// delivered by an in-process dispatcher to local subscribers (and, with federation, to NATS JetStream).
import type { Database, Executor } from './db.ts';

/** A domain event as written by a service. */
export type DomainEvent = { topic: string; aggregateId?: string; regionCode?: string | null; payload: Record<string, unknown> };
/** A domain event as delivered to a subscriber. */
export type DeliveredEvent = DomainEvent & { id: number; createdAt: Date };
/** A subscriber; a throw makes the dispatcher retry the event later. */
export type EventHandler = (event: DeliveredEvent) => Promise<void> | void;

/** Writes `event` in the caller's transaction. */
export async function publish(tx: Executor, event: DomainEvent): Promise<void> {
  await tx.query('INSERT INTO outbox (topic, aggregate_id, region_code, payload) VALUES ($1, $2, $3, $4)', [
    event.topic,
    event.aggregateId ?? null,
    event.regionCode ?? null,
    JSON.stringify(event.payload),
  ]);
}

type OutboxRow = { id: number; topic: string; aggregate_id: string | null; region_code: string | null; payload: Record<string, unknown>; created_at: Date };

/** Delivers outbox events to subscribers registered by topic ('*' for all). */
export class OutboxDispatcher {
  private readonly handlers = new Map<string, EventHandler[]>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: { intervalMs?: number; batchSize?: number; maxAttempts?: number; onError?: (err: unknown, event: DeliveredEvent) => void } = {},
  ) {}

  /** Registers `handler` for `topic` ('*' receives every event). */
  subscribe(topic: string, handler: EventHandler): void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler);
    this.handlers.set(topic, list);
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.kick(), this.options.intervalMs ?? 500);
    this.timer.unref();
  }

  /** Stops polling and waits for a batch in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Processes one batch now (unless one is already running); resolves to the number delivered. */
  kick(): Promise<number> {
    this.running ??= this.processBatch().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Delivers until nothing deliverable is pending (tests call this instead of polling). */
  async drain(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await this.running;
      if ((await this.kick()) === 0) return;
    }
  }

  private async processBatch(): Promise<number> {
    // Claim a batch with a lease, then deliver without holding a connection: the embedded engine has
    // only one, and handlers may need it. Delivery is at-least-once; a crashed claim expires.
    const { rows } = await this.db.pool.query<OutboxRow>(
      `UPDATE outbox SET locked_until = now() + interval '60 seconds'
       WHERE id IN (SELECT id FROM outbox
                    WHERE published_at IS NULL AND attempts < $1 AND (locked_until IS NULL OR locked_until < now())
                    ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, topic, aggregate_id, region_code, payload, created_at`,
      [this.options.maxAttempts ?? 10, this.options.batchSize ?? 100],
    );
    rows.sort((a, b) => a.id - b.id);
    let delivered = 0;
    for (const row of rows) {
      const event: DeliveredEvent = {
        id: row.id,
        topic: row.topic,
        aggregateId: row.aggregate_id ?? undefined,
        regionCode: row.region_code,
        payload: row.payload,
        createdAt: row.created_at,
      };
      try {
        for (const handler of [...(this.handlers.get(row.topic) ?? []), ...(this.handlers.get('*') ?? [])]) await handler(event);
        await this.db.pool.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1, locked_until = NULL WHERE id = $1', [row.id]);
        delivered++;
      } catch (err) {
        this.options.onError?.(err, event);
        // retry later with exponential backoff: 2, 4, 8 … seconds, at most five minutes
        await this.db.pool.query(
          `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
             locked_until = now() + make_interval(secs => least(300, power(2, attempts + 1)::int)) WHERE id = $1`,
          [row.id, String(err).slice(0, 1000)],
        );
      }
    }
    return delivered;
  }
}
