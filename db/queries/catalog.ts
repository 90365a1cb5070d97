import { and, asc, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { accountModelQuotas, accountOrders, accounts } from "@/db/schema";
import {
  CLAUDE_MODELS,
  QUOTA_LEVELS,
  money,
  parseDecimalUnits,
  primaryModels,
  type ClaudeModel,
  type FiatCurrency,
  type Money,
  type QuotaLevel,
} from "@/lib/domain";

/** The Catalog context's AccountListing read model. */
export type AccountListing = {
  id: string;
  name: string;
  displayName: string;
  primaryModels: { model: ClaudeModel; rpm: number; tpm: number }[];
  quotaLevel: "HIGH" | "MEDIUM" | "LOW";
  price: Money & { asset: FiatCurrency };
  status: "AVAILABLE" | "MAINTENANCE" | "SOLD";
  /** AVAILABLE and not held by a reserved order: the account can be bought now. */
  stockAvailable: boolean;
  /** A reserved order holds the account for a buyer whose invoice is still open. */
  reserved: boolean;
  regions: string[];
  quotaUpdatedAt: Date | null;
};

/**
 * The account's live reservation, if any. Joined rather than tested with a subquery so the stock
 * filter, the stock order and the listing's flag share one probe; the partial unique index
 * account_orders_one_live_reservation keeps it to at most one row per account.
 */
const liveReservation = and(eq(accountOrders.accountId, accounts.id), eq(accountOrders.status, "reserved"));
const isReserved = sql<boolean>`(${accountOrders.id} is not null)`;
const inStock = and(eq(accounts.status, "AVAILABLE"), isNull(accountOrders.id))!;

const levelOrder = sql`case ${accounts.quotaLevel} when 'HIGH' then 0 when 'MEDIUM' then 1 else 2 end`;
const stockOrder = sql`case when ${inStock} then 0 when ${accounts.status} = 'AVAILABLE' then 1 when ${accounts.status} = 'MAINTENANCE' then 2 else 3 end`;

/** Every listing, in stock first (the storefront's unfiltered order). */
export async function listAccountListings(db: Executor): Promise<AccountListing[]> {
  return (await searchAccountListings(db, { ...DEFAULT_CATALOG_QUERY, pageSize: 10_000 })).items;
}

export type CatalogStock = { total: number; available: number };

/** How many accounts the store lists, and how many of them are for sale now (not reserved). */
export async function catalogStock(db: Executor): Promise<CatalogStock> {
  const [row] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      available: sql<number>`count(*) filter (where ${inStock})`.mapWith(Number),
    })
    .from(accounts)
    .leftJoin(accountOrders, liveReservation);
  return { total: row?.total ?? 0, available: row?.available ?? 0 };
}

export const CATALOG_SORTS = ["recommended", "price_asc", "price_desc", "quota"] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

/** What the catalog can be asked: the storefront's filters, as its URL carries them. */
export type CatalogQuery = {
  q: string | null;
  model: ClaudeModel | null;
  level: QuotaLevel | null;
  /** Price bounds in minor units of the listing's currency (the store prices in one currency). */
  minPriceMinor: bigint | null;
  maxPriceMinor: bigint | null;
  inStock: boolean;
  sort: CatalogSort;
  page: number;
  pageSize: number;
};

export const DEFAULT_CATALOG_QUERY: CatalogQuery = {
  q: null,
  model: null,
  level: null,
  minPriceMinor: null,
  maxPriceMinor: null,
  inStock: false,
  sort: "recommended",
  page: 1,
  pageSize: 12,
};

/**
 * Reads the catalog's URL parameters (q, model, level, min, max, stock, sort, page). A bad value
 * is dropped and reported by parameter name, so the page can say which filter it ignored.
 */
