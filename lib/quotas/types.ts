import type { AwsCredentials } from "@/lib/accounts/credentials";
import type { ModelQuota } from "@/lib/domain";

/**
 * The anti-corruption layer between an account and whatever reads its Bedrock quotas (the AWS SDK
 * or an external command). A source answers in the domain's terms (ModelQuota) or throws a
 * QuotaSourceError; nothing of AWS's vocabulary leaks past it.
 */
export type QuotaFetchRequest = {
  readonly credentials: AwsCredentials;
  /** The region quotas are read in: the account's first region. */
  readonly region: string;
  /** Every region the account lists, for sources that look wider. */
  readonly regions: readonly string[];
};

export type FetchedQuotas = {
  readonly modelQuotas: readonly ModelQuota[];
};

export interface QuotaSource {
  readonly kind: "aws" | "command";
  fetchQuotas(request: QuotaFetchRequest): Promise<FetchedQuotas>;
}

export const QUOTA_SOURCE_ERROR_CODES = [
  "invalid_credentials",
  "expired_credentials",
  "throttled",
  "access_denied",
  "region_not_enabled",
  "command_failed",
  "command_timeout",
  "bad_output",
  "unreachable",
  "service_error",
  "not_configured",
] as const;
export type QuotaSourceErrorCode = (typeof QUOTA_SOURCE_ERROR_CODES)[number];

/**
 * A refresh that could not read quotas. `message` is written for an admin and is stored and shown
 * as is, so it is built from fixed text and safe identifiers only: never a credential, never an
 * upstream message or a command's stderr (either may echo a key).
 */
export class QuotaSourceError extends Error {
  constructor(
    readonly code: QuotaSourceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "QuotaSourceError";
  }
}

export function isQuotaSourceError(error: unknown): error is QuotaSourceError {
  return error instanceof QuotaSourceError;
}
