import { customType, pgEnum, timestamp } from "drizzle-orm/pg-core";
import { CRYPTO_CURRENCIES, FIAT_CURRENCIES, NETWORKS } from "@/lib/domain";

/**
 * Shared column types and enums used by more than one bounded context. Enum values come from the
 * domain core, so the database and the domain cannot drift apart.
 */

export const fiatCurrencyEnum = pgEnum("fiat_currency", FIAT_CURRENCIES);
export const cryptoCurrencyEnum = pgEnum("crypto_currency", CRYPTO_CURRENCIES);
export const networkEnum = pgEnum("blockchain_network", NETWORKS);

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
