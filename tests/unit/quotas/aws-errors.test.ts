import { describe, expect, it } from "vitest";
import { quotaCodeOfAwsError, toQuotaSourceError } from "@/lib/quotas/aws-errors";
import { QuotaSourceError } from "@/lib/quotas/types";

const awsError = (name: string, message = "AKIAIOSFODNN7EXAMPLE arn:aws:iam::123456789012:user/x") =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

describe("AWS error mapping", () => {
  it.each([
    ["InvalidClientTokenId", "invalid_credentials"],
    ["SignatureDoesNotMatch", "invalid_credentials"],
    ["InvalidSignatureException", "invalid_credentials"],
    ["UnrecognizedClientException", "invalid_credentials"],
    ["ExpiredToken", "expired_credentials"],
    ["ExpiredTokenException", "expired_credentials"],
    ["ThrottlingException", "throttled"],
    ["TooManyRequestsException", "throttled"],
    ["Throttling", "throttled"],
    ["AccessDenied", "access_denied"],
    ["AccessDeniedException", "access_denied"],
    ["RegionDisabledException", "region_not_enabled"],
    ["OptInRequired", "region_not_enabled"],
    ["TimeoutError", "unreachable"],
    ["InternalServerException", "service_error"],
    ["ValidationException", "service_error"],
  ])("%s → %s", (name, code) => {
    expect(quotaCodeOfAwsError(awsError(name))).toBe(code);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "ETIMEDOUT"])("a network error %s is unreachable", (code) => {
    expect(quotaCodeOfAwsError(Object.assign(new Error(`connect ${code}`), { code }))).toBe("unreachable");
  });

  it("writes its own message: never the upstream text, which may quote keys and ARNs", () => {
    const error = toQuotaSourceError(awsError("AccessDeniedException"), "Service Quotas ListServiceQuotas", "us-east-1");
    expect(error).toBeInstanceOf(QuotaSourceError);
    expect(error.code).toBe("access_denied");
    expect(error.message).toContain("Service Quotas ListServiceQuotas");
    expect(error.message).toContain("servicequotas:ListServiceQuotas");
    expect(error.message).not.toMatch(/AKIA|arn:aws/);
  });

  it("names the region when it is not enabled, and the AWS error name for an unexpected one", () => {
    expect(toQuotaSourceError(awsError("RegionDisabledException"), "STS GetCallerIdentity", "ap-east-1").message).toContain("ap-east-1");
    expect(toQuotaSourceError(awsError("InternalServerException"), "Bedrock ListFoundationModels", "us-east-1").message).toContain("[InternalServerException]");
    expect(toQuotaSourceError(awsError("weird name <script>"), "x", "us-east-1").message).not.toContain("<script>");
  });

  it("passes a QuotaSourceError through unchanged", () => {
    const original = new QuotaSourceError("throttled", "already mapped");
    expect(toQuotaSourceError(original, "x", "us-east-1")).toBe(original);
  });
});
