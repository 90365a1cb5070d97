// `npm run aws:local -- --port 4599`: a local AWS stand-in (STS, Service Quotas, Bedrock) for quota
// refreshes without an AWS account. Point the app at it with QUOTA_AWS_ENDPOINT_URL=<printed URL>.
//
// Keys it knows:
//   AKIADEMO000000000001…12  the seeded demo accounts: each refreshes to the profile it was seeded with
//   AKIAINVALID…, AKIAEXPIRED…, AKIATHROTTLE…, AKIADENIED…, AKIAOPTIN…
//                            fail as invalid, expired, throttled, access denied, region not enabled
//   AKIAZERO…                an account whose quotas all read zero (flagged for review)
//   any other AKIA…/ASIA…    a healthy account with raised Sonnet quotas
// Secrets are not checked (the demo secrets are random); every request must still be SigV4-signed.
// Ctrl-C stops it.
import { buildDemoAccounts } from "@/db/seed/demo-accounts";
import { HEALTHY_SETUP, setupFromModelQuotas, startAwsServer, type AccountSetup } from "@/tests/helpers/aws-server";

function parsePort(argv: string[]): number {
  const index = argv.indexOf("--port");
  const raw = index >= 0 ? argv[index + 1] : (argv.find((a) => a.startsWith("--port="))?.slice("--port=".length) ?? "4599");
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`--port must be a TCP port number (1-65535), got "${raw ?? ""}"`);
  }
  return port;
}

async function main() {
  const port = parsePort(process.argv.slice(2));
  const accounts: Record<string, AccountSetup> = {};
  for (const demo of buildDemoAccounts(new Date())) accounts[demo.accessKeyId] = setupFromModelQuotas(demo.profile.modelQuotas);
  const server = await startAwsServer({ port, accounts, fallback: HEALTHY_SETUP });
  console.log(`[aws:local] AWS stand-in listening on ${server.url}`);
  console.log(`[aws:local] set QUOTA_AWS_ENDPOINT_URL=${server.url} (and QUOTA_SOURCE=aws) for the app`);
  const stop = async (signal: string) => {
    console.log(`[aws:local] ${signal}: stopping`);
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("[aws:local] failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
