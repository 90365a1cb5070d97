import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLAUDE_MODELS,
  ClaudeModel,
  DEFAULT_MODEL_QUOTAS,
  DomainError,
  QUOTA_LEVELS,
  classifyQuotaLevel,
  createQuotaProfile,
  getModelDisplayName,
  isAllZero,
  primaryModels,
  tpmMultipleBps,
  type ModelQuota,
  type QuotaLevel,
} from "@/lib/domain";

const UPDATED = new Date("2025-06-01T00:00:00Z");
const q = (model: ClaudeModel, tpm: number, available = true, rpm = 10, tpd = tpm * 100): ModelQuota => ({
  model,
  rpm,
  tpm,
  tpd,
  available,
});
const profile = (...modelQuotas: ModelQuota[]) => createQuotaProfile({ lastUpdated: UPDATED, modelQuotas });

const OPUS = "claude-4.0-opus-4-v1"; // default tpm 200 000
const SONNET4 = "claude-4.0-sonnet-4-v1"; // default tpm 200 000
const SONNET37 = "claude-3.7-sonnet-v1"; // default tpm 1 000 000
const SONNET35V2 = "claude-3.5-sonnet-v2";
const SONNET35 = "claude-3.5-sonnet";
const HAIKU = "claude-3.5-haiku"; // default tpm 2 000 000

describe("Claude models", () => {
  it("has the spec's enum values", () => {
    expect(Object.values(ClaudeModel).sort()).toEqual(
      [
        "claude-3.5-haiku",
        "claude-3.5-sonnet",
        "claude-3.5-sonnet-v2",
        "claude-3.7-sonnet-v1",
        "claude-4.0-opus-4-v1",
        "claude-4.0-sonnet-4-v1",
      ].sort(),
    );
  });

  it.each([
    [HAIKU, "Claude 3.5 Haiku"],
    [SONNET35, "Claude 3.5 Sonnet"],
    [SONNET35V2, "Claude 3.5 Sonnet v2"],
    [SONNET37, "Claude 3.7 Sonnet"],
    [OPUS, "Claude Opus 4"],
    [SONNET4, "Claude Sonnet 4"],
  ] as const)("%s displays as %s", (model, name) => {
    expect(getModelDisplayName(model)).toBe(name);
  });

  it("orders newer / more capable first", () => {
    expect(CLAUDE_MODELS).toEqual([OPUS, SONNET4, SONNET37, SONNET35V2, SONNET35, HAIKU]);
  });

  it("has a default baseline for every model", () => {
    for (const model of CLAUDE_MODELS) {
      const d = DEFAULT_MODEL_QUOTAS[model];
      expect(d.rpm > 0 && d.tpm > 0 && d.tpd > 0).toBe(true);
    }
  });
});

describe("createQuotaProfile", () => {
  it.each<[string, ModelQuota[], string]>([
    ["duplicate model", [q(OPUS, 1), q(OPUS, 2)], "quota.duplicate_model"],
    ["negative rpm", [{ ...q(OPUS, 1), rpm: -1 }], "quota.invalid_count"],
    ["fractional tpm", [q(OPUS, 1.5)], "quota.invalid_count"],
    ["NaN tpd", [{ ...q(OPUS, 1), tpd: Number.NaN }], "quota.invalid_count"],
    ["infinite tpm", [q(OPUS, Number.POSITIVE_INFINITY)], "quota.invalid_count"],
    ["unknown model", [q("claude-2" as ClaudeModel, 1)], "quota.unknown_model"],
    ["non-boolean available", [{ ...q(OPUS, 1), available: "yes" as unknown as boolean }], "quota.invalid_available"],
  ])("rejects %s", (_label, modelQuotas, code) => {
    expect(() => createQuotaProfile({ lastUpdated: UPDATED, modelQuotas })).toThrow(DomainError);
    expect(() => createQuotaProfile({ lastUpdated: UPDATED, modelQuotas })).toThrow(expect.objectContaining({ code }));
  });

  it("rejects an invalid date", () => {
    expect(() => createQuotaProfile({ lastUpdated: new Date("x"), modelQuotas: [] })).toThrow(
      expect.objectContaining({ code: "quota.invalid_date" }),
    );
  });

  it("accepts zeros and an empty list", () => {
    expect(profile().modelQuotas).toEqual([]);
    expect(profile(q(OPUS, 0, false, 0, 0)).modelQuotas).toHaveLength(1);
  });
});

