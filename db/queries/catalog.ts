import { asc, desc, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { accountModelQuotas, accounts } from "@/db/schema";
import { money, primaryModels, type ClaudeModel, type FiatCurrency, type Money } from "@/lib/domain";

/** The Catalog context's AccountListing read model. */
export type AccountListing = {
  id: string;
  name: string;
  displayName: string;
  primaryModels: { model: ClaudeModel; rpm: number; tpm: number }[];
  quotaLevel: "HIGH" | "MEDIUM" | "LOW";
  price: Money & { asset: FiatCurrency };
  status: "AVAILABLE" | "MAINTENANCE" | "SOLD";
  stockAvailable: boolean;
  regions: string[];
  quotaUpdatedAt: Date | null;
};

const levelOrder = sql`case ${accounts.quotaLevel} when 'HIGH' then 0 when 'MEDIUM' then 1 else 2 end`;
const stockOrder = sql`case ${accounts.status} when 'AVAILABLE' then 0 when 'MAINTENANCE' then 1 else 2 end`;

export async function listAccountListings(db: Executor): Promise<AccountListing[]> {
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
    })
    .from(accounts)
    .orderBy(stockOrder, levelOrder, desc(accounts.priceMinor), asc(accounts.id));
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
      stockAvailable: r.status === "AVAILABLE",
      regions: r.regions,
      quotaUpdatedAt: r.quotaUpdatedAt,
    };
  });
}
