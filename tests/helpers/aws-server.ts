/**
 * A local AWS stand-in for the quota refresh: node:http on 127.0.0.1 speaking the three protocols
 * the SDK clients use, through their `endpoint` setting, with responses shaped like AWS's:
 *
 *   STS            query protocol: POST form Action=GetCallerIdentity&Version=2011-06-15 → XML
 *   Service Quotas JSON 1.1: POST /, X-Amz-Target ServiceQuotasV20190624.ListServiceQuotas and
 *                  .ListAWSDefaultServiceQuotas, MaxResults/NextToken (pages of `pageSize` at most)
 *   Bedrock        REST JSON: GET /foundation-models, GET /inference-profiles (maxResults/nextToken)
 *
 * Every request must carry a SigV4 Authorization header whose credential scope names the right
 * service; the access key id in Credential= selects the account's behaviour. When the account's
 * secret is known the signature is verified (a wrong secret gets SignatureDoesNotMatch). Errors use
 * each protocol's real error shape. The quota list holds, besides the Claude quotas, the noise a
 * real account shows: other vendors, batch and provisioned quotas, "V2", "4.1", "4.5", global
 * cross-region and "1M Context Length" variants, so name mapping is really exercised.
 *
 * `scripts/local-aws.ts` serves the same data for development and the browser tests.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CLAUDE_MODELS, DEFAULT_MODEL_QUOTAS, type ClaudeModel, type ModelQuota } from "@/lib/domain";

// ---- account set-ups ----------------------------------------------------------------------------

type Limits = { rpm?: number; tpm?: number };

/** One model's applied quotas. An omitted figure has no applied value: AWS's default applies. */
export type ModelSetup = { onDemand?: Limits; crossRegion?: Limits; tpd?: number; available: boolean };

export type AwsServiceName = "sts" | "servicequotas" | "bedrock";
export type AwsFailureKind = "invalid" | "signature" | "expired" | "throttled" | "access_denied" | "region_not_enabled" | "internal";

export type AccountSetup = {
  /** 12 digits. */
  awsAccountId?: string;
  /** Models not listed have their quotas applied at zero and are not offered. */
  models: Partial<Record<ClaudeModel, ModelSetup>>;
  /** When set, signatures are verified against it. */
  secretAccessKey?: string;
  /** When set, X-Amz-Security-Token must equal it. */
  sessionToken?: string;
  /** Every call to `service` (default: sts, the first call) fails this way. */
  failure?: { kind: AwsFailureKind; service?: AwsServiceName };
  /** Calls to this service are never answered. */
  hang?: AwsServiceName;
  /** STS answers RegionDisabledException in these regions. */
  disabledRegions?: string[];
  /** Available models offered through an inference profile only (not in ListFoundationModels). */
  profileOnly?: ClaudeModel[];
};

/** A profile as the seed and the tests state it, as the AWS quotas that produce it. */
export function setupFromModelQuotas(quotas: readonly ModelQuota[]): AccountSetup {
  const models: AccountSetup["models"] = {};
  for (const q of quotas) {
    models[q.model] = { onDemand: { rpm: q.rpm, tpm: q.tpm }, crossRegion: { rpm: q.rpm, tpm: q.tpm }, tpd: q.tpd, available: q.available };
  }
  return { models };
}

/** What any unknown AKIA/ASIA key gets: a healthy account with raised Sonnet quotas. */
export const HEALTHY_SETUP: AccountSetup = {
  awsAccountId: "210987654321",
  models: {
    "claude-4.0-sonnet-4-v1": { onDemand: { rpm: 200, tpm: 200_000 }, crossRegion: { rpm: 1_000, tpm: 1_000_000 }, tpd: 720_000_000, available: true },
    "claude-3.7-sonnet-v1": { onDemand: { rpm: 500, tpm: 2_000_000 }, crossRegion: { rpm: 500, tpm: 1_000_000 }, available: true },
    "claude-3.5-sonnet-v2": { available: true },
    "claude-3.5-haiku": { onDemand: { rpm: 1_000, tpm: 2_000_000 }, tpd: 2_880_000_000, available: true },
  },
};

/**
 * Key ids whose prefix picks a failure, for the browser tests and local use:
 * AKIAINVALID…, AKIAEXPIRED…, AKIATHROTTLE…, AKIADENIED…, AKIAOPTIN…, AKIAZERO… (all quotas zero).
 */
