import { describe, expect, it } from "vitest";
import { niceCeiling, percentOf } from "@/components/charts/scale";
import { pickTicks } from "@/components/charts/bar-chart";
import { bucketLabel, formatCrypto, formatDuration, formatFiatAxis, formatRangeUtc, formatRate } from "@/lib/analytics/format";
import { analyticsHref, analyticsPeriodRange, parseAnalyticsParams } from "@/lib/analytics/periods";

const iso = (d: Date) => d.toISOString();

describe("analytics periods", () => {
  // 23:30 UTC on Dec 2 is already Dec 3 in most of Asia: the ranges must not care.
  const now = new Date("2026-12-02T23:30:00Z");

  it.each([
    ["7d", "2026-11-26T00:00:00.000Z", "2026-12-03T00:00:00.000Z", "day"],
    ["30d", "2026-11-03T00:00:00.000Z", "2026-12-03T00:00:00.000Z", "day"],
    ["90d", "2026-09-04T00:00:00.000Z", "2026-12-03T00:00:00.000Z", "week"],
    ["12m", "2026-01-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z", "month"],
  ] as const)("%s covers whole UTC days or months up to and including today", (period, from, to, bucket) => {
    const range = analyticsPeriodRange(period, now);
    expect([iso(range.from), iso(range.to), range.bucket]).toEqual([from, to, bucket]);
  });

  it("12 months crosses a year boundary from January", () => {
    const range = analyticsPeriodRange("12m", new Date("2027-01-15T00:00:00Z"));
    expect([iso(range.from), iso(range.to)]).toEqual(["2026-02-01T00:00:00.000Z", "2027-02-01T00:00:00.000Z"]);
  });

  it("reads period and mode from the URL, falling back with a notice", () => {
    expect(parseAnalyticsParams({})).toEqual({ period: "30d", mode: "live", notice: null });
    expect(parseAnalyticsParams({ period: "90d", mode: "test" })).toEqual({ period: "90d", mode: "test", notice: null });
    expect(parseAnalyticsParams({ period: ["12m", "7d"] }).period).toBe("12m");
    const bad = parseAnalyticsParams({ period: "1y", mode: "sandbox" });
    expect(bad.period).toBe("30d");
    expect(bad.mode).toBe("live");
    expect(bad.notice).toBe('Unknown period "1y": showing the last 30 days. Unknown mode "sandbox": showing live invoices.');
  });

  it("builds links that leave defaults out of the URL", () => {
    expect(analyticsHref({ period: "30d", mode: "live" })).toBe("/merchant/analytics");
    expect(analyticsHref({ period: "7d", mode: "test" })).toBe("/merchant/analytics?period=7d&mode=test");
  });
});

describe("analytics formats", () => {
  it.each([
    [0, "0 s"],
    [0.4, "0 s"],
    [45, "45 s"],
    [60, "1 min"],
    [252, "4 min 12 s"],
    [3600, "1 h"],
    [7500, "2 h 5 min"],
    [86_400 * 3 + 3600 * 4 + 59, "3 d 4 h"],
  ])("formatDuration(%s) = %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("formats rates, axis amounts, crypto and ranges exactly", () => {
    expect(formatRate(4 / 7)).toBe("57.1%");
    expect(formatRate(1)).toBe("100%");
    expect(formatFiatAxis(2000n, "USD")).toBe("$20");
    expect(formatFiatAxis(40n, "USD")).toBe("$0.40");
    expect(formatFiatAxis(0n, "EUR")).toBe("€0");
    expect(formatFiatAxis(500_000_000n, "USD")).toBe("$5M");
    expect(formatCrypto(720_000n, "BTC")).toBe("0.0072 BTC");
    expect(formatCrypto(1n, "ETH")).toBe("0.000000000000000001 ETH");
    expect(formatRangeUtc(new Date("2026-11-03T00:00:00Z"), new Date("2026-12-03T00:00:00Z"))).toBe("Nov 3, 2026 – Dec 2, 2026 (UTC)");
    expect(bucketLabel(new Date("2026-03-02T00:00:00Z"), "week")).toBe("Week of Mar 2");
    expect(bucketLabel(new Date("2026-03-01T00:00:00Z"), "month")).toBe("Mar 2026");
  });
});

describe("chart scale", () => {
  it.each([
    [0n, 1n],
    [1n, 1n],
    [3n, 4n],
    [5n, 5n],
    [7n, 10n],
    [18n, 20n],
    [1800n, 2000n],
    [4001n, 5000n],
    [123_456_789_012_345_678_901n, 200_000_000_000_000_000_000n],
  ])("niceCeiling(%s) = %s", (max, nice) => {
    expect(niceCeiling(max)).toBe(nice);
  });

  it("computes bar heights in integers, clamped to the axis", () => {
    expect(percentOf(1800n, 2000n)).toBe(90);
    expect(percentOf(1n, 3n)).toBe(33.33);
    expect(percentOf(0n, 10n)).toBe(0);
    expect(percentOf(50n, 10n)).toBe(100);
  });

  it("labels every bucket of a short series and spreads labels over a long one", () => {
    expect(pickTicks(0, 4)).toEqual([]);
    expect(pickTicks(3, 4)).toEqual([0, 1, 2]);
    expect(pickTicks(30, 4)).toEqual([0, 10, 19, 29]);
    expect(pickTicks(14, 7)).toEqual([0, 2, 4, 7, 9, 11, 13]);
  });
});
