// Bedrock quota names and model ids → the spec's ClaudeModel, and one ModelQuota per model.
//
// MATCHING
//   Quota codes (L-XXXXXXXX) differ per quota and change as AWS adds models, so quotas are read by
//   name at run time. A name is normalized (Unicode NFKC, lower case, runs of spaces collapsed) and
//   parsed with an anchored pattern; the model part must then equal one of the names below
//   exactly, with a trailing " v1" treated as absent (AWS writes "Claude 3.7 Sonnet V1" and
//   "Claude 3.5 Haiku" alike). Never a substring: "Claude Sonnet 4 V1 1M Context Length",
//   "Claude Sonnet 4.5", "Claude Opus 4.1" and "Claude 3.5 Sonnet V2" are other quotas.
//   Recognized shapes (both AWS wordings, any capitalisation):
//     "<scope> model inference|InvokeModel requests|tokens per minute for Anthropic <model>"
//       scope: "On-demand", "Cross-region", "Global cross-region"
//     "Model invocation max tokens per day for Anthropic <model>[ (doubled for cross-region calls)]"
//   Anything else (batch inference, provisioned model units, other vendors) is ignored.
//
// WHICH FIGURE A MODEL GETS
//   rpm/tpm: on-demand and cross-region quotas are separate pools and a buyer uses one path at a
//   time, so they are not added. The model takes the scope with the larger applied TPM (on-demand
//   on a tie: it needs no inference profile) and that scope's RPM; when that scope lists no RPM
//   quota, the other scope's RPM. Global cross-region quotas are ignored: they exist for few
//   models and the listing advertises region-bound throughput.
//   tpd: the model's "max tokens per day" quota, doubled when the chosen scope is cross-region (as
//   the quota's name says). Without a per-day quota: tpm × 1 440, which is how AWS derives the
//   per-day default from the per-minute quota.
//   available: the model is offered in the region (a foundation model or an inference profile).
//   A model appears in the profile when it is available or any of its figures is above zero: AWS
//   lists every model's quotas for every account, and a model neither offered nor granted any
//   quota is not part of what the account sells. (An account left with no model reads as all-zero.)
import { CLAUDE_MODELS, type ClaudeModel, type ModelQuota } from "@/lib/domain";

export type QuotaScope = "on_demand" | "cross_region" | "global_cross_region";

export type ParsedQuotaName =
  | { readonly model: ClaudeModel; readonly metric: "rpm" | "tpm"; readonly scope: QuotaScope }
  | { readonly model: ClaudeModel; readonly metric: "tpd" };

/** Normalized model part of a quota name (after "Anthropic ", trailing " v1" removed). */
const QUOTA_MODEL_NAMES: Readonly<Record<string, ClaudeModel>> = Object.freeze({
  "claude 3.5 haiku": "claude-3.5-haiku",
  "claude 3.5 sonnet": "claude-3.5-sonnet",
  "claude 3.5 sonnet v2": "claude-3.5-sonnet-v2",
  "claude 3.7 sonnet": "claude-3.7-sonnet-v1",
  "claude opus 4": "claude-4.0-opus-4-v1",
  "claude sonnet 4": "claude-4.0-sonnet-4-v1",
});

/** Bedrock foundation model ids; inference profiles add a geography prefix ("us.", "eu.", "apac."…). */
const BEDROCK_MODEL_IDS: Readonly<Record<string, ClaudeModel>> = Object.freeze({
  "anthropic.claude-3-5-haiku-20241022-v1:0": "claude-3.5-haiku",
  "anthropic.claude-3-5-sonnet-20240620-v1:0": "claude-3.5-sonnet",
  "anthropic.claude-3-5-sonnet-20241022-v2:0": "claude-3.5-sonnet-v2",
  "anthropic.claude-3-7-sonnet-20250219-v1:0": "claude-3.7-sonnet-v1",
  "anthropic.claude-opus-4-20250514-v1:0": "claude-4.0-opus-4-v1",
  "anthropic.claude-sonnet-4-20250514-v1:0": "claude-4.0-sonnet-4-v1",
});

const SCOPES: Readonly<Record<string, QuotaScope>> = Object.freeze({
  "on-demand": "on_demand",
  "cross-region": "cross_region",
  "global cross-region": "global_cross_region",
});

