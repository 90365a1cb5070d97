import type { Executor } from "@/db";
import { outboxEvents } from "@/db/schema";

/** A domain event as the spec names it, written in the same transaction as the change. */
export type DomainEventInput = {
  aggregateType: "invoice" | "payment" | "merchant" | "customer" | "account" | "admin";
  aggregateId: string;
  eventType: string;
  payload: Record<string, unknown>;
  merchantId?: string | null;
  actor?: { type: "admin" | "merchant" | "api_key" | "system" | "customer"; id?: string | null };
  occurredAt?: Date;
};

/** bigint and Date values become strings so the payload is plain JSON. */
export function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

export async function recordEvents(db: Executor, events: DomainEventInput[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await db
    .insert(outboxEvents)
    .values(
      events.map((e) => ({
        aggregateType: e.aggregateType,
        aggregateId: e.aggregateId,
        eventType: e.eventType,
        merchantId: e.merchantId ?? null,
        actorType: e.actor?.type ?? null,
        actorId: e.actor?.id ?? null,
        payload: toJson(e.payload) as Record<string, unknown>,
        occurredAt: e.occurredAt ?? new Date(),
      })),
    )
    .returning({ id: outboxEvents.id });
  return rows.map((r) => r.id);
}

export async function recordEvent(db: Executor, event: DomainEventInput): Promise<string> {
  const [id] = await recordEvents(db, [event]);
  return id!;
}
