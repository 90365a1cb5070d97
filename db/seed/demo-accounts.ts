import { randomBytes } from "node:crypto";
import {
  classifyQuotaLevel,
  createQuotaProfile,
  DEFAULT_MODEL_QUOTAS,
  isAllZero,
  suggestAccountPrice,
  type ClaudeModel,
  type ModelQuota,
} from "@/lib/domain";

/** A dozen demo accounts with realistic Bedrock quota profiles over the spec's six models. */

type DemoAccount = {
  name: string;
  displayName: string;
  status: "AVAILABLE" | "MAINTENANCE" | "SOLD";
  priceMinor: bigint;
  regions: string[];
  /** Applied quota as a multiple of the default, in tenths; 0 = quota applied at zero; absent = not enabled. */
  multiples: Partial<Record<ClaudeModel, number>>;
  features: string[];
  limitations: string[];
};

const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    name: "opus-enterprise-use1",
    displayName: "Opus 4 Enterprise — us-east-1",
    status: "AVAILABLE",
    priceMinor: 89_900n,
    regions: ["us-east-1", "us-west-2"],
    multiples: { "claude-4.0-opus-4-v1": 100, "claude-4.0-sonnet-4-v1": 80, "claude-3.7-sonnet-v1": 50, "claude-3.5-sonnet-v2": 20, "claude-3.5-haiku": 10 },
    features: ["Cross-region inference profiles enabled", "Opus 4 at 10× the default TPM", "Organization-verified since 2023"],
    limitations: ["Provisioned throughput not included"],
  },
  {
    name: "sonnet4-high-usw2",
    displayName: "Sonnet 4 High Throughput — us-west-2",
    status: "AVAILABLE",
    priceMinor: 54_900n,
    regions: ["us-west-2"],
    multiples: { "claude-4.0-sonnet-4-v1": 60, "claude-3.7-sonnet-v1": 40, "claude-3.5-sonnet-v2": 20, "claude-3.5-haiku": 10 },
    features: ["Sonnet 4 at 6× the default TPM", "Billing history over 12 months"],
    limitations: ["Opus 4 not enabled"],
  },
  {
    name: "full-stack-euc1",
    displayName: "All Claude models — eu-central-1",
    status: "AVAILABLE",
    priceMinor: 64_900n,
    regions: ["eu-central-1", "eu-west-1"],
    multiples: { "claude-4.0-opus-4-v1": 40, "claude-4.0-sonnet-4-v1": 50, "claude-3.7-sonnet-v1": 30, "claude-3.5-sonnet-v2": 20, "claude-3.5-sonnet": 20, "claude-3.5-haiku": 15 },
    features: ["Every Claude model on Bedrock", "EU data residency"],
    limitations: ["EU regions only"],
  },
  {
    name: "sonnet37-mid-use1",
    displayName: "Claude 3.7 Sonnet Boosted — us-east-1",
    status: "AVAILABLE",
    priceMinor: 24_900n,
    regions: ["us-east-1"],
    multiples: { "claude-3.7-sonnet-v1": 30, "claude-3.5-sonnet-v2": 15, "claude-3.5-haiku": 10 },
    features: ["3.7 Sonnet at 3× the default TPM"],
    limitations: ["No Claude 4 models"],
  },
  {
    name: "sonnet4-mid-apne1",
    displayName: "Sonnet 4 Standard Plus — ap-northeast-1",
    status: "AVAILABLE",
    priceMinor: 29_900n,
    regions: ["ap-northeast-1"],
    multiples: { "claude-4.0-sonnet-4-v1": 20, "claude-3.7-sonnet-v1": 15, "claude-3.5-haiku": 10 },
    features: ["Low latency from East Asia", "Sonnet 4 at 2× the default TPM"],
    limitations: ["Tokyo region only"],
  },
  {
    name: "haiku-volume-use1",
    displayName: "Haiku Volume — us-east-1",
    status: "AVAILABLE",
    priceMinor: 9_900n,
    regions: ["us-east-1"],
    multiples: { "claude-3.5-haiku": 30, "claude-3.5-sonnet": 10 },
    features: ["High-volume 3.5 Haiku for classification and extraction"],
    limitations: ["No Claude 3.7 or 4 models"],
  },
  {
    name: "starter-usw2",
    displayName: "Starter — us-west-2",
    status: "AVAILABLE",
    priceMinor: 4_900n,
    regions: ["us-west-2"],
    multiples: { "claude-4.0-sonnet-4-v1": 10, "claude-3.7-sonnet-v1": 10, "claude-3.5-haiku": 10 },
    features: ["Default quotas, ready to use"],
    limitations: ["Default quotas only"],
  },
  {
    name: "opus-high-usw2",
    displayName: "Opus 4 High — us-west-2",
    status: "AVAILABLE",
    priceMinor: 69_900n,
    regions: ["us-west-2"],
    multiples: { "claude-4.0-opus-4-v1": 50, "claude-4.0-sonnet-4-v1": 40, "claude-3.5-haiku": 10 },
    features: ["Opus 4 at 5× the default TPM"],
    limitations: ["Claude 3.5 Sonnet not enabled"],
  },
  {
    name: "sonnet35v2-euw1",
    displayName: "3.5 Sonnet v2 Standard — eu-west-1",
    status: "AVAILABLE",
    priceMinor: 12_900n,
    regions: ["eu-west-1"],
    multiples: { "claude-3.5-sonnet-v2": 15, "claude-3.5-sonnet": 10, "claude-3.5-haiku": 10 },
    features: ["EU data residency"],
    limitations: ["No Claude 3.7 or 4 models"],
  },
  {
    name: "sonnet4-maint-use2",
    displayName: "Sonnet 4 High — us-east-2",
    status: "MAINTENANCE",
    priceMinor: 49_900n,
    regions: ["us-east-2"],
    multiples: { "claude-4.0-sonnet-4-v1": 50, "claude-3.7-sonnet-v1": 20 },
    features: ["Sonnet 4 at 5× the default TPM"],
    limitations: ["Temporarily unavailable while quotas are re-verified"],
  },
  {
    name: "review-zero-use1",
    displayName: "Quota review pending — us-east-1",
    status: "MAINTENANCE",
    priceMinor: 4_900n,
    regions: ["us-east-1"],
    multiples: { "claude-4.0-sonnet-4-v1": 0, "claude-3.7-sonnet-v1": 0, "claude-3.5-haiku": 0 },
    features: [],
    limitations: ["Applied quotas read as zero; under review"],
  },
  {
    name: "opus-sold-use1",
    displayName: "Opus 4 Enterprise II — us-east-1",
    status: "SOLD",
    priceMinor: 94_900n,
    regions: ["us-east-1"],
    multiples: { "claude-4.0-opus-4-v1": 120, "claude-4.0-sonnet-4-v1": 80, "claude-3.7-sonnet-v1": 40 },
    features: ["Opus 4 at 12× the default TPM"],
    limitations: [],
  },
];

export function buildDemoAccounts(now: Date) {
  return DEMO_ACCOUNTS.map((a, i) => {
    const modelQuotas: ModelQuota[] = Object.entries(a.multiples).map(([model, tenths]) => {
      const base = DEFAULT_MODEL_QUOTAS[model as ClaudeModel];
      const scale = (n: number) => Math.round((n * tenths) / 10);
      return { model: model as ClaudeModel, rpm: scale(base.rpm), tpm: scale(base.tpm), tpd: scale(base.tpd), available: tenths > 0 };
    });
    const profile = createQuotaProfile({ lastUpdated: new Date(now.getTime() - (i + 1) * 3_600_000), modelQuotas });
    return {
      account: a,
      profile,
      quotaLevel: classifyQuotaLevel(profile),
      needsReview: isAllZero(profile),
      suggestedPriceMinor: suggestAccountPrice(profile, "USD").amount,
      // Fake but correctly shaped: 20-character key id, 40-character secret.
      accessKeyId: `AKIADEMO${String(i + 1).padStart(12, "0")}`,
      secretAccessKey: randomBytes(30).toString("base64"),
    };
  });
}
