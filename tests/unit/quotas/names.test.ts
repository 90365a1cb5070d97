import { describe, expect, it } from "vitest";
import { assembleModelQuotas, claudeModelOfBedrockId, normalizeQuotaName, parseQuotaName, quotaCount, type NamedQuotaValue } from "@/lib/quotas/names";

describe("parseQuotaName", () => {
  it.each([
    ["On-demand model inference requests per minute for Anthropic Claude 3.5 Sonnet", { model: "claude-3.5-sonnet", metric: "rpm", scope: "on_demand" }],
    ["On-demand model inference tokens per minute for Anthropic Claude 3.5 Sonnet V2", { model: "claude-3.5-sonnet-v2", metric: "tpm", scope: "on_demand" }],
    ["Cross-Region model inference tokens per minute for Anthropic Claude 3.5 Sonnet V2", { model: "claude-3.5-sonnet-v2", metric: "tpm", scope: "cross_region" }],
    ["Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4 V1", { model: "claude-4.0-sonnet-4-v1", metric: "tpm", scope: "cross_region" }],
    ["Cross-region model inference requests per minute for Anthropic Claude Opus 4 V1", { model: "claude-4.0-opus-4-v1", metric: "rpm", scope: "cross_region" }],
    ["On-demand InvokeModel tokens per minute for Anthropic Claude 3.7 Sonnet V1", { model: "claude-3.7-sonnet-v1", metric: "tpm", scope: "on_demand" }],
    ["Cross-Region InvokeModel tokens per minute for Anthropic Claude 3.5 Haiku", { model: "claude-3.5-haiku", metric: "tpm", scope: "cross_region" }],
    ["Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4 V1", { model: "claude-4.0-sonnet-4-v1", metric: "tpm", scope: "global_cross_region" }],
    ["Model invocation max tokens per day for Anthropic Claude Sonnet 4 V1 (doubled for cross-region calls)", { model: "claude-4.0-sonnet-4-v1", metric: "tpd" }],
    ["Model invocation max tokens per day for Anthropic Claude 3.5 Haiku", { model: "claude-3.5-haiku", metric: "tpd" }],
    ["  on-demand   MODEL inference tokens per minute for anthropic claude 3.5 haiku ", { model: "claude-3.5-haiku", metric: "tpm", scope: "on_demand" }],
  ])("%s", (name, expected) => {
    expect(parseQuotaName(name)).toEqual(expected);
  });

  it.each([
    "Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4 V1 1M Context Length",
    "Model invocation max tokens per day for Anthropic Claude Sonnet 4 V1 1M Context Length (doubled for cross-region calls)",
    "Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1",
    "Cross-region model inference tokens per minute for Anthropic Claude Opus 4.1",
    "On-demand model inference tokens per minute for Anthropic Claude 3 Sonnet",
    "On-demand model inference tokens per minute for Anthropic Claude 3.5 Sonnet V3",
    "On-demand model inference tokens per minute for Meta Llama 3.1 70B Instruct",
    "On-demand model inference tokens per minute for Claude 3.5 Haiku",
    "Batch inference input file size (in GB) for Claude 3.5 Sonnet V2",
    "Model units per provisioned model for Anthropic Claude 3.5 Sonnet V2",
    "Cross-Model Max Tokens Per Day",
    "On-demand model inference tokens per minute for Anthropic Claude 3.5 Haiku (preview)",
  ])("ignores %s", (name) => {
    expect(parseQuotaName(name)).toBeNull();
  });

  it("normalizes case, width and spacing only", () => {
    expect(normalizeQuotaName("  Cross-Region\tModel  inference ")).toBe("cross-region model inference");
  });
});

describe("claudeModelOfBedrockId", () => {
  it.each([
    ["anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3.5-haiku"],
    ["anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3.5-sonnet"],
    ["anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3.5-sonnet-v2"],
    ["us.anthropic.claude-3-7-sonnet-20250219-v1:0", "claude-3.7-sonnet-v1"],
    ["eu.anthropic.claude-sonnet-4-20250514-v1:0", "claude-4.0-sonnet-4-v1"],
    ["apac.anthropic.claude-opus-4-20250514-v1:0", "claude-4.0-opus-4-v1"],
    ["us-gov.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3.5-haiku"],
  ])("%s → %s", (id, model) => {
    expect(claudeModelOfBedrockId(id)).toBe(model);
  });

  it.each([
    "anthropic.claude-opus-4-1-20250805-v1:0",
    "us.anthropic.claude-opus-4-1-20250805-v1:0",
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-3-5-sonnet-20240620-v1:0:18k",
    "anthropic.claude-3-haiku-20240307-v1:0",
    "meta.llama3-1-70b-instruct-v1:0",
    "xanthropic.claude-3-5-haiku-20241022-v1:0",
  ])("does not match %s", (id) => {
    expect(claudeModelOfBedrockId(id)).toBeNull();
  });
});

