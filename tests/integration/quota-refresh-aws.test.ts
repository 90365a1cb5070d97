import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchQuotasFromAws } from "@/lib/quotas/aws";
import { QuotaSourceError } from "@/lib/quotas/types";
import { startAwsServer, type AccountSetup, type AwsFailureKind, type AwsServer, type AwsServiceName } from "../helpers/aws-server";

/** The AWS SDK adapter against the local stand-in, over real HTTP, SigV4 and the three AWS protocols. */

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const KEY = "AKIAQUOTATEST0000001";
let aws: AwsServer;
let failingKeys = 0;

const RAISED: AccountSetup = {
  secretAccessKey: SECRET,
  models: {
    // Cross-region is the larger pool: its RPM, TPM and the doubled per-day quota.
    "claude-4.0-sonnet-4-v1": { onDemand: { rpm: 200, tpm: 200_000 }, crossRegion: { rpm: 1_000, tpm: 2_000_000 }, tpd: 1_000_000_000, available: true },
    // On-demand is larger; no applied per-day value, so AWS's default (1 440 000 000) applies.
    "claude-3.7-sonnet-v1": { onDemand: { rpm: 500, tpm: 3_000_000 }, crossRegion: { rpm: 400, tpm: 2_000_000 }, available: true },
    // Nothing applied: every figure is AWS's default (cross-region 2× on-demand in the stand-in).
    "claude-3.5-sonnet-v2": { available: true },
    // Offered but applied at zero.
    "claude-3.5-haiku": { onDemand: { rpm: 0, tpm: 0 }, crossRegion: { rpm: 0, tpm: 0 }, tpd: 0, available: true },
  },
};

const request = (accessKeyId: string, region = "us-east-1", secretAccessKey = SECRET, sessionToken?: string) => ({
  credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
  region,
  regions: [region],
});

const fast = () => ({ endpoint: aws.url, requestTimeoutMs: 2_000 });

async function failureOf(promise: Promise<unknown>): Promise<QuotaSourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QuotaSourceError);
  return error as QuotaSourceError;
}

beforeAll(async () => {
  // Small pages, so every list takes several requests.
  aws = await startAwsServer({ accounts: { [KEY]: RAISED }, pageSize: 7, fallback: null });
});

afterAll(async () => {
  await aws?.close();
});

