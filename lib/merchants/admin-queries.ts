import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { admins, apiKeys, auditEntries, invoices, merchants, webhookEndpoints } from "@/db/schema";
import { MERCHANT_STATUSES, PLAN_TYPES, type FiatCurrency, type MerchantStatus, type PlanType } from "@/lib/domain";

/**
 * Read models of the admin's merchant pages. No query here selects a password hash, a key hash
 * or a webhook secret: the key summary is the display prefix the merchant sees too.
 */

export const ADMIN_MERCHANTS_PAGE_SIZE = 25;

export type AdminMerchantFilters = { q?: string; status?: MerchantStatus; plan?: PlanType; page: number };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export function parseAdminMerchantFilters(params: Record<string, string | string[] | undefined>): AdminMerchantFilters {
  const status = one(params.status);
  const plan = one(params.plan);
  const page = Number(one(params.page) ?? "1");
  return {
    q: one(params.q)?.slice(0, 100),
    status: (MERCHANT_STATUSES as readonly string[]).includes(status ?? "") ? (status as MerchantStatus) : undefined,
    plan: (PLAN_TYPES as readonly string[]).includes(plan ?? "") ? (plan as PlanType) : undefined,
    page: Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

export function merchantListHref(filters: AdminMerchantFilters, page = filters.page): string {
  const params = new URLSearchParams();
  for (const key of ["q", "status", "plan"] as const) if (filters[key]) params.set(key, filters[key]!);
  if (page > 1) params.set("page", String(page));
  const qs = params.toString();
  return qs ? `/admin/merchants?${qs}` : "/admin/merchants";
}

export type Volume = { currency: FiatCurrency; totalMinor: bigint };

/** Live paid volume per fiat currency, for the given merchants only (one grouped scan of their invoices). */
async function paidVolumes(db: Executor, merchantIds: string[]): Promise<Map<string, Volume[]>> {
  const result = new Map<string, Volume[]>();
  if (merchantIds.length === 0) return result;
  const rows = await db
    .select({ merchantId: invoices.merchantId, currency: invoices.fiatCurrency, total: sql<string>`sum(${invoices.totalMinor})::text` })
    .from(invoices)
    .where(and(inArray(invoices.merchantId, merchantIds), eq(invoices.status, "paid"), eq(invoices.livemode, true)))
    .groupBy(invoices.merchantId, invoices.fiatCurrency)
    .orderBy(invoices.fiatCurrency);
  for (const row of rows) {
    const list = result.get(row.merchantId) ?? [];
    list.push({ currency: row.currency, totalMinor: BigInt(row.total) });
    result.set(row.merchantId, list);
  }
  return result;
}

export async function listAdminMerchants(db: Executor, filters: AdminMerchantFilters) {
  const conditions: SQL[] = [];
  if (filters.status) conditions.push(eq(merchants.status, filters.status));
  if (filters.plan) conditions.push(eq(merchants.planType, filters.plan));
  if (filters.q) {
    const like = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(merchants.businessName, like), ilike(merchants.contactEmail, like), sql`${merchants.id}::text = ${filters.q.toLowerCase()}`)!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: merchants.id,
        businessName: merchants.businessName,
        contactEmail: merchants.contactEmail,
        status: merchants.status,
        planType: merchants.planType,
        createdAt: merchants.createdAt,
      })
      .from(merchants)
      .where(where)
      .orderBy(desc(merchants.createdAt), asc(merchants.id))
      .limit(ADMIN_MERCHANTS_PAGE_SIZE)
      .offset((filters.page - 1) * ADMIN_MERCHANTS_PAGE_SIZE),
    db.select({ n: count() }).from(merchants).where(where),
  ]);
  const ids = rows.map((r) => r.id);
  const [invoiceCounts, volumes] = await Promise.all([
    ids.length === 0
      ? Promise.resolve([])
      : db.select({ merchantId: invoices.merchantId, n: count() }).from(invoices).where(inArray(invoices.merchantId, ids)).groupBy(invoices.merchantId),
    paidVolumes(db, ids),
  ]);
  const countOf = new Map(invoiceCounts.map((c) => [c.merchantId, Number(c.n)]));
  return {
    rows: rows.map((r) => ({ ...r, invoiceCount: countOf.get(r.id) ?? 0, paidVolume: volumes.get(r.id) ?? [] })),
    total: Number(total?.n ?? 0),
  };
}