describe("classifyQuotaLevel (max TPM multiple of default over the top-3 usable models)", () => {
  it.each<[string, ModelQuota[], QuotaLevel]>([
    ["empty profile", [], "LOW"],
    ["all zero", [q(OPUS, 0, true, 0, 0), q(HAIKU, 0, true, 0, 0)], "LOW"],
    ["only unavailable models", [q(OPUS, 10_000_000, false)], "LOW"],
    ["opus at exactly 4×", [q(OPUS, 800_000)], "HIGH"],
    ["opus one token under 4×", [q(OPUS, 799_999)], "MEDIUM"],
    ["opus at exactly 1.5×", [q(OPUS, 300_000)], "MEDIUM"],
    ["opus one token under 1.5×", [q(OPUS, 299_999)], "LOW"],
    ["opus at default", [q(OPUS, 200_000)], "LOW"],
    ["3.7 Sonnet at 4× of its 1M default", [q(SONNET37, 4_000_000)], "HIGH"],
    ["3.7 Sonnet at 800k (< its default)", [q(SONNET37, 800_000)], "LOW"],
    ["best of the primary models wins", [q(OPUS, 200_000), q(SONNET37, 1_000_000), q(SONNET4, 1_000_000)], "HIGH"],
    ["a 4th-ranked model is not on the listing, so doesn't count", [q(OPUS, 200_000), q(SONNET4, 200_000), q(SONNET37, 1_000_000), q(HAIKU, 20_000_000)], "LOW"],
    ["an unavailable model doesn't push others off the listing", [q(OPUS, 200_000, false), q(SONNET4, 200_000), q(SONNET37, 1_000_000), q(HAIKU, 20_000_000)], "HIGH"],
  ])("%s → %s", (_label, quotas, level) => {
    expect(classifyQuotaLevel(profile(...quotas))).toBe(level);
  });

  it("tpmMultipleBps is applied/default in basis points", () => {
    expect(tpmMultipleBps(q(OPUS, 200_000))).toBe(10_000n);
    expect(tpmMultipleBps(q(OPUS, 300_000))).toBe(15_000n);
    expect(tpmMultipleBps(q(HAIKU, 1))).toBe(0n);
  });

  it("property: raising a usable model's TPM never lowers the level", () => {
    const rankOf = (l: QuotaLevel) => QUOTA_LEVELS.indexOf(l); // HIGH = 0
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...CLAUDE_MODELS), { minLength: 1 }),
        fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 6, maxLength: 6 }),
        fc.nat({ max: 5 }),
        fc.integer({ min: 1, max: 50_000_000 }),
        (models, tpms, pick, bump) => {
          const quotas = models.map((m, i) => q(m, tpms[i] ?? 1));
          const index = pick % quotas.length;
          const raised = quotas.map((x, i) => (i === index ? { ...x, tpm: x.tpm + bump } : x));
          expect(rankOf(classifyQuotaLevel(profile(...raised)))).toBeLessThanOrEqual(
            rankOf(classifyQuotaLevel(profile(...quotas))),
          );
        },
      ),
    );
  });
});

describe("primaryModels", () => {
  it("returns the top n usable models by rank", () => {
    const p = profile(q(HAIKU, 5), q(SONNET35, 5), q(OPUS, 0), q(SONNET37, 5, false), q(SONNET4, 5), q(SONNET35V2, 5));
    expect(primaryModels(p).map((m) => m.model)).toEqual([SONNET4, SONNET35V2, SONNET35]);
    expect(primaryModels(p, 1).map((m) => m.model)).toEqual([SONNET4]);
    expect(primaryModels(p, 10).map((m) => m.model)).toEqual([SONNET4, SONNET35V2, SONNET35, HAIKU]);
    expect(primaryModels(p, 0)).toEqual([]);
  });

  it("does not reorder the profile itself", () => {
    const p = profile(q(HAIKU, 5), q(OPUS, 5));
    primaryModels(p);
    expect(p.modelQuotas.map((m) => m.model)).toEqual([HAIKU, OPUS]);
  });

  it("rejects a negative or fractional n", () => {
    expect(() => primaryModels(profile(), -1)).toThrow(DomainError);
    expect(() => primaryModels(profile(), 1.5)).toThrow(DomainError);
  });
});

describe("isAllZero", () => {
  it.each<[string, ModelQuota[], boolean]>([
    ["empty", [], true],
    ["all zero", [q(OPUS, 0, true, 0, 0), q(HAIKU, 0, false, 0, 0)], true],
    ["one rpm", [q(OPUS, 0, true, 1, 0)], false],
    ["one tpd", [q(OPUS, 0, true, 0, 1)], false],
    ["one tpm", [q(OPUS, 1, true, 0, 0)], false],
  ])("%s → %s", (_label, quotas, expected) => {
    expect(isAllZero(profile(...quotas))).toBe(expected);
  });
});
