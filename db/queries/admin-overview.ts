import { count, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { accounts, invoices, outboxEvents } from "@/db/schema";

export type AdminOverview = {
  accountsByStatus: Record<"AVAILABLE" | "MAINTENANCE" | "SOLD", number>;
  accountsNeedingReview: number;
  invoicesByStatus: Record<string, number>;
  recentEvents: { id: string; eventType: string; aggregateType: string; aggregateId: string; occurredAt: Date }[];
};

export async function getAdminOverview(db: Executor): Promise<AdminOverview> {
  const accountCounts = await db.select({ status: accounts.status, n: count() }).from(accounts).groupBy(accounts.status);
  const [review] = await db.select({ n: count() }).from(accounts).where(eq(accounts.needsReview, true));
  const invoiceCounts = await db.select({ status: invoices.status, n: count() }).from(invoices).groupBy(invoices.status);
  const recentEvents = await db
    .select({
      id: outboxEvents.id,
      eventType: outboxEvents.eventType,
      aggregateType: outboxEvents.aggregateType,
      aggregateId: outboxEvents.aggregateId,
      occurredAt: outboxEvents.occurredAt,
    })
    .from(outboxEvents)
    .orderBy(desc(outboxEvents.occurredAt), desc(sql`${outboxEvents.id}`))
    .limit(10);

  const accountsByStatus = { AVAILABLE: 0, MAINTENANCE: 0, SOLD: 0 };
  for (const r of accountCounts) accountsByStatus[r.status] = r.n;
  return {
    accountsByStatus,
    accountsNeedingReview: review?.n ?? 0,
    invoicesByStatus: Object.fromEntries(invoiceCounts.map((r) => [r.status, r.n])),
    recentEvents,
  };
}
