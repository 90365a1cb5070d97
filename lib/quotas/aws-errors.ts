import { QuotaSourceError, type QuotaSourceErrorCode } from "./types";

/**
 * AWS SDK errors → QuotaSourceError, by the error's `name` (the AWS error code). The message is
 * written here from fixed text and the failing call's name: AWS messages can carry account ARNs,
 * request details and, for SignatureDoesNotMatch, the string that was signed, none of which
 * belongs in an admin page or an event.
 */
const CODE_BY_AWS_NAME: Readonly<Record<string, QuotaSourceErrorCode>> = Object.freeze({
  InvalidClientTokenId: "invalid_credentials",
  SignatureDoesNotMatch: "invalid_credentials",
  InvalidSignatureException: "invalid_credentials",
  UnrecognizedClientException: "invalid_credentials",
  IncompleteSignature: "invalid_credentials",
  InvalidAccessKeyId: "invalid_credentials",
  ExpiredToken: "expired_credentials",
  ExpiredTokenException: "expired_credentials",
  RequestExpired: "expired_credentials",
  ThrottlingException: "throttled",
  TooManyRequestsException: "throttled",
  Throttling: "throttled",
  RequestLimitExceeded: "throttled",
  AccessDenied: "access_denied",
  AccessDeniedException: "access_denied",
  RegionDisabledException: "region_not_enabled",
  OptInRequired: "region_not_enabled",
  TimeoutError: "unreachable",
  RequestTimeout: "unreachable",
  AbortError: "unreachable",
});

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

const MESSAGES: Readonly<Record<QuotaSourceErrorCode, (call: string, region: string) => string>> = Object.freeze({
  invalid_credentials: (call) => `AWS rejected the access key (${call}): the key id or secret is wrong, or the key was deleted or deactivated.`,
  expired_credentials: (call) => `The AWS credentials have expired (${call}): store a fresh key pair or session token.`,
  throttled: (call) => `AWS throttled the request (${call}); the next refresh will try again.`,
  access_denied: (call) => `Access denied (${call}): the key's IAM policy must allow sts:GetCallerIdentity, servicequotas:ListServiceQuotas, servicequotas:ListAWSDefaultServiceQuotas, bedrock:ListFoundationModels and bedrock:ListInferenceProfiles.`,
  region_not_enabled: (call, region) => `Region ${region} is not enabled for this AWS account (${call}).`,
  unreachable: (call) => `AWS could not be reached or did not answer in time (${call}).`,
  service_error: (call) => `AWS returned an unexpected error (${call}).`,
  command_failed: (call) => `The quota command failed (${call}).`,
  command_timeout: (call) => `The quota command timed out (${call}).`,
  bad_output: (call) => `AWS sent a response that could not be read (${call}).`,
  not_configured: (call) => `Quota refresh is not configured (${call}).`,
});

function errorName(error: unknown): string {
  return error && typeof error === "object" && "name" in error && typeof error.name === "string" ? error.name : "";
}

function isNetworkError(error: unknown): boolean {
  const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
  return NETWORK_CODES.has(code);
}

export function quotaCodeOfAwsError(error: unknown): QuotaSourceErrorCode {
  if (error instanceof QuotaSourceError) return error.code;
  const name = errorName(error);
  if (Object.hasOwn(CODE_BY_AWS_NAME, name)) return CODE_BY_AWS_NAME[name]!;
  if (isNetworkError(error)) return "unreachable";
  return "service_error";
}

/** `call` names the API call that failed, e.g. "Service Quotas ListServiceQuotas". */
export function toQuotaSourceError(error: unknown, call: string, region: string): QuotaSourceError {
  if (error instanceof QuotaSourceError) return error;
  const code = quotaCodeOfAwsError(error);
  const name = errorName(error);
  const suffix = code === "service_error" && /^[A-Za-z]{1,64}$/.test(name) ? ` [${name}]` : "";
  return new QuotaSourceError(code, MESSAGES[code](call, region) + suffix);
}