export function setupForKeyPrefix(accessKeyId: string): AccountSetup | null {
  const rules: [RegExp, AccountSetup][] = [
    [/^(AKIA|ASIA)INVALID/, { models: {}, failure: { kind: "invalid" } }],
    [/^(AKIA|ASIA)EXPIRED/, { models: {}, failure: { kind: "expired" } }],
    [/^(AKIA|ASIA)THROTTLE/, { models: {}, failure: { kind: "throttled", service: "servicequotas" } }],
    [/^(AKIA|ASIA)DENIED/, { models: {}, failure: { kind: "access_denied", service: "servicequotas" } }],
    [/^(AKIA|ASIA)OPTIN/, { models: {}, failure: { kind: "region_not_enabled" } }],
    [/^(AKIA|ASIA)ZERO/, { models: {} }],
  ];
  return rules.find(([pattern]) => pattern.test(accessKeyId))?.[1] ?? null;
}

// ---- quota catalogue ----------------------------------------------------------------------------

/** How AWS writes each model in quota names. */
const QUOTA_MODEL_NAME: Record<ClaudeModel, string> = {
  "claude-3.5-haiku": "Claude 3.5 Haiku",
  "claude-3.5-sonnet": "Claude 3.5 Sonnet",
  "claude-3.5-sonnet-v2": "Claude 3.5 Sonnet V2",
  "claude-3.7-sonnet-v1": "Claude 3.7 Sonnet V1",
  "claude-4.0-opus-4-v1": "Claude Opus 4 V1",
  "claude-4.0-sonnet-4-v1": "Claude Sonnet 4 V1",
};

export const BEDROCK_MODEL_ID: Record<ClaudeModel, string> = {
  "claude-3.5-haiku": "anthropic.claude-3-5-haiku-20241022-v1:0",
  "claude-3.5-sonnet": "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "claude-3.5-sonnet-v2": "anthropic.claude-3-5-sonnet-20241022-v2:0",
  "claude-3.7-sonnet-v1": "anthropic.claude-3-7-sonnet-20250219-v1:0",
  "claude-4.0-opus-4-v1": "anthropic.claude-opus-4-20250514-v1:0",
  "claude-4.0-sonnet-4-v1": "anthropic.claude-sonnet-4-20250514-v1:0",
};

type QuotaDef = { name: string; defaultValue: number; period: "MINUTE" | "DAY" | null; adjustable: boolean; unit?: string };

const perMinute = (scope: string, metric: "requests" | "tokens", model: string) => `${scope} model inference ${metric} per minute for Anthropic ${model}`;
const perDay = (model: string) => `Model invocation max tokens per day for Anthropic ${model} (doubled for cross-region calls)`;

function claudeQuotaDefs(model: ClaudeModel): { onDemandRpm: QuotaDef; onDemandTpm: QuotaDef; crossRpm: QuotaDef; crossTpm: QuotaDef; tpd: QuotaDef } {
  const name = QUOTA_MODEL_NAME[model];
  const d = DEFAULT_MODEL_QUOTAS[model];
  // AWS spells it "Cross-Region" for some models: matching must not care.
  const cross = model === "claude-3.5-sonnet-v2" ? "Cross-Region" : "Cross-region";
  return {
    onDemandRpm: { name: perMinute("On-demand", "requests", name), defaultValue: d.rpm, period: "MINUTE", adjustable: false },
    onDemandTpm: { name: perMinute("On-demand", "tokens", name), defaultValue: d.tpm, period: "MINUTE", adjustable: false },
    crossRpm: { name: perMinute(cross, "requests", name), defaultValue: d.rpm * 2, period: "MINUTE", adjustable: true },
    crossTpm: { name: perMinute(cross, "tokens", name), defaultValue: d.tpm * 2, period: "MINUTE", adjustable: true },
    tpd: { name: perDay(name), defaultValue: d.tpd, period: "DAY", adjustable: true },
  };
}