export function parseCatalogQuery(params: Record<string, string | string[] | undefined>): { query: CatalogQuery; errors: Record<string, string> } {
  const one = (key: string) => {
    const value = params[key];
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    return text ? text : null;
  };
  const errors: Record<string, string> = {};
  const query: CatalogQuery = { ...DEFAULT_CATALOG_QUERY };
  const q = one("q");
  if (q !== null) {
    if (q.length > 100) errors.q = "Search for at most 100 characters";
    else query.q = q;
  }
  const model = one("model");
  if (model !== null) {
    if ((CLAUDE_MODELS as readonly string[]).includes(model)) query.model = model as ClaudeModel;
    else errors.model = "Unknown model";
  }
  const level = one("level");
  if (level !== null) {
    if ((QUOTA_LEVELS as readonly string[]).includes(level.toUpperCase())) query.level = level.toUpperCase() as QuotaLevel;
    else errors.level = "Quota level is HIGH, MEDIUM or LOW";
  }
  for (const [key, field] of [["min", "minPriceMinor"], ["max", "maxPriceMinor"]] as const) {
    const raw = one(key);
    if (raw === null) continue;
    const parsed = parseDecimalUnits(raw, 2);
    if (parsed.ok && parsed.units >= 0n && parsed.units <= 100_000_000_00n) query[field] = parsed.units;
    else errors[key] = "Enter a price such as 250 or 249.99";
  }
  if (query.minPriceMinor !== null && query.maxPriceMinor !== null && query.minPriceMinor > query.maxPriceMinor) {
    errors.max = "The highest price is below the lowest";
    query.maxPriceMinor = null;
  }
  const stock = one("stock");
  if (stock !== null) query.inStock = stock === "1" || stock === "true";
  const sort = one("sort");
  if (sort !== null) {
    if ((CATALOG_SORTS as readonly string[]).includes(sort)) query.sort = sort as CatalogSort;
    else errors.sort = "Unknown sort order";
  }
  const page = one("page");
  if (page !== null) {
    const n = Number(page);
    if (Number.isInteger(n) && n >= 1 && n <= 10_000) query.page = n;
    else errors.page = "Page is a whole number from 1";
  }
  return { query, errors };
}

export type CatalogPage = { items: AccountListing[]; total: number; page: number; pageSize: number; pages: number };

/**
 * The catalog, filtered, sorted and paginated in SQL. With 10,000 accounts (docs/benchmarks.md,
 * bench:catalog) the planner reads a quota level through accounts_level_idx and a model through
 * account_model_quotas_model_idx; stock, price bands and text match too large a share of the rows,
 * or (the display-name substring match) cannot use an index without pg_trgm, so they scan the
 * table, in about 10 ms. The storefront reads it through lib/store/catalog-cache.ts.
 */
