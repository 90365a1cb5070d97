// Claude models sold with marketplace accounts, their display names and ordering.
import { DomainError } from "./errors";

export const ClaudeModel = {
  CLAUDE_35_HAIKU: "claude-3.5-haiku",
  CLAUDE_35_SONNET: "claude-3.5-sonnet",
  CLAUDE_35_SONNET_V2: "claude-3.5-sonnet-v2",
  CLAUDE_37_SONNET_V1: "claude-3.7-sonnet-v1",
  CLAUDE_40_OPUS_4_V1: "claude-4.0-opus-4-v1",
  CLAUDE_40_SONNET_4_V1: "claude-4.0-sonnet-4-v1",
} as const;
export type ClaudeModel = (typeof ClaudeModel)[keyof typeof ClaudeModel];

export interface ClaudeModelInfo {
  readonly model: ClaudeModel;
  readonly displayName: string;
  /** 1 = listed first. Newer / more capable models rank first. */
  readonly rank: number;
}

export const CLAUDE_MODEL_INFO: Readonly<Record<ClaudeModel, ClaudeModelInfo>> = Object.freeze({
  "claude-4.0-opus-4-v1": Object.freeze({ model: "claude-4.0-opus-4-v1", displayName: "Claude Opus 4", rank: 1 }),
  "claude-4.0-sonnet-4-v1": Object.freeze({ model: "claude-4.0-sonnet-4-v1", displayName: "Claude Sonnet 4", rank: 2 }),
  "claude-3.7-sonnet-v1": Object.freeze({ model: "claude-3.7-sonnet-v1", displayName: "Claude 3.7 Sonnet", rank: 3 }),
  "claude-3.5-sonnet-v2": Object.freeze({ model: "claude-3.5-sonnet-v2", displayName: "Claude 3.5 Sonnet v2", rank: 4 }),
  "claude-3.5-sonnet": Object.freeze({ model: "claude-3.5-sonnet", displayName: "Claude 3.5 Sonnet", rank: 5 }),
  "claude-3.5-haiku": Object.freeze({ model: "claude-3.5-haiku", displayName: "Claude 3.5 Haiku", rank: 6 }),
} as const);

/** All models, best rank first. */
export const CLAUDE_MODELS: readonly ClaudeModel[] = Object.freeze(
  Object.values(CLAUDE_MODEL_INFO)
    .slice()
    .sort((a, b) => a.rank - b.rank)
    .map((info) => info.model),
);

export function isClaudeModel(value: unknown): value is ClaudeModel {
  return typeof value === "string" && Object.hasOwn(CLAUDE_MODEL_INFO, value);
}

export function getClaudeModelInfo(model: string): ClaudeModelInfo {
  if (!isClaudeModel(model)) {
    throw new DomainError("quota.unknown_model", `Unknown Claude model "${model}"`, { model });
  }
  return CLAUDE_MODEL_INFO[model];
}

export function getModelDisplayName(model: ClaudeModel): string {
  return getClaudeModelInfo(model).displayName;
}

/** Sort comparator: better (lower) rank first. */
export function compareModelRank(a: ClaudeModel, b: ClaudeModel): number {
  return getClaudeModelInfo(a).rank - getClaudeModelInfo(b).rank;
}

export interface QuotaLimits {
  readonly rpm: number;
  readonly tpm: number;
  readonly tpd: number;
}

/**
 * REFERENCE BASELINE: plausible AWS Bedrock on-demand default quotas for a fresh account
 * (per region). They are not authoritative AWS figures; they are the yardstick an account's
 * applied quotas are measured against to derive its QuotaLevel. tpd = tpm × 1 440 minutes.
 */
export const DEFAULT_MODEL_QUOTAS: Readonly<Record<ClaudeModel, QuotaLimits>> = Object.freeze({
  "claude-4.0-opus-4-v1": Object.freeze({ rpm: 50, tpm: 200_000, tpd: 288_000_000 }),
  "claude-4.0-sonnet-4-v1": Object.freeze({ rpm: 200, tpm: 200_000, tpd: 288_000_000 }),
  "claude-3.7-sonnet-v1": Object.freeze({ rpm: 250, tpm: 1_000_000, tpd: 1_440_000_000 }),
  "claude-3.5-sonnet-v2": Object.freeze({ rpm: 50, tpm: 400_000, tpd: 576_000_000 }),
  "claude-3.5-sonnet": Object.freeze({ rpm: 50, tpm: 400_000, tpd: 576_000_000 }),
  "claude-3.5-haiku": Object.freeze({ rpm: 1_000, tpm: 2_000_000, tpd: 2_880_000_000 }),
});