/** Quotas that must not be mistaken for the six models', with values that would show if they were. */
const NOISE: { def: QuotaDef; applied?: number }[] = [
  { def: { name: perMinute("Cross-region", "tokens", "Claude Sonnet 4 V1 1M Context Length"), defaultValue: 1_000_000, period: "MINUTE", adjustable: true }, applied: 77_000_000 },
  { def: { name: perDay("Claude Sonnet 4 V1 1M Context Length"), defaultValue: 1_440_000_000, period: "DAY", adjustable: true }, applied: 99_000_000_000 },
  { def: { name: perMinute("Cross-region", "tokens", "Claude Sonnet 4.5 V1"), defaultValue: 2_000_000, period: "MINUTE", adjustable: true }, applied: 66_000_000 },
  { def: { name: perMinute("Cross-region", "requests", "Claude Sonnet 4.5 V1"), defaultValue: 200, period: "MINUTE", adjustable: true }, applied: 6_600 },
  { def: { name: perMinute("Cross-region", "tokens", "Claude Opus 4.1"), defaultValue: 500_000, period: "MINUTE", adjustable: true }, applied: 55_000_000 },
  { def: { name: perMinute("On-demand", "tokens", "Claude Opus 4.1"), defaultValue: 200_000, period: "MINUTE", adjustable: false } },
  { def: { name: perMinute("Global cross-region", "tokens", "Claude Sonnet 4 V1"), defaultValue: 2_000_000, period: "MINUTE", adjustable: true }, applied: 88_000_000 },
  { def: { name: perMinute("On-demand", "tokens", "Claude 3 Sonnet"), defaultValue: 400_000, period: "MINUTE", adjustable: false }, applied: 44_000_000 },
  { def: { name: perMinute("On-demand", "requests", "Claude 3 Haiku"), defaultValue: 1_000, period: "MINUTE", adjustable: false } },
  { def: { name: "On-demand model inference tokens per minute for Meta Llama 3.1 70B Instruct", defaultValue: 300_000, period: "MINUTE", adjustable: false }, applied: 33_000_000 },
  { def: { name: "Cross-region model inference tokens per minute for Meta Llama 3.3 70B Instruct", defaultValue: 600_000, period: "MINUTE", adjustable: true } },
  { def: { name: "On-demand model inference requests per minute for Amazon Titan Text Embeddings V2", defaultValue: 6_000, period: "MINUTE", adjustable: false } },
  { def: { name: "Cross-region model inference tokens per minute for Amazon Nova Pro", defaultValue: 1_000_000, period: "MINUTE", adjustable: true } },
  { def: { name: "Batch inference input file size (in GB) for Claude 3.5 Sonnet V2", defaultValue: 1, period: null, adjustable: true, unit: "Gigabytes" } },
  { def: { name: "Records per batch inference job for Claude Sonnet 4 V1", defaultValue: 50_000, period: null, adjustable: true } },
  { def: { name: "Model units per provisioned model for Anthropic Claude 3.5 Sonnet V2", defaultValue: 0, period: null, adjustable: true } },
  { def: { name: "Cross-Model Max Tokens Per Day", defaultValue: 5_000_000_000, period: "DAY", adjustable: true } },
];

/** Real codes look like L-59759B4A; these are stable per name so applied and default lists agree. */
export function quotaCodeFor(name: string): string {
  return `L-${createHash("sha256").update(name).digest("hex").slice(0, 8).toUpperCase()}`;
}

function serviceQuota(def: QuotaDef, value: number, region: string, accountId: string | null) {
  const code = quotaCodeFor(def.name);
  return {
    ServiceCode: "bedrock",
    ServiceName: "Amazon Bedrock",
    QuotaArn: `arn:aws:servicequotas:${region}:${accountId ?? ""}:bedrock/${code}`,
    QuotaCode: code,
    QuotaName: def.name,
    Value: value,
    Unit: def.unit ?? "None",
    Adjustable: def.adjustable,
    GlobalQuota: false,
    ...(def.period ? { Period: { PeriodValue: 1, PeriodUnit: def.period } } : {}),
    QuotaAppliedAtLevel: "ACCOUNT",
    Description: `The maximum for ${def.name.replace(/^\S+ /, "").toLowerCase()}.`,
  };
}

type ServiceQuotaJson = ReturnType<typeof serviceQuota>;

export function defaultQuotaList(region: string): ServiceQuotaJson[] {
  const defs = [...CLAUDE_MODELS.flatMap((m) => Object.values(claudeQuotaDefs(m))), ...NOISE.map((n) => n.def)];
  return defs.map((def) => serviceQuota(def, def.defaultValue, region, null));
}

