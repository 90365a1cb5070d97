import { customType, pgEnum, timestamp } from "drizzle-orm/pg-core";

/** Shared column types and enums used by more than one bounded context. */

export const fiatCurrencyEnum = pgEnum("fiat_currency", ["USD", "EUR", "CNY"]);
export const cryptoCurrencyEnum = pgEnum("crypto_currency", ["USDT", "BTC", "ETH"]);
export const networkEnum = pgEnum("blockchain_network", ["bitcoin", "ethereum", "tron"]);

/**
 * Crypto amounts in the asset's smallest unit. ETH has 18 decimals, so a wei count overflows a
 * bigint column past ~9.2 ETH: numeric(78,0) holds any uint256.
 */
export const cryptoAmount = customType<{ data: bigint; driverData: string }>({
  dataType: () => "numeric(78, 0)",
  toDriver: (value) => value.toString(),
  fromDriver: (value) => BigInt(value),
});

export const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
