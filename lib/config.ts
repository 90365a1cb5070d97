import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The one reader of process.env. Every setting is validated here; a bad one stops start-up with
 * a message that names the variable and what it expects.
 */

const base64Key32 = z
  .string()
  .refine(
    (v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, "base64").length === 32,
    "must be 32 bytes, base64-encoded (openssl rand -base64 32)",
  );

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const evmAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address");

export const settingsSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL")
    .optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2, "must be at least 2 (the chain watcher holds one connection for its lock)").max(100).default(10),
  APP_URL: z.url("must be an absolute URL such as http://localhost:3000").default("http://localhost:3000"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  ENCRYPTION_KEY: base64Key32,
  ENCRYPTION_KEY_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, . _ -").default("k1"),
  /**
   * Earlier key-encryption keys, still needed to open data keys not yet re-wrapped:
   * "<id>:<base64 key>" pairs separated by commas. `npm run credentials:rewrap` moves every data
   * key to ENCRYPTION_KEY, after which they can be removed.
   */
  ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .refine(
      (v) =>
        v.split(",").every((pair) => {
          const [id, key, extra] = pair.trim().split(":");
          return extra === undefined && /^[A-Za-z0-9._-]{1,64}$/.test(id ?? "") && /^[A-Za-z0-9+/]{43}=$/.test(key ?? "");
        }),
      'must be "<id>:<32-byte base64 key>" pairs separated by commas',
    )
    .optional(),
  ADMIN_USERNAME: z.string().regex(/^[a-z0-9._-]{3,64}$/, "must be 3-64 lowercase letters, digits, . _ -").default("admin"),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  SEED_DEMO_DATA: booleanString.default(true),
  TELEGRAM_USERNAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{4,31}$/, "must be a Telegram username (5-32 letters, digits, _), without @")
    .default("cryptocheckout_store"),
  STORE_NAME: z.string().min(2).max(80).default("Bedrock Account Store"),
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGNIN_LOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),

  // Chain watching (docs: README "Chain watching"). A network is watched in a mode only when its
  // URL is set; the live URLs may also come from the admin's system configuration.
  ETHEREUM_RPC_URL: httpUrl.optional(),
  ETHEREUM_USDT_CONTRACT: evmAddress.default("0xdAC17F958D2ee523a2206206994597C13D831ec7"),
  ETHEREUM_TEST_RPC_URL: httpUrl.optional(),
  ETHEREUM_TEST_USDT_CONTRACT: evmAddress.optional(),
  /** The chain id test-mode payment URIs name (Sepolia by default; the local dev chain is 31337). */
  ETHEREUM_TEST_CHAIN_ID: z.coerce.number().int().min(1).default(11155111),
  BITCOIN_ESPLORA_URL: httpUrl.optional(),
  BITCOIN_RPC_URL: httpUrl.optional(),
  BITCOIN_RPC_USER: z.string().optional(),
  BITCOIN_RPC_PASSWORD: z.string().optional(),
  BITCOIN_TEST_ESPLORA_URL: httpUrl.optional(),
  BITCOIN_TEST_RPC_URL: httpUrl.optional(),
  BITCOIN_TEST_RPC_USER: z.string().optional(),
  BITCOIN_TEST_RPC_PASSWORD: z.string().optional(),
  TRONGRID_URL: httpUrl.optional(),
  TRONGRID_API_KEY: z.string().optional(),
  TRON_USDT_CONTRACT: z.string().regex(/^T[1-9A-HJ-NP-Za-km-z]{33}$/, "must be a Tron base58 address").default("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
  TRONGRID_TEST_URL: httpUrl.optional(),
  TRON_TEST_USDT_CONTRACT: z.string().regex(/^T[1-9A-HJ-NP-Za-km-z]{33}$/, "must be a Tron base58 address").optional(),
  WATCH_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.2).max(3600).default(10),
  /** Caps every adapter's blocks per scan (for rate-limited endpoints); unset, each adapter's default. */
  WATCH_MAX_BLOCKS_PER_SCAN: z.coerce.number().int().min(1).max(10_000).optional(),
  /** "in-process": the app polls the chains and expires invoices itself (required with PGlite); "off": a worker or cron does. */
  WATCHER: z.enum(["in-process", "off"]).optional(),
  /** Bearer secret of /api/cron/*; unset, those routes answer 503. */
  CRON_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Start a local Ethereum node (anvil) with a test USDT and a test wallet for test-mode checkouts. Default: on outside production. */
  DEV_CHAIN: booleanString.optional(),
  DEV_CHAIN_PORT: z.coerce.number().int().min(1).max(65535).default(8545),
  /** Seconds between the dev chain's blocks (confirmations grow with them). */
  DEV_CHAIN_BLOCK_TIME: z.coerce.number().int().min(1).max(60).default(1),

  // Quota refresh (README "Quota refresh"): where an account's applied Bedrock quotas are read from.
  /** "aws": the AWS SDK (STS, Service Quotas, Bedrock); "command": QUOTA_COMMAND. */
  QUOTA_SOURCE: z.enum(["aws", "command"]).default("aws"),
  /** The external quota command as a JSON array of argv, e.g. ["python3","scripts/quotas.py"]; it reads credentials as JSON on stdin. */
  QUOTA_COMMAND: z
    .string()
    .refine((v) => {
      try {
        const argv: unknown = JSON.parse(v);
        return Array.isArray(argv) && argv.length > 0 && argv.every((a) => typeof a === "string" && a.length > 0);
      } catch {
        return false;
      }
    }, 'must be a JSON array of strings, e.g. ["python3","scripts/quotas.py"]')
    .optional(),
  QUOTA_COMMAND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  /** Sends every AWS call (STS, Service Quotas, Bedrock) to this endpoint instead of AWS: for a local stand-in. */
  QUOTA_AWS_ENDPOINT_URL: httpUrl.optional(),
  /** Accounts refreshed at once by a bulk refresh. */
  QUOTA_REFRESH_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),

  // Email (order links to buyers). Unset SMTP_URL: nothing is sent and orders say so.
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  MAIL_FROM: z.string().min(3).max(200).default("Bedrock Account Store <store@localhost>"),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Secrets that a local run may generate; production must supply them. */
const GENERATED_SECRETS = ["AUTH_SECRET", "ENCRYPTION_KEY"] as const;

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        issues.map((i) => `  - ${i.variable}: ${i.message}`).join("\n") +
        "\nSee the settings table in README.md.",
    );
    this.name = "ConfigError";
  }
}

function localSecretsFile(env: NodeJS.ProcessEnv): string {
  return env.LOCAL_SECRETS_FILE
    ? path.resolve(/*turbopackIgnore: true*/ env.LOCAL_SECRETS_FILE)
    : path.join(process.cwd(), ".data", "secrets.json");
}

/** For local runs only: load (or create once) a git-ignored file holding generated secrets. */
function loadOrCreateLocalSecrets(file: string): Record<string, string> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  return secrets;
}

export function parseSettings(env: NodeJS.ProcessEnv): Settings {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    input[key] = value === "" ? undefined : value;
  }
  const production = input.NODE_ENV === "production";
  const missing = GENERATED_SECRETS.filter((k) => !input[k]);
  if (missing.length > 0) {
    if (production) {
      throw new ConfigError(
        missing.map((variable) => ({
          variable,
          message: "is required in production (generate one with: openssl rand -base64 32)",
        })),
      );
    }
    const generated = loadOrCreateLocalSecrets(localSecretsFile(env));
    for (const k of missing) input[k] = generated[k];
  }
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(unknown)"),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

let cached: Settings | undefined;

export function settings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}
