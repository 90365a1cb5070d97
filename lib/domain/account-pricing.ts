// AccountPricingService: a suggested list price for an account, from its quota profile.
//
// FORMULA (integer minor units, no FX):
//   price = (levelBase[classifyQuotaLevel(profile)] + Σ perModel[m] for every usable model m)
//           × currencyMultiplier[currency]
// Amounts are defined in USD cents; EUR uses them 1:1 and CNY × 7 as round list prices,
// deliberately not a live rate. It is a suggestion: an admin sets the final price.
import type { FiatCurrency } from "./assets";
import type { ClaudeModel } from "./claude-models";
import { money, type Money } from "./money";
import { classifyQuotaLevel, isUsableModelQuota, type QuotaLevel, type QuotaProfile } from "./quota";

export interface AccountPricingTable {
  /** USD cents by quota level. */
  readonly levelBase: Readonly<Record<QuotaLevel, bigint>>;
  /** USD cents added for each usable model. */
  readonly perModel: Readonly<Record<ClaudeModel, bigint>>;
  readonly currencyMultiplier: Readonly<Record<FiatCurrency, bigint>>;
}

export const DEFAULT_ACCOUNT_PRICING: AccountPricingTable = Object.freeze({
  levelBase: Object.freeze({ HIGH: 30_000n, MEDIUM: 12_000n, LOW: 4_000n }),
  perModel: Object.freeze({
    "claude-4.0-opus-4-v1": 5_000n,
    "claude-4.0-sonnet-4-v1": 3_000n,
    "claude-3.7-sonnet-v1": 2_000n,
    "claude-3.5-sonnet-v2": 1_000n,
    "claude-3.5-sonnet": 500n,
    "claude-3.5-haiku": 500n,
  }),
  currencyMultiplier: Object.freeze({ USD: 1n, EUR: 1n, CNY: 7n }),
});

export function suggestAccountPrice(
  profile: QuotaProfile,
  currency: FiatCurrency,
  table: AccountPricingTable = DEFAULT_ACCOUNT_PRICING,
): Money {
  const base = table.levelBase[classifyQuotaLevel(profile)];
  const extras = profile.modelQuotas
    .filter(isUsableModelQuota)
    .reduce((sum, q) => sum + table.perModel[q.model], 0n);
  return money((base + extras) * table.currencyMultiplier[currency], currency);
}
