import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { customers } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { DomainError } from "@/lib/domain";
import { decodeCursor, encodeCursor, isUuid } from "@/lib/invoices/queries";

/** The Customer aggregate's commands and reads; a customer always belongs to one merchant. */

type CustomerRow = typeof customers.$inferSelect;

export function serializeCustomer(c: CustomerRow) {
  return {
    id: c.id,
    object: "customer" as const,
    email: c.email,
    status: c.status,
    metadata: c.metadata,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    last_seen_at: c.lastSeenAt?.toISOString() ?? null,
  };
}

export type CustomerResource = ReturnType<typeof serializeCustomer>;

export async function createCustomer(
  db: Db,
  merchantId: string,
  input: { email: string; metadata?: Record<string, string> },
  context: AuditContext,
): Promise<CustomerResource> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(customers)
        .values({ merchantId, email: input.email.trim(), metadata: input.metadata ?? {} })
        .returning();
      await recordAudit(tx, { merchantId, event: "customer.created", data: { customerId: row!.id } }, context);
      return serializeCustomer(row!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const [existing] = await db
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.merchantId, merchantId), eq(sql`lower(${customers.email})`, input.email.trim().toLowerCase())));
      throw new DomainError("customer.email_taken", "A customer with this email already exists", {
        field: "email",
        customerId: existing?.id,
      });
    }
    throw error;
  }
}

export async function findCustomer(db: Executor, merchantId: string, customerId: string): Promise<CustomerResource | null> {
  if (!isUuid(customerId)) return null;
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId)));
  return row ? serializeCustomer(row) : null;
}

export async function listCustomers(
  db: Executor,
  merchantId: string,
  filters: { status?: CustomerRow["status"]; email?: string; limit: number; cursor?: string },
) {
  const conditions: SQL[] = [eq(customers.merchantId, merchantId)];
  if (filters.status) conditions.push(eq(customers.status, filters.status));
  if (filters.email) conditions.push(eq(sql`lower(${customers.email})`, filters.email.toLowerCase()));
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    conditions.push(or(lt(customers.createdAt, c.createdAt), and(eq(customers.createdAt, c.createdAt), lt(customers.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(customers)
    .where(and(...conditions))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(filters.limit + 1);
  const hasMore = rows.length > filters.limit;
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    data: page.map(serializeCustomer),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** Block or unblock; a blocked customer cannot be given a new invoice. */
export async function setCustomerBlocked(
  db: Db,
  merchantId: string,
  customerId: string,
  blocked: boolean,
  context: AuditContext,
): Promise<CustomerResource> {
  if (!isUuid(customerId)) throw new DomainError("customer.not_found", "No such customer", { customerId });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(customers)
      .set({ status: blocked ? "blocked" : "active" })
      .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId)))
      .returning();
    if (!row) throw new DomainError("customer.not_found", "No such customer", { customerId });
    await recordAudit(tx, { merchantId, event: blocked ? "customer.blocked" : "customer.unblocked", data: { customerId } }, context);
    return serializeCustomer(row);
  });
}
