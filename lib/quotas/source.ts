import { settings as readSettings, type Settings } from "@/lib/config";
import { createAwsQuotaSource } from "./aws";
import { createCommandQuotaSource } from "./command";
import { QuotaSourceError, type QuotaSource } from "./types";

type QuotaSettings = Pick<Settings, "QUOTA_SOURCE" | "QUOTA_COMMAND" | "QUOTA_COMMAND_TIMEOUT_SECONDS" | "QUOTA_AWS_ENDPOINT_URL">;

/**
 * The quota source the settings name. QUOTA_SOURCE=command without QUOTA_COMMAND gives a source
 * that fails every refresh with not_configured, so the problem shows on each account in the admin
 * rather than as a crashed cron run.
 */
export function createQuotaSource(s: QuotaSettings = readSettings()): QuotaSource {
  if (s.QUOTA_SOURCE === "aws") return createAwsQuotaSource({ endpoint: s.QUOTA_AWS_ENDPOINT_URL });
  if (!s.QUOTA_COMMAND) {
    return {
      kind: "command",
      fetchQuotas: () => Promise.reject(new QuotaSourceError("not_configured", "QUOTA_SOURCE is command but QUOTA_COMMAND is not set.")),
    };
  }
  return createCommandQuotaSource({
    // config.ts has already checked that it is a JSON array of non-empty strings.
    argv: JSON.parse(s.QUOTA_COMMAND) as string[],
    timeoutMs: s.QUOTA_COMMAND_TIMEOUT_SECONDS * 1000,
    awsEndpointUrl: s.QUOTA_AWS_ENDPOINT_URL,
  });
}
