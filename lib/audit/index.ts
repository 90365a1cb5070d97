import type { Executor } from "@/db";
import { auditEntries } from "@/db/schema";
import { toJson } from "@/lib/events/outbox";

/** Who did something, and from where: the AuditEntry's actor and request context. */
export type AuditContext = {
  actor: { type: "api_key" | "system" | "customer" | "merchant" | "admin"; id?: string | null };
  ipAddress?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
};

export const SYSTEM_AUDIT: AuditContext = { actor: { type: "system" } };

export type AuditEntryInput = {
  merchantId: string | null;
  invoiceId?: string | null;
  event: string;
  data?: Record<string, unknown>;
  at?: Date;
};

function auditRow(entry: AuditEntryInput, context: AuditContext): typeof auditEntries.$inferInsert {
  return {
    merchantId: entry.merchantId,
    invoiceId: entry.invoiceId ?? null,
    event: entry.event,
    actorType: context.actor.type,
    actorId: context.actor.id ?? null,
    ipAddress: context.ipAddress?.slice(0, 64) ?? null,
    userAgent: context.userAgent?.slice(0, 500) ?? null,
    requestId: context.requestId?.slice(0, 100) ?? null,
    data: toJson(entry.data ?? {}) as Record<string, unknown>,
    ...(entry.at ? { createdAt: entry.at } : {}),
  };
}

/** Writes one AuditEntry; call it inside the command's transaction. */
export async function recordAudit(db: Executor, entry: AuditEntryInput, context: AuditContext): Promise<void> {
  await db.insert(auditEntries).values(auditRow(entry, context));
}

/** Writes several AuditEntries of one context in one statement. */
export async function recordAudits(db: Executor, entries: AuditEntryInput[], context: AuditContext): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditEntries).values(entries.map((entry) => auditRow(entry, context)));
}
