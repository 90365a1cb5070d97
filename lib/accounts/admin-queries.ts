import { and, asc, count, desc, eq, exists, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { accountModelQuotas, accountOrders, accounts, admins, outboxEvents } from "@/db/schema";
import { ACCOUNT_STATUSES, QUOTA_LEVELS, type AccountStatus, type QuotaLevel } from "@/lib/domain";

/** Read models of the admin's account pages. None of them selects a credential column. */

export const ADMIN_ACCOUNTS_PAGE_SIZE = 25;

export type AdminAccountFilters = {
  q?: string;
  status?: AccountStatus;
  level?: QuotaLevel;
  /** "review": flagged for review; "error": the last quota refresh failed. */
  flag?: "review" | "error";
  page: number;
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export function parseAdminAccountFilters(params: Record<string, string | string[] | undefined>): AdminAccountFilters {
  const status = one(params.status);
  const level = one(params.level);
  const flag = one(params.flag);
  const page = Number(one(params.page) ?? "1");
  return {
    q: one(params.q)?.slice(0, 100),
    status: (ACCOUNT_STATUSES as readonly string[]).includes(status ?? "") ? (status as AccountStatus) : undefined,
    level: (QUOTA_LEVELS as readonly string[]).includes(level ?? "") ? (level as QuotaLevel) : undefined,
    flag: flag === "review" || flag === "error" ? flag : undefined,
    page: Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

const liveReservation = (accountId: SQL | typeof accounts.id) =>
  exists(
    sql`(select 1 from ${accountOrders} where ${accountOrders.accountId} = ${accountId} and ${accountOrders.status} = 'reserved')`,
  );

export async function listAdminAccounts(db: Executor, filters: AdminAccountFilters) {
  const conditions: SQL[] = [];
  if (filters.status) conditions.push(eq(accounts.status, filters.status));
  if (filters.level) conditions.push(eq(accounts.quotaLevel, filters.level));
  if (filters.flag === "review") conditions.push(eq(accounts.needsReview, true));
  if (filters.flag === "error") conditions.push(sql`${accounts.quotaError} is not null`);
  if (filters.q) {
    const like = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(accounts.name, like), ilike(accounts.displayName, like), sql`${accounts.id}::text = ${filters.q}`)!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: accounts.id,
        name: accounts.name,
        displayName: accounts.displayName,
        status: accounts.status,
        quotaLevel: accounts.quotaLevel,
        priceMinor: accounts.priceMinor,
        priceCurrency: accounts.priceCurrency,
        accessKeyLast4: accounts.accessKeyLast4,
        quotaUpdatedAt: accounts.quotaUpdatedAt,
        quotaError: accounts.quotaError,
        needsReview: accounts.needsReview,
        updatedAt: accounts.updatedAt,
        reserved: liveReservation(accounts.id).mapWith(Boolean),
      })
      .from(accounts)
      .where(where)
      .orderBy(desc(accounts.updatedAt), asc(accounts.id))
      .limit(ADMIN_ACCOUNTS_PAGE_SIZE)
      .offset((filters.page - 1) * ADMIN_ACCOUNTS_PAGE_SIZE),
    db.select({ n: count() }).from(accounts).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export type AdminAccountRow = Awaited<ReturnType<typeof listAdminAccounts>>["rows"][number];

export async function findAdminAccount(db: Executor, accountId: string) {
  const [row] = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      displayName: accounts.displayName,
      status: accounts.status,
      priceMinor: accounts.priceMinor,
      priceCurrency: accounts.priceCurrency,
      instructions: accounts.instructions,
      features: accounts.features,
      limitations: accounts.limitations,
      regions: accounts.regions,
      hasCredentials: sql<boolean>`${accounts.credentialsCiphertext} is not null`,
      accessKeyLast4: accounts.accessKeyLast4,
      credentialsKeyId: accounts.credentialsKeyId,
      quotaLevel: accounts.quotaLevel,
      quotaUpdatedAt: accounts.quotaUpdatedAt,
      quotaError: accounts.quotaError,
      quotaErrorAt: accounts.quotaErrorAt,
      needsReview: accounts.needsReview,
      suggestedPriceMinor: accounts.suggestedPriceMinor,
      soldAt: accounts.soldAt,
      createdAt: accounts.createdAt,
      updatedAt: accounts.updatedAt,
      reservedUntil: sql<Date | null>`(select max(${accountOrders.reservedUntil}) from ${accountOrders} where ${accountOrders.accountId} = ${accounts.id} and ${accountOrders.status} = 'reserved')`.mapWith(
        (v: string | Date | null) => (v === null ? null : new Date(v)),
      ),
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!row) return null;
  const quotas = await db
    .select({ model: accountModelQuotas.model, rpm: accountModelQuotas.rpm, tpm: accountModelQuotas.tpm, tpd: accountModelQuotas.tpd, available: accountModelQuotas.available })
    .from(accountModelQuotas)
    .where(eq(accountModelQuotas.accountId, accountId));
  return { ...row, quotas };
}

export type AdminAccount = NonNullable<Awaited<ReturnType<typeof findAdminAccount>>>;

/** The activity view: account and admin events, newest first, with the admin who acted. */
export const ACTIVITY_EVENT_TYPES = [
  "AccountCreated",
  "AccountModified",
  "AccountStatusChanged",
  "AccountReserved",
  "AccountOrderUnfulfillable",
  "QuotaUpdated",
  "QuotaRefreshFailed",
  "AdminLoggedIn",
] as const;
export const ACTIVITY_PAGE_SIZE = 50;

export type ActivityFilters = { type?: string; accountId?: string; before?: number };

export function parseActivityFilters(params: Record<string, string | string[] | undefined>): ActivityFilters {
  const type = one(params.type);
  const accountId = one(params.account);
  const before = Number(one(params.before));
  return {
    type: (ACTIVITY_EVENT_TYPES as readonly string[]).includes(type ?? "") ? type : undefined,
    accountId: accountId && /^[0-9a-f-]{36}$/i.test(accountId) ? accountId.toLowerCase() : undefined,
    before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
  };
}

export async function listActivity(db: Executor, filters: ActivityFilters, limit = ACTIVITY_PAGE_SIZE) {
  const conditions: SQL[] = [inArray(outboxEvents.aggregateType, ["account", "admin"])];
  if (filters.type) conditions.push(eq(outboxEvents.eventType, filters.type));
  if (filters.accountId) conditions.push(and(eq(outboxEvents.aggregateType, "account"), eq(outboxEvents.aggregateId, filters.accountId))!);
  if (filters.before) conditions.push(lt(outboxEvents.sequence, filters.before));
  const rows = await db
    .select({
      id: outboxEvents.id,
      sequence: outboxEvents.sequence,
      aggregateType: outboxEvents.aggregateType,
      aggregateId: outboxEvents.aggregateId,
      eventType: outboxEvents.eventType,
      actorType: outboxEvents.actorType,
      actorId: outboxEvents.actorId,
      adminUsername: admins.username,
      accountName: accounts.displayName,
      payload: outboxEvents.payload,
      occurredAt: outboxEvents.occurredAt,
    })
    .from(outboxEvents)
    .leftJoin(admins, and(eq(outboxEvents.actorType, "admin"), eq(sql`${admins.id}::text`, outboxEvents.actorId)))
    .leftJoin(accounts, and(eq(outboxEvents.aggregateType, "account"), eq(sql`${accounts.id}::text`, outboxEvents.aggregateId)))
    .where(and(...conditions))
    .orderBy(desc(outboxEvents.sequence))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1]!.sequence : null };
}

export type ActivityRow = Awaited<ReturnType<typeof listActivity>>["rows"][number];
