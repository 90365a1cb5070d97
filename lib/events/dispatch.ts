import { asc, inArray, isNull } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { outboxEvents } from "@/db/schema";

/**
 * The outbox relay: takes unpublished events in write order and hands them to each consumer (the
 * webhook planner, the notification planner) inside one transaction that also marks them
 * published. A consumer only writes rows (deliveries to make later), so a crash anywhere rolls the
 * whole batch back and the next round takes the same events again; FOR UPDATE SKIP LOCKED lets
 * several relays run at once without handing out one event twice.
 */

export type OutboxEvent = typeof outboxEvents.$inferSelect;
export type OutboxConsumer = (tx: Executor, events: OutboxEvent[]) => Promise<unknown>;

export async function dispatchOutbox(db: Db, consumers: OutboxConsumer[], options: { limit?: number; now?: Date } = {}): Promise<{ events: number }> {
  return db.transaction(async (tx) => {
    const events = await tx
      .select()
      .from(outboxEvents)
      .where(isNull(outboxEvents.publishedAt))
      .orderBy(asc(outboxEvents.sequence))
      .limit(options.limit ?? 200)
      .for("update", { skipLocked: true });
    if (events.length === 0) return { events: 0 };
    for (const consume of consumers) await consume(tx, events);
    await tx
      .update(outboxEvents)
      .set({ publishedAt: options.now ?? new Date() })
      .where(inArray(outboxEvents.id, events.map((e) => e.id)));
    return { events: events.length };
  });
}
