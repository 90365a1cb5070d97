import { describe, expect, it } from "vitest";
import {
  DEFAULT_ACCOUNT_PRICING,
  createQuotaProfile,
  money,
  suggestAccountPrice,
  type FiatCurrency,
  type ModelQuota,
} from "@/lib/domain";

const q = (model: ModelQuota["model"], tpm: number, available = true): ModelQuota => ({
  model,
  rpm: 10,
  tpm,
  tpd: tpm * 100,
  available,
});
const profile = (...modelQuotas: ModelQuota[]) => createQuotaProfile({ lastUpdated: new Date(0), modelQuotas });

describe("suggestAccountPrice = (level base + Σ usable model increments) × currency multiplier", () => {
  it.each<[string, ModelQuota[], FiatCurrency, bigint]>([
    ["empty → LOW base", [], "USD", 4_000n],
    ["HIGH opus", [q("claude-4.0-opus-4-v1", 800_000)], "USD", 30_000n + 5_000n],
    ["HIGH opus in CNY", [q("claude-4.0-opus-4-v1", 800_000)], "CNY", (30_000n + 5_000n) * 7n],
    ["HIGH opus in EUR", [q("claude-4.0-opus-4-v1", 800_000)], "EUR", 35_000n],
    ["MEDIUM sonnet 4 + haiku", [q("claude-4.0-sonnet-4-v1", 300_000), q("claude-3.5-haiku", 1)], "USD", 12_000n + 3_000n + 500n],
    ["LOW; unavailable and zero-TPM models add nothing", [q("claude-3.7-sonnet-v1", 1_000_000), q("claude-4.0-opus-4-v1", 0), q("claude-3.5-sonnet", 9, false)], "USD", 4_000n + 2_000n],
  ])("%s", (_label, quotas, currency, expected) => {
    expect(suggestAccountPrice(profile(...quotas), currency)).toEqual(money(expected, currency));
  });

  it("accepts a custom pricing table", () => {
    const table = { ...DEFAULT_ACCOUNT_PRICING, levelBase: { HIGH: 1n, MEDIUM: 1n, LOW: 1n } };
    expect(suggestAccountPrice(profile(), "USD", table)).toEqual(money(1n, "USD"));
  });
});