describe("AWS quota source", () => {
  it("reads applied quotas over defaults by name, across pages, in the account's region", async () => {
    aws.requests.length = 0;
    const { modelQuotas } = await fetchQuotasFromAws(request(KEY, "eu-central-1"), fast());
    expect(modelQuotas).toEqual([
      { model: "claude-4.0-sonnet-4-v1", rpm: 1_000, tpm: 2_000_000, tpd: 2_000_000_000, available: true },
      { model: "claude-3.7-sonnet-v1", rpm: 500, tpm: 3_000_000, tpd: 1_440_000_000, available: true },
      { model: "claude-3.5-sonnet-v2", rpm: 100, tpm: 800_000, tpd: 1_152_000_000, available: true },
      { model: "claude-3.5-haiku", rpm: 0, tpm: 0, tpd: 0, available: true },
    ]);
    const ops = aws.requests.map((r) => r.operation);
    expect(ops[0]).toBe("GetCallerIdentity");
    expect(ops.filter((o) => o === "ListServiceQuotas").length).toBeGreaterThan(2);
    expect(ops.filter((o) => o === "ListAWSDefaultServiceQuotas").length).toBeGreaterThan(2);
    expect(ops).toContain("ListFoundationModels");
    expect(ops).toContain("ListInferenceProfiles");
    expect(new Set(aws.requests.map((r) => r.region))).toEqual(new Set(["eu-central-1"]));
    expect(aws.requests.every((r) => r.accessKeyId === KEY && r.signatureChecked)).toBe(true);
  });

  it("does not take Opus 4.1, Sonnet 4.5, 1M-context or global quotas for the six models", async () => {
    const { modelQuotas } = await fetchQuotasFromAws(request(KEY), fast());
    // The noise carries applied values of tens of millions: none may surface.
    expect(Math.max(...modelQuotas.map((q) => q.tpm))).toBe(3_000_000);
    // Opus 4.1 is offered and has quotas, Opus 4 is neither.
    expect(modelQuotas.map((q) => q.model)).not.toContain("claude-4.0-opus-4-v1");
  });

  it("marks a model available from its inference profile alone", async () => {
    aws.setAccount("AKIAPROFILEONLY00001", { ...RAISED, profileOnly: ["claude-4.0-sonnet-4-v1"] });
    aws.requests.length = 0;
    // ap-* regions list "apac." profiles.
    const { modelQuotas } = await fetchQuotasFromAws(request("AKIAPROFILEONLY00001", "ap-northeast-1"), fast());
    expect(modelQuotas.find((q) => q.model === "claude-4.0-sonnet-4-v1")?.available).toBe(true);
    expect(aws.requests.some((r) => r.operation === "ListInferenceProfiles")).toBe(true);
  });

  it("sends a session token with temporary credentials and fails without the right one", async () => {
    const token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789";
    aws.setAccount("ASIAQUOTATEST0000001", { ...RAISED, sessionToken: token });
    const ok = await fetchQuotasFromAws(request("ASIAQUOTATEST0000001", "us-east-1", SECRET, token), fast());
    expect(ok.modelQuotas.length).toBe(4);
    const error = await failureOf(fetchQuotasFromAws(request("ASIAQUOTATEST0000001", "us-east-1", SECRET, `${token}x`), fast()));
    expect(error.code).toBe("invalid_credentials");
  });

  it("a wrong secret fails the signature check as invalid credentials", async () => {
    const wrong = "x".repeat(40);
    const error = await failureOf(fetchQuotasFromAws(request(KEY, "us-east-1", wrong), fast()));
    expect(error.code).toBe("invalid_credentials");
    expect(error.message).toContain("STS GetCallerIdentity");
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(KEY);
  });

  it("an unknown key is rejected as invalid", async () => {
    const error = await failureOf(fetchQuotasFromAws(request("AKIAUNKNOWNKEY000001"), fast()));
    expect(error.code).toBe("invalid_credentials");
  });

  it.each<[AwsFailureKind, AwsServiceName, string, string]>([
    ["invalid", "sts", "invalid_credentials", "STS GetCallerIdentity"],
    ["expired", "sts", "expired_credentials", "STS GetCallerIdentity"],
    ["expired", "servicequotas", "expired_credentials", "Service Quotas"],
    ["throttled", "servicequotas", "throttled", "Service Quotas"],
    ["throttled", "bedrock", "throttled", "Bedrock"],
    ["access_denied", "sts", "access_denied", "STS GetCallerIdentity"],
    ["access_denied", "servicequotas", "access_denied", "Service Quotas"],
    ["access_denied", "bedrock", "access_denied", "Bedrock"],
    ["internal", "bedrock", "service_error", "Bedrock"],
  ])("%s from %s → %s", async (kind, service, code, call) => {
    const key = `AKIAFAIL${String(++failingKeys).padStart(12, "0")}`;
    aws.setAccount(key, { ...RAISED, failure: { kind, service } });
    const error = await failureOf(fetchQuotasFromAws(request(key), { ...fast(), maxAttempts: 1 }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(call);
    // The stand-in's AWS messages quote an IAM ARN: it must not reach the admin.
    expect(error.message).not.toMatch(/arn:aws|AKIA|Rate exceeded/);
  });

  it("a region that is not enabled is reported with its name", async () => {
    aws.setAccount("AKIAOPTINREGION00001", { ...RAISED, disabledRegions: ["ap-east-1"] });
    const error = await failureOf(fetchQuotasFromAws(request("AKIAOPTINREGION00001", "ap-east-1"), fast()));
    expect(error.code).toBe("region_not_enabled");
    expect(error.message).toContain("ap-east-1");
    expect((await fetchQuotasFromAws(request("AKIAOPTINREGION00001", "us-east-1"), fast())).modelQuotas.length).toBe(4);
  });

  it("a malformed region is refused before any call", async () => {
    aws.requests.length = 0;
    const error = await failureOf(fetchQuotasFromAws(request(KEY, "us-east-1; rm -rf"), fast()));
    expect(error.code).toBe("region_not_enabled");
    expect(aws.requests).toEqual([]);
  });

  it("retries a throttled call at most maxAttempts times", async () => {
    aws.setAccount("AKIATHROTTLECOUNT001", { ...RAISED, failure: { kind: "throttled", service: "servicequotas" } });
    aws.requests.length = 0;
    await failureOf(fetchQuotasFromAws(request("AKIATHROTTLECOUNT001"), { ...fast(), maxAttempts: 2 }));
    // Both lists fail; the first to give up ends the refresh, so only the larger count is certain.
    const attempts = ["ListServiceQuotas", "ListAWSDefaultServiceQuotas"].map((op) => aws.requests.filter((r) => r.operation === op).length);
    expect(Math.max(...attempts)).toBe(2);
  });

  it("a service that never answers times out as unreachable", async () => {
    aws.setAccount("AKIAHANGINGBEDROCK01", { ...RAISED, hang: "bedrock" });
    const started = Date.now();
    const error = await failureOf(fetchQuotasFromAws(request("AKIAHANGINGBEDROCK01"), { endpoint: aws.url, requestTimeoutMs: 300, maxAttempts: 1 }));
    expect(error.code).toBe("unreachable");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("an endpoint nobody listens on is unreachable", async () => {
    const closed = await startAwsServer();
    const url = closed.url;
    await closed.close();
    const error = await failureOf(fetchQuotasFromAws(request(KEY), { endpoint: url, requestTimeoutMs: 500, maxAttempts: 1 }));
    expect(error.code).toBe("unreachable");
  });
});
