import { describe, expect, it } from "vitest";
import { money, type FiatCurrency, type Money } from "@/lib/domain";
import { formatCount, formatFiat, formatRelativeTime } from "@/lib/format";

const fiat = (amount: bigint, asset: FiatCurrency) => money(amount, asset) as Money & { asset: FiatCurrency };

describe("formatFiat", () => {
  it.each([
    [4900n, "USD", "$49.00"],
    [123456789n, "USD", "$1,234,567.89"],
    [0n, "USD", "$0.00"],
    [1n, "USD", "$0.01"],
    [10n, "USD", "$0.10"],
    [5n, "EUR", "€0.05"],
    [89900n, "EUR", "€899.00"],
    [123450n, "CNY", "CN¥1,234.50"],
    [-1234n, "USD", "-$12.34"],
  ] as const)("%s minor units of %s → %s", (amount, asset, expected) => {
    expect(formatFiat(fiat(amount, asset))).toBe(expected);
  });

  it("formats amounts beyond Number.MAX_SAFE_INTEGER exactly (no float rounding)", () => {
    // 9007199254740993.12 is not representable as a double (it would print ...994.00 or ...992).
    expect(formatFiat(fiat(900719925474099312n, "USD"))).toBe("$9,007,199,254,740,993.12");
    expect(formatFiat(fiat(123456789012345678901n, "EUR"))).toBe("€1,234,567,890,123,456,789.01");
  });

  it("keeps cents that a float would lose", () => {
    // 0.1 + 0.2 style: 2^53 + 1 cents.
    expect(formatFiat(fiat(9007199254740993n, "USD"))).toBe("$90,071,992,547,409.93");
  });

  it("honours the locale argument", () => {
    const text = formatFiat(fiat(123456789n, "EUR"), "de-DE").replace(/\u00a0/g, " ");
    expect(text).toBe("1.234.567,89 €");
  });
});

describe("formatCount", () => {
  it.each([
    [0, "0"],
    [50, "50"],
    [999, "999"],
    [1_000, "1K"],
    [1_500, "1.5K"],
    [200_000, "200K"],
    [1_200_000, "1.2M"],
    [1_250_000, "1.3M"],
    [288_000_000, "288M"],
    [2_000_000_000, "2B"],
  ])("%d → %s", (n, expected) => {
    expect(formatCount(n)).toBe(expected);
  });
});

describe("formatRelativeTime", () => {
  const now = new Date("2025-06-15T12:00:00.000Z");
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it.each([
    [0, "now"],
    [-1, "1 second ago"],
    [-59, "59 seconds ago"],
    [-60, "1 minute ago"],
    [5 * 60, "in 5 minutes"],
    [-59 * 60, "59 minutes ago"],
    [-3_600, "1 hour ago"],
    [-2 * 3_600, "2 hours ago"],
    [3 * 3_600, "in 3 hours"],
    [-23 * 3_600, "23 hours ago"],
    [-86_400, "yesterday"],
    [86_400, "tomorrow"],
    [-3 * 86_400, "3 days ago"],
    [-30 * 86_400, "30 days ago"],
  ])("%d s from now → %s", (seconds, expected) => {
    expect(formatRelativeTime(at(seconds), now)).toBe(expected);
  });

  it("rounds to the nearest unit", () => {
    expect(formatRelativeTime(at(-100 * 60), now)).toBe("2 hours ago"); // 1.67 h
    expect(formatRelativeTime(at(-80 * 60), now)).toBe("1 hour ago"); // 1.33 h
    expect(formatRelativeTime(at(-40 * 3_600), now)).toBe("2 days ago"); // 1.67 d
    expect(formatRelativeTime(new Date(now.getTime() - 400), now)).toBe("now");
  });

  it("defaults `now` to the current time", () => {
    expect(formatRelativeTime(new Date(Date.now() - 5 * 60_000))).toBe("5 minutes ago");
  });
});