const PER_MINUTE = /^(on-demand|cross-region|global cross-region) (?:model inference|invokemodel) (requests|tokens) per minute for anthropic (.+)$/;
const PER_DAY = /^model invocation max tokens per day for anthropic (.+?)(?: \(doubled for cross-region calls\))?$/;
const MINUTES_PER_DAY = 1_440;

export function normalizeQuotaName(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

function modelOfQuotaName(modelPart: string): ClaudeModel | null {
  const key = modelPart.replace(/ v1$/, "");
  return Object.hasOwn(QUOTA_MODEL_NAMES, key) ? QUOTA_MODEL_NAMES[key]! : null;
}

/** The model, metric and scope a Bedrock quota name stands for; null for every other quota. */
export function parseQuotaName(name: string): ParsedQuotaName | null {
  const normalized = normalizeQuotaName(name);
  const perMinute = PER_MINUTE.exec(normalized);
  if (perMinute) {
    const model = modelOfQuotaName(perMinute[3]!);
    if (!model) return null;
    return { model, metric: perMinute[2] === "requests" ? "rpm" : "tpm", scope: SCOPES[perMinute[1]!]! };
  }
  const perDay = PER_DAY.exec(normalized);
  if (perDay) {
    const model = modelOfQuotaName(perDay[1]!);
    return model ? { model, metric: "tpd" } : null;
  }
  return null;
}

/** The ClaudeModel of a foundation model id or a system inference profile id, matched exactly. */
export function claudeModelOfBedrockId(id: string): ClaudeModel | null {
  const base = id.trim().replace(/^[a-z]+(?:-[a-z]+)?\.(?=anthropic\.)/, "");
  return Object.hasOwn(BEDROCK_MODEL_IDS, base) ? BEDROCK_MODEL_IDS[base]! : null;
}

/** A quota's value as a count: AWS sends doubles; a negative or non-finite value reads as 0. */
export function quotaCount(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER);
}

export type NamedQuotaValue = { readonly name: string; readonly value: number };

type Limits = { rpm?: number; tpm?: number };
type ModelFigures = { on_demand: Limits; cross_region: Limits; tpd?: number };

function collectFigures(quotas: readonly NamedQuotaValue[]): Map<ClaudeModel, ModelFigures> {
  const figures = new Map<ClaudeModel, ModelFigures>();
  for (const quota of quotas) {
    const parsed = parseQuotaName(quota.name);
    if (!parsed) continue;
    const entry = figures.get(parsed.model) ?? { on_demand: {}, cross_region: {} };
    figures.set(parsed.model, entry);
    if (parsed.metric === "tpd") entry.tpd = quotaCount(quota.value);
    else if (parsed.scope !== "global_cross_region") entry[parsed.scope][parsed.metric] = quotaCount(quota.value);
  }
  return figures;
}

function modelQuotaOf(model: ClaudeModel, figures: ModelFigures | undefined, available: boolean): ModelQuota {
  const onDemand = figures?.on_demand ?? {};
  const crossRegion = figures?.cross_region ?? {};
  const useCrossRegion = (crossRegion.tpm ?? 0) > (onDemand.tpm ?? 0);
  const [chosen, other] = useCrossRegion ? [crossRegion, onDemand] : [onDemand, crossRegion];
  const tpm = chosen.tpm ?? 0;
  const perDay = figures?.tpd;
  const tpd = perDay === undefined ? tpm * MINUTES_PER_DAY : useCrossRegion ? perDay * 2 : perDay;
  return {
    model,
    rpm: chosen.rpm ?? other.rpm ?? 0,
    tpm,
    tpd: Math.min(tpd, Number.MAX_SAFE_INTEGER),
    available,
  };
}

/** The account's ModelQuotas, best-ranked model first (rules in the comment at the top of this file). */
export function assembleModelQuotas(quotas: readonly NamedQuotaValue[], available: ReadonlySet<ClaudeModel>): ModelQuota[] {
  const figures = collectFigures(quotas);
  return CLAUDE_MODELS.map((m) => modelQuotaOf(m, figures.get(m), available.has(m))).filter((q) => q.available || q.rpm > 0 || q.tpm > 0 || q.tpd > 0);
}
