// An account's applied Claude quotas and the QuotaLevel shown on its listing.
//
// QUOTA LEVEL RULE
//   1. Usable models = available && tpm > 0.
//   2. Take the primary models (top 3 usable by rank, see primaryModels).
//   3. For each, multiple = applied TPM / DEFAULT_MODEL_QUOTAS[model].tpm (in basis points,
//      integer math: 10 000 bps = 1× the default).
//   4. Score = the best (max) multiple among them — buyers choose an account for the models
//      the listing advertises, and one strongly raised flagship quota is what they pay for.
//   5. HIGH if score ≥ 4× default, MEDIUM if ≥ 1.5×, otherwise LOW.
//      No usable model (incl. an all-zero profile) → LOW.
import { DEFAULT_MODEL_QUOTAS, compareModelRank, isClaudeModel, type ClaudeModel } from "./claude-models";
import { DomainError } from "./errors";

export interface ModelQuota {
  readonly model: ClaudeModel;
  /** Requests per minute. Counts, not money: plain non-negative integers. */
  readonly rpm: number;
  /** Tokens per minute. */
  readonly tpm: number;
  /** Tokens per day. */
  readonly tpd: number;
  readonly available: boolean;
}

export interface QuotaProfile {
  readonly lastUpdated: Date;
  readonly modelQuotas: readonly ModelQuota[];
}

export const QuotaLevel = { HIGH: "HIGH", MEDIUM: "MEDIUM", LOW: "LOW" } as const;
export type QuotaLevel = (typeof QuotaLevel)[keyof typeof QuotaLevel];
export const QUOTA_LEVELS: readonly QuotaLevel[] = Object.freeze(["HIGH", "MEDIUM", "LOW"]);

/** Multiples of the default TPM, in basis points (10 000 = 1×). */
export const QUOTA_LEVEL_THRESHOLDS_BPS = Object.freeze({ HIGH: 40_000n, MEDIUM: 15_000n });

export const PRIMARY_MODEL_COUNT = 3;

function assertCount(model: string, field: "rpm" | "tpm" | "tpd", value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new DomainError(
      "quota.invalid_count",
      `${model} ${field} must be a non-negative integer, got ${String(value)}`,
      { model, field, value: String(value) },
    );
  }
  return value;
}

export function createModelQuota(input: ModelQuota): ModelQuota {
  const { model } = input;
  if (!isClaudeModel(model)) {
    throw new DomainError("quota.unknown_model", `Unknown Claude model "${String(model)}"`, {
      model: String(model),
    });
  }
  if (typeof input.available !== "boolean") {
    throw new DomainError("quota.invalid_available", `${model} available must be a boolean`, { model });
  }
  return Object.freeze({
    model,
    rpm: assertCount(model, "rpm", input.rpm),
    tpm: assertCount(model, "tpm", input.tpm),
    tpd: assertCount(model, "tpd", input.tpd),
    available: input.available,
  });
}

export function createQuotaProfile(input: QuotaProfile): QuotaProfile {
  if (!(input.lastUpdated instanceof Date) || Number.isNaN(input.lastUpdated.getTime())) {
    throw new DomainError("quota.invalid_date", "lastUpdated must be a valid date", {});
  }
  const seen = new Set<ClaudeModel>();
  const modelQuotas = input.modelQuotas.map((q) => {
    const quota = createModelQuota(q);
    if (seen.has(quota.model)) {
      throw new DomainError("quota.duplicate_model", `Model ${quota.model} is listed twice`, {
        model: quota.model,
      });
    }
    seen.add(quota.model);
    return quota;
  });
  return Object.freeze({
    lastUpdated: new Date(input.lastUpdated.getTime()),
    modelQuotas: Object.freeze(modelQuotas),
  });
}

export function isUsableModelQuota(quota: ModelQuota): boolean {
  return quota.available && quota.tpm > 0;
}

/** Every limit of every model is zero (an empty profile counts as all-zero). */
export function isAllZero(profile: QuotaProfile): boolean {
  return profile.modelQuotas.every((q) => q.rpm === 0 && q.tpm === 0 && q.tpd === 0);
}

/** Top `n` usable models: best rank first, then higher TPM. */
export function primaryModels(profile: QuotaProfile, n: number = PRIMARY_MODEL_COUNT): readonly ModelQuota[] {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new DomainError("quota.invalid_count", `n must be a non-negative integer, got ${n}`, { n });
  }
  return profile.modelQuotas
    .filter(isUsableModelQuota)
    .sort((a, b) => compareModelRank(a.model, b.model) || b.tpm - a.tpm)
    .slice(0, n);
}

/** Applied TPM as a multiple of the model's default, in basis points (floor). */
export function tpmMultipleBps(quota: ModelQuota): bigint {
  const baseline = BigInt(DEFAULT_MODEL_QUOTAS[quota.model].tpm);
  return (BigInt(quota.tpm) * 10_000n) / baseline;
}

export function quotaLevelForMultiple(multipleBps: bigint): QuotaLevel {
  if (multipleBps >= QUOTA_LEVEL_THRESHOLDS_BPS.HIGH) return "HIGH";
  if (multipleBps >= QUOTA_LEVEL_THRESHOLDS_BPS.MEDIUM) return "MEDIUM";
  return "LOW";
}

export function classifyQuotaLevel(profile: QuotaProfile): QuotaLevel {
  const primary = primaryModels(profile);
  if (primary.length === 0) return "LOW";
  let best = 0n;
  for (const quota of primary) {
    const multiple = tpmMultipleBps(quota);
    if (multiple > best) best = multiple;
  }
  return quotaLevelForMultiple(best);
}