function appliedClaudeQuotas(model: ClaudeModel, setup: ModelSetup | undefined): [QuotaDef, number | undefined][] {
  const defs = claudeQuotaDefs(model);
  // Not listed: the account has no access, AWS reports the quotas applied at zero.
  const s = setup ?? { onDemand: { rpm: 0, tpm: 0 }, crossRegion: { rpm: 0, tpm: 0 }, tpd: 0, available: false };
  return [
    [defs.onDemandRpm, s.onDemand?.rpm],
    [defs.onDemandTpm, s.onDemand?.tpm],
    [defs.crossRpm, s.crossRegion?.rpm],
    [defs.crossTpm, s.crossRegion?.tpm],
    [defs.tpd, s.tpd],
  ];
}

export function appliedQuotaList(setup: AccountSetup, region: string): ServiceQuotaJson[] {
  const accountId = setup.awsAccountId ?? "123456789012";
  const claude = CLAUDE_MODELS.flatMap((m) => appliedClaudeQuotas(m, setup.models[m]));
  const noise = NOISE.map((n): [QuotaDef, number | undefined] => [n.def, n.applied]);
  return [...claude, ...noise]
    .filter((entry): entry is [QuotaDef, number] => entry[1] !== undefined)
    .map(([def, value]) => serviceQuota(def, value, region, accountId));
}

// ---- Bedrock models -----------------------------------------------------------------------------

/** Offered in every region and never one of the six: Opus 4.1 and Sonnet 4.5 above all. */
const OTHER_FOUNDATION_MODELS: [string, string, string][] = [
  ["amazon.titan-text-express-v1", "Titan Text G1 - Express", "Amazon"],
  ["amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2", "Amazon"],
  ["meta.llama3-1-70b-instruct-v1:0", "Llama 3.1 70B Instruct", "Meta"],
  ["anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku", "Anthropic"],
  ["anthropic.claude-3-5-sonnet-20240620-v1:0:18k", "Claude 3.5 Sonnet", "Anthropic"],
  ["anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", "Anthropic"],
  ["anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", "Anthropic"],
];

function geographyOf(region: string): string {
  if (region.startsWith("eu-")) return "eu";
  if (region.startsWith("ap-")) return "apac";
  return "us";
}

function offeredModels(setup: AccountSetup): ClaudeModel[] {
  return CLAUDE_MODELS.filter((m) => setup.models[m]?.available);
}