export type AdminMerchantRow = Awaited<ReturnType<typeof listAdminMerchants>>["rows"][number];

/** One merchant with what the admin needs to decide: keys, endpoints, invoices, recent admin history. */
export async function findAdminMerchant(db: Executor, merchantId: string) {
  const [merchant] = await db
    .select({
      id: merchants.id,
      businessName: merchants.businessName,
      contactEmail: merchants.contactEmail,
      status: merchants.status,
      planType: merchants.planType,
      createdAt: merchants.createdAt,
      updatedAt: merchants.updatedAt,
    })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  if (!merchant) return null;
  const [keys, endpoints, recentInvoices, invoiceStats, volumes, history] = await Promise.all([
    db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        keyPrefix: apiKeys.keyPrefix,
        keyType: apiKeys.keyType,
        status: apiKeys.status,
        expiresAt: apiKeys.expiresAt,
        lastUsedAt: apiKeys.lastUsedAt,
        createdAt: apiKeys.createdAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.merchantId, merchantId))
      .orderBy(desc(apiKeys.createdAt))
      .limit(50),
    db.select({ status: webhookEndpoints.status, n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, merchantId)).groupBy(webhookEndpoints.status),
    db
      .select({
        id: invoices.id,
        title: invoices.title,
        status: invoices.status,
        livemode: invoices.livemode,
        totalMinor: invoices.totalMinor,
        fiatCurrency: invoices.fiatCurrency,
        cryptoCurrency: invoices.cryptoCurrency,
        createdAt: invoices.createdAt,
      })
      .from(invoices)
      .where(eq(invoices.merchantId, merchantId))
      .orderBy(desc(invoices.createdAt), desc(invoices.id))
      .limit(10),
    db.select({ n: count() }).from(invoices).where(eq(invoices.merchantId, merchantId)),
    paidVolumes(db, [merchantId]),
    db
      .select({
        id: auditEntries.id,
        event: auditEntries.event,
        actorType: auditEntries.actorType,
        adminUsername: admins.username,
        data: auditEntries.data,
        createdAt: auditEntries.createdAt,
      })
      .from(auditEntries)
      .leftJoin(admins, and(eq(auditEntries.actorType, "admin"), eq(sql`${admins.id}::text`, auditEntries.actorId)))
      .where(and(eq(auditEntries.merchantId, merchantId), sql`${auditEntries.event} like 'merchant.%'`))
      .orderBy(desc(auditEntries.createdAt), desc(auditEntries.id))
      .limit(10),
  ]);
  const endpointCounts = { active: 0, disabled: 0, failed: 0 };
  for (const e of endpoints) endpointCounts[e.status] = Number(e.n);
  return {
    ...merchant,
    apiKeys: keys,
    webhookEndpoints: endpointCounts,
    recentInvoices,
    invoiceCount: Number(invoiceStats[0]?.n ?? 0),
    paidVolume: volumes.get(merchantId) ?? [],
    history,
  };
}

export type AdminMerchant = NonNullable<Awaited<ReturnType<typeof findAdminMerchant>>>;

/** The reason given with the merchant's latest suspension, for the merchant's own dashboard banner. */
export async function latestSuspensionReason(db: Executor, merchantId: string): Promise<string | null> {
  const [row] = await db
    .select({ data: auditEntries.data })
    .from(auditEntries)
    .where(and(eq(auditEntries.merchantId, merchantId), eq(auditEntries.event, "merchant.suspended")))
    .orderBy(desc(auditEntries.createdAt), desc(auditEntries.id))
    .limit(1);
  const reason = row?.data?.reason;
  return typeof reason === "string" ? reason : null;
}