describe("quotaCount", () => {
  it.each([
    [400000.0, 400_000],
    [12.9, 12],
    [0, 0],
    [-3, 0],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 0],
    [1e300, Number.MAX_SAFE_INTEGER],
  ])("%s → %s", (value, expected) => {
    expect(quotaCount(value)).toBe(expected);
  });
});

const q = (name: string, value: number): NamedQuotaValue => ({ name, value });
const S4 = "Anthropic Claude Sonnet 4 V1";

describe("assembleModelQuotas", () => {
  it("takes the scope with the larger TPM, its RPM, and doubles the per-day quota for cross-region", () => {
    const result = assembleModelQuotas(
      [
        q(`On-demand model inference requests per minute for ${S4}`, 200),
        q(`On-demand model inference tokens per minute for ${S4}`, 200_000),
        q(`Cross-region model inference requests per minute for ${S4}`, 1_000),
        q(`Cross-region model inference tokens per minute for ${S4}`, 2_000_000),
        q(`Model invocation max tokens per day for ${S4} (doubled for cross-region calls)`, 500_000_000),
        q(`Global cross-region model inference tokens per minute for ${S4}`, 90_000_000),
      ],
      new Set(["claude-4.0-sonnet-4-v1"]),
    );
    expect(result).toEqual([{ model: "claude-4.0-sonnet-4-v1", rpm: 1_000, tpm: 2_000_000, tpd: 1_000_000_000, available: true }]);
  });

  it("prefers on-demand on a tie and keeps the per-day quota as is", () => {
    const result = assembleModelQuotas(
      [
        q("On-demand model inference requests per minute for Anthropic Claude 3.5 Haiku", 1_000),
        q("On-demand model inference tokens per minute for Anthropic Claude 3.5 Haiku", 2_000_000),
        q("Cross-region model inference requests per minute for Anthropic Claude 3.5 Haiku", 3_000),
        q("Cross-region model inference tokens per minute for Anthropic Claude 3.5 Haiku", 2_000_000),
        q("Model invocation max tokens per day for Anthropic Claude 3.5 Haiku", 100),
      ],
      new Set(),
    );
    expect(result).toEqual([{ model: "claude-3.5-haiku", rpm: 1_000, tpm: 2_000_000, tpd: 100, available: false }]);
  });

  it("without a per-day quota derives tpd from tpm; without an RPM in the chosen scope takes the other's", () => {
    const result = assembleModelQuotas(
      [
        q("On-demand model inference requests per minute for Anthropic Claude 3.7 Sonnet V1", 250),
        q("Cross-region model inference tokens per minute for Anthropic Claude 3.7 Sonnet V1", 3_000_000),
      ],
      new Set(["claude-3.7-sonnet-v1"]),
    );
    expect(result).toEqual([{ model: "claude-3.7-sonnet-v1", rpm: 250, tpm: 3_000_000, tpd: 3_000_000 * 1_440, available: true }]);
  });

  it("lists available models and models with a quota, best rank first; drops the rest", () => {
    const result = assembleModelQuotas(
      [
        q("On-demand model inference tokens per minute for Anthropic Claude 3.5 Sonnet", 0),
        q("On-demand model inference tokens per minute for Anthropic Claude 3.5 Haiku", 5),
        q("Cross-region model inference tokens per minute for Anthropic Claude Opus 4.1", 9_000_000),
      ],
      new Set(["claude-4.0-opus-4-v1"]),
    );
    expect(result.map((m) => [m.model, m.tpm, m.available])).toEqual([
      ["claude-4.0-opus-4-v1", 0, true],
      ["claude-3.5-haiku", 5, false],
    ]);
  });

  it("an account with no usable quota yields an empty list", () => {
    expect(assembleModelQuotas([q("On-demand model inference tokens per minute for Meta Llama 3.1 70B Instruct", 300_000)], new Set())).toEqual([]);
  });
});