function foundationModelSummaries(setup: AccountSetup, region: string) {
  const claude = offeredModels(setup)
    .filter((m) => !setup.profileOnly?.includes(m))
    .map((m): [string, string, string] => [BEDROCK_MODEL_ID[m], QUOTA_MODEL_NAME[m].replace(/ V1$/, ""), "Anthropic"]);
  return [...OTHER_FOUNDATION_MODELS, ...claude].map(([modelId, modelName, providerName]) => ({
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${modelId}`,
    modelId,
    modelName,
    providerName,
    inputModalities: ["TEXT"],
    outputModalities: ["TEXT"],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: modelId.endsWith(":18k") ? ["PROVISIONED"] : ["ON_DEMAND", "INFERENCE_PROFILE"],
    modelLifecycle: { status: "ACTIVE" },
  }));
}

function inferenceProfileSummaries(setup: AccountSetup, region: string) {
  const geo = geographyOf(region);
  const accountId = setup.awsAccountId ?? "123456789012";
  const ids = [...offeredModels(setup).map((m) => BEDROCK_MODEL_ID[m]), "anthropic.claude-opus-4-1-20250805-v1:0", "meta.llama3-1-70b-instruct-v1:0"];
  return ids.map((modelId) => ({
    inferenceProfileName: `${geo.toUpperCase()} ${modelId}`,
    description: `Routes requests to ${modelId} in ${geo} regions.`,
    createdAt: "2025-05-22T00:00:00Z",
    updatedAt: "2025-05-22T00:00:00Z",
    inferenceProfileArn: `arn:aws:bedrock:${region}:${accountId}:inference-profile/${geo}.${modelId}`,
    models: [{ modelArn: `arn:aws:bedrock:${region}::foundation-model/${modelId}` }],
    inferenceProfileId: `${geo}.${modelId}`,
    status: "ACTIVE",
    type: "SYSTEM_DEFINED",
  }));
}

// ---- SigV4 --------------------------------------------------------------------------------------

type SigV4 = { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[]; signature: string };

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function parseAuthorization(header: string | undefined): SigV4 | null {
  const m = AUTH_PATTERN.exec(header ?? "");
  if (!m) return null;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]!, signedHeaders: m[5]!.split(";"), signature: m[6]! };
}

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return "";
  return rawQuery
    .split("&")
    .map((pair) => pair.split("=").map((part) => rfc3986(decodeURIComponent(part.replace(/\+/g, " ")))))
    .map(([k, v]) => [k ?? "", v ?? ""])
    .sort(([a, av], [b, bv]) => (a! < b! ? -1 : a! > b! ? 1 : av! < bv! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function signatureMatches(req: IncomingMessage, body: Buffer, auth: SigV4, secret: string): boolean {
  const [path = "/", query = ""] = (req.url ?? "/").split("?");
  const headerValue = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ");
  };
  const canonicalRequest = [
    req.method,
    path,
    canonicalQuery(query),
    auth.signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join(""),
    auth.signedHeaders.join(";"),
    sha256Hex(body),
  ].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", headerValue("x-amz-date"), scope, sha256Hex(canonicalRequest)].join("\n");
  let key = hmac(`AWS4${secret}`, auth.date);
  for (const part of [auth.region, auth.service, "aws4_request"]) key = hmac(key, part);
  const expected = createHmac("sha256", key).update(stringToSign).digest();
  return timingSafeEqual(expected, Buffer.from(auth.signature, "hex"));
}

// ---- error shapes -------------------------------------------------------------------------------

type AwsError = { status: Record<AwsServiceName, number>; code: Record<AwsServiceName, string>; message: string };

const ERRORS: Record<AwsFailureKind | "missing_auth", AwsError> = {
  invalid: {
    status: { sts: 403, servicequotas: 400, bedrock: 403 },
    code: { sts: "InvalidClientTokenId", servicequotas: "UnrecognizedClientException", bedrock: "UnrecognizedClientException" },
    message: "The security token included in the request is invalid.",
  },
  signature: {
    status: { sts: 403, servicequotas: 400, bedrock: 403 },
    code: { sts: "SignatureDoesNotMatch", servicequotas: "InvalidSignatureException", bedrock: "InvalidSignatureException" },
    message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
  },
  expired: {
    status: { sts: 400, servicequotas: 400, bedrock: 403 },
    code: { sts: "ExpiredToken", servicequotas: "ExpiredTokenException", bedrock: "ExpiredTokenException" },
    message: "The security token included in the request is expired",
  },
  throttled: {
    status: { sts: 400, servicequotas: 400, bedrock: 429 },
    code: { sts: "Throttling", servicequotas: "TooManyRequestsException", bedrock: "ThrottlingException" },
    message: "Rate exceeded",
  },
  access_denied: {
    status: { sts: 403, servicequotas: 400, bedrock: 403 },
    code: { sts: "AccessDenied", servicequotas: "AccessDeniedException", bedrock: "AccessDeniedException" },
    message: "User: arn:aws:iam::123456789012:user/quota-reader is not authorized to perform this action",
  },
  region_not_enabled: {
    status: { sts: 403, servicequotas: 400, bedrock: 403 },
    code: { sts: "RegionDisabledException", servicequotas: "UnrecognizedClientException", bedrock: "UnrecognizedClientException" },
    message: "STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.",
  },
  internal: {
    status: { sts: 500, servicequotas: 500, bedrock: 500 },
    code: { sts: "InternalFailure", servicequotas: "ServiceException", bedrock: "InternalServerException" },
    message: "We encountered an internal error. Please try again.",
  },
  missing_auth: {
    status: { sts: 403, servicequotas: 400, bedrock: 403 },
    code: { sts: "MissingAuthenticationToken", servicequotas: "MissingAuthenticationTokenException", bedrock: "MissingAuthenticationTokenException" },
    message: "Request is missing Authentication Token",
  },
};

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An error in the shape `service`'s protocol uses (query XML, JSON 1.1 `__type`, REST JSON header). */
function sendAwsError(res: ServerResponse, service: AwsServiceName, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  res.statusCode = status;
  res.setHeader("x-amzn-RequestId", requestId);
  if (service === "sts") {
    res.setHeader("content-type", "text/xml");
    const type = status >= 500 ? "Receiver" : "Sender";
    res.end(
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${xmlEscape(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    );
  } else if (service === "servicequotas") {
    res.setHeader("content-type", "application/x-amz-json-1.1");
    res.end(JSON.stringify({ __type: code, Message: message }));
  } else {
    res.setHeader("content-type", "application/json");
    res.setHeader("x-amzn-ErrorType", `${code}:http://internal.amazon.com/coral/com.amazon.bedrock/`);
    res.end(JSON.stringify({ message }));
  }
}

function sendError(res: ServerResponse, service: AwsServiceName, kind: keyof typeof ERRORS, message?: string): void {
  const e = ERRORS[kind];
  sendAwsError(res, service, e.status[service], e.code[service], message ?? e.message);
}

// ---- pagination ---------------------------------------------------------------------------------

const encodeToken = (list: string, offset: number) => Buffer.from(JSON.stringify({ list, offset })).toString("base64url");

function decodeToken(token: string | undefined, list: string): number | null {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { list?: unknown; offset?: unknown };
    return parsed.list === list && typeof parsed.offset === "number" && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0 ? parsed.offset : null;
  } catch {
    return null;
  }
}

function page<T>(items: T[], list: string, offset: number, size: number): { items: T[]; next?: string } {
  const slice = items.slice(offset, offset + size);
  return offset + size < items.length ? { items: slice, next: encodeToken(list, offset + size) } : { items: slice };
}

// ---- server -------------------------------------------------------------------------------------

export type AwsRequestLog = { service: AwsServiceName; operation: string; region: string; accessKeyId: string; signatureChecked: boolean };

export type AwsServerOptions = {
  port?: number;
  host?: string;
  /** Behaviour by access key id; unknown keys fall back to `setupForKeyPrefix`, then `fallback`. */
  accounts?: Record<string, AccountSetup>;
  /** null: unknown keys are rejected as invalid. */
  fallback?: AccountSetup | null;
  /** Largest page Service Quotas and Bedrock return, whatever MaxResults asks. */
  pageSize?: number;
};

export type AwsServer = {
  url: string;
  requests: AwsRequestLog[];
  setAccount(accessKeyId: string, setup: AccountSetup): void;
  close(): Promise<void>;
};

type Call = { service: AwsServiceName; operation: string; input: Record<string, unknown>; query: URLSearchParams };

function identifyCall(req: IncomingMessage, body: Buffer): Call | null {
  const url = new URL(req.url ?? "/", "http://localhost");
  const target = req.headers["x-amz-target"];
  if (req.method === "POST" && typeof target === "string" && target.startsWith("ServiceQuotasV20190624.")) {
    let input: Record<string, unknown> = {};
    try {
      input = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      return null;
    }
    return { service: "servicequotas", operation: target.slice("ServiceQuotasV20190624.".length), input, query: url.searchParams };
  }
  if (req.method === "GET" && (url.pathname === "/foundation-models" || url.pathname === "/inference-profiles")) {
    return { service: "bedrock", operation: url.pathname === "/foundation-models" ? "ListFoundationModels" : "ListInferenceProfiles", input: {}, query: url.searchParams };
  }
  if (req.method === "POST") {
    const form = new URLSearchParams(body.toString("utf8"));
    if (form.get("Action")) return { service: "sts", operation: form.get("Action")!, input: Object.fromEntries(form), query: url.searchParams };
  }
  return null;
}

function sendJson(res: ServerResponse, contentType: string, value: unknown): void {
  res.statusCode = 200;
  res.setHeader("content-type", contentType);
  res.setHeader("x-amzn-RequestId", randomUUID());
  res.end(JSON.stringify(value));
}

function answerSts(res: ServerResponse, call: Call, setup: AccountSetup, accessKeyId: string): void {
  if (call.operation !== "GetCallerIdentity" || call.input.Version !== "2011-06-15") {
    return sendError(res, "sts", "internal", `Could not find operation ${call.operation} for version ${String(call.input.Version)}`);
  }
  const account = setup.awsAccountId ?? "123456789012";
  res.statusCode = 200;
  res.setHeader("content-type", "text/xml");
  res.end(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::${account}:user/quota-reader</Arn>\n    <UserId>AIDA${accessKeyId.slice(4, 20)}</UserId>\n    <Account>${account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`,
  );
}

function answerServiceQuotas(res: ServerResponse, call: Call, setup: AccountSetup, region: string, pageSize: number): void {
  const lists: Record<string, () => ServiceQuotaJson[]> = {
    ListServiceQuotas: () => appliedQuotaList(setup, region),
    ListAWSDefaultServiceQuotas: () => defaultQuotaList(region),
  };
  const list = lists[call.operation];
  if (!list) return sendError(res, "servicequotas", "internal", `Unknown operation ${call.operation}`);
  if (call.input.ServiceCode !== "bedrock") {
    return sendAwsError(res, "servicequotas", 400, "NoSuchResourceException", "The request failed because the specified service does not exist.");
  }
  const max = call.input.MaxResults ?? 100;
  const offset = decodeToken(call.input.NextToken as string | undefined, call.operation);
  if (offset === null) return sendAwsError(res, "servicequotas", 400, "InvalidPaginationTokenException", "Invalid input was provided.");
  if (typeof max !== "number" || max < 1 || max > 100) return sendAwsError(res, "servicequotas", 400, "IllegalArgumentException", "Invalid input was provided.");
  const p = page(list(), call.operation, offset, Math.min(max, pageSize));
  sendJson(res, "application/x-amz-json-1.1", { Quotas: p.items, ...(p.next ? { NextToken: p.next } : {}) });
}

function answerBedrock(res: ServerResponse, call: Call, setup: AccountSetup, region: string, pageSize: number): void {
  if (call.operation === "ListFoundationModels") {
    const provider = call.query.get("byProvider")?.toLowerCase();
    const models = foundationModelSummaries(setup, region).filter((m) => !provider || m.providerName.toLowerCase() === provider);
    return sendJson(res, "application/json", { modelSummaries: models });
  }
  const max = Number(call.query.get("maxResults") ?? 1000);
  const offset = decodeToken(call.query.get("nextToken") ?? undefined, "profiles");
  if (!Number.isInteger(max) || max < 1 || max > 1000 || offset === null) {
    return sendAwsError(res, "bedrock", 400, "ValidationException", "1 validation error detected");
  }
  const p = page(inferenceProfileSummaries(setup, region), "profiles", offset, Math.min(max, pageSize));
  sendJson(res, "application/json", { inferenceProfileSummaries: p.items, ...(p.next ? { nextToken: p.next } : {}) });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Checks the signature and the session token; answers the error and returns false when they fail. */
function authenticate(req: IncomingMessage, res: ServerResponse, body: Buffer, call: Call, auth: SigV4, setup: AccountSetup): boolean {
  if (auth.service !== call.service || !/^(AKIA|ASIA)[A-Z0-9]{12,124}$/.test(auth.accessKeyId)) {
    sendError(res, call.service, "signature", "Credential should be scoped to correct service.");
    return false;
  }
  const token = req.headers["x-amz-security-token"];
  if ((auth.accessKeyId.startsWith("ASIA") && !token) || (setup.sessionToken !== undefined && token !== setup.sessionToken)) {
    sendError(res, call.service, "invalid");
    return false;
  }
  if (setup.secretAccessKey !== undefined && !signatureMatches(req, body, auth, setup.secretAccessKey)) {
    sendError(res, call.service, "signature");
    return false;
  }
  return true;
}

export async function startAwsServer(options: AwsServerOptions = {}): Promise<AwsServer> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const fallback = options.fallback === undefined ? HEALTHY_SETUP : options.fallback;
  const pageSize = options.pageSize ?? 25;
  const requests: AwsRequestLog[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const call = identifyCall(req, body);
    if (!call) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return sendError(res, call.service, "missing_auth");
    const setup = accounts.get(auth.accessKeyId) ?? setupForKeyPrefix(auth.accessKeyId) ?? fallback;
    requests.push({ service: call.service, operation: call.operation, region: auth.region, accessKeyId: auth.accessKeyId, signatureChecked: setup?.secretAccessKey !== undefined });
    if (!setup) return sendError(res, call.service, "invalid");
    if (!authenticate(req, res, body, call, auth, setup)) return;
    if (setup.hang === call.service) return; // never answered; close() drops the socket
    if (setup.failure && (setup.failure.service ?? "sts") === call.service) return sendError(res, call.service, setup.failure.kind);
    if (call.service === "sts" && setup.disabledRegions?.includes(auth.region)) return sendError(res, "sts", "region_not_enabled");
    if (call.service === "sts") return answerSts(res, call, setup, auth.accessKeyId);
    if (call.service === "servicequotas") return answerServiceQuotas(res, call, setup, auth.region, pageSize);
    return answerBedrock(res, call, setup, auth.region, pageSize);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    requests,
    setAccount: (accessKeyId, setup) => void accounts.set(accessKeyId, setup),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