export async function searchAccountListings(db: Executor, query: CatalogQuery): Promise<CatalogPage> {
  const conditions: (SQL | undefined)[] = [
    query.inStock ? inStock : undefined,
    query.level ? eq(accounts.quotaLevel, query.level) : undefined,
    query.minPriceMinor !== null ? gte(accounts.priceMinor, query.minPriceMinor) : undefined,
    query.maxPriceMinor !== null ? lte(accounts.priceMinor, query.maxPriceMinor) : undefined,
    query.model
      ? sql`exists (select 1 from ${accountModelQuotas} q where q.account_id = ${accounts.id} and q.model = ${query.model} and q.available and q.rpm > 0)`
      : undefined,
    query.q
      ? sql`(${accounts.search} @@ websearch_to_tsquery('simple', ${query.q}) or ${accounts.displayName} ilike ${`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`
      : undefined,
  ];
  const order =
    query.sort === "price_asc"
      ? [asc(accounts.priceMinor), asc(accounts.id)]
      : query.sort === "price_desc"
        ? [desc(accounts.priceMinor), asc(accounts.id)]
        : query.sort === "quota"
          ? [levelOrder, stockOrder, desc(accounts.priceMinor), asc(accounts.id)]
          : [stockOrder, levelOrder, desc(accounts.priceMinor), asc(accounts.id)];
  const rows = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      displayName: accounts.displayName,
      quotaLevel: accounts.quotaLevel,
      priceMinor: accounts.priceMinor,
      priceCurrency: accounts.priceCurrency,
      status: accounts.status,
      regions: accounts.regions,
      quotaUpdatedAt: accounts.quotaUpdatedAt,
      reserved: isReserved,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(accounts)
    .leftJoin(accountOrders, liveReservation)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const total = rows[0]?.total ?? (query.page > 1 ? await countListings(db, conditions) : 0);
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  return { items: await withModels(db, rows), total, page: query.page, pageSize: query.pageSize, pages };
}

async function countListings(db: Executor, conditions: (SQL | undefined)[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(accounts)
    .leftJoin(accountOrders, liveReservation)
    .where(and(...conditions));
  return row?.n ?? 0;
}

type ListingRow = {
  id: string;
  name: string;
  displayName: string;
  quotaLevel: QuotaLevel;
  priceMinor: bigint;
  priceCurrency: FiatCurrency;
  status: "AVAILABLE" | "MAINTENANCE" | "SOLD";
  regions: string[];
  quotaUpdatedAt: Date | null;
  reserved: boolean;
};

async function withModels(db: Executor, rows: ListingRow[]): Promise<AccountListing[]> {
  if (rows.length === 0) return [];

  const quotas = await db
    .select()
    .from(accountModelQuotas)
    .where(inArray(accountModelQuotas.accountId, rows.map((r) => r.id)));
  const byAccount = new Map<string, typeof quotas>();
  for (const q of quotas) byAccount.set(q.accountId, [...(byAccount.get(q.accountId) ?? []), q]);

  return rows.map((r) => {
    const top = primaryModels({ lastUpdated: r.quotaUpdatedAt ?? new Date(0), modelQuotas: byAccount.get(r.id) ?? [] });
    return {
      id: r.id,
      name: r.name,
      displayName: r.displayName,
      primaryModels: top.map((q) => ({ model: q.model, rpm: q.rpm, tpm: q.tpm })),
      quotaLevel: r.quotaLevel,
      price: money(r.priceMinor, r.priceCurrency) as Money & { asset: FiatCurrency },
      status: r.status,
      stockAvailable: r.status === "AVAILABLE" && !r.reserved,
      reserved: r.reserved,
      regions: r.regions,
      quotaUpdatedAt: r.quotaUpdatedAt,
    };
  });
}

/** The Catalog context's AccountDetail read model: every model's quota, and what the buyer gets. */
export type AccountDetail = {
  id: string;
  name: string;
  displayName: string;
  status: "AVAILABLE" | "MAINTENANCE" | "SOLD";
  quotaLevel: QuotaLevel;
  price: Money & { asset: FiatCurrency };
  regions: string[];
  instructions: string;
  features: string[];
  limitations: string[];
  quotaUpdatedAt: Date | null;
  modelQuotas: { model: ClaudeModel; rpm: number; tpm: number; tpd: number; available: boolean }[];
  /** AVAILABLE and not reserved: the account can be bought now. */
  stockAvailable: boolean;
  /** A reserved order holds the account for a buyer. */
  reserved: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One account for its public page (never its credentials), or null for an unknown or malformed id. */
export async function findAccountDetail(db: Executor, id: string): Promise<AccountDetail | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      displayName: accounts.displayName,
      status: accounts.status,
      quotaLevel: accounts.quotaLevel,
      priceMinor: accounts.priceMinor,
      priceCurrency: accounts.priceCurrency,
      regions: accounts.regions,
      instructions: accounts.instructions,
      features: accounts.features,
      limitations: accounts.limitations,
      quotaUpdatedAt: accounts.quotaUpdatedAt,
      reserved: isReserved,
    })
    .from(accounts)
    .leftJoin(accountOrders, liveReservation)
    .where(eq(accounts.id, id));
  if (!row) return null;
  const quotas = await db.select().from(accountModelQuotas).where(eq(accountModelQuotas.accountId, id));
  const rank = (m: ClaudeModel) => CLAUDE_MODELS.indexOf(m);
  const { priceMinor, priceCurrency, ...shown } = row;
  return {
    ...shown,
    stockAvailable: row.status === "AVAILABLE" && !row.reserved,
    price: money(priceMinor, priceCurrency) as Money & { asset: FiatCurrency },
    modelQuotas: quotas
      .map((q) => ({ model: q.model, rpm: q.rpm, tpm: q.tpm, tpd: q.tpd, available: q.available }))
      .sort((a, b) => Number(b.available) - Number(a.available) || rank(a.model) - rank(b.model)),
  };
}
