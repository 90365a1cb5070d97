import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, parseSettings } from "@/lib/config";

const AUTH_SECRET = "a".repeat(40);
const ENCRYPTION_KEY = randomBytes(32).toString("base64");

let dir: string;
let secretsFile: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "config-test-"));
  secretsFile = path.join(dir, "nested", "secrets.json");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A valid env with both secrets supplied; LOCAL_SECRETS_FILE always points into the temp dir.
 *  (Cast via unknown: Next types NODE_ENV as required, but parseSettings must handle it missing.) */
function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { AUTH_SECRET, ENCRYPTION_KEY, LOCAL_SECRETS_FILE: secretsFile, ...overrides } as unknown as NodeJS.ProcessEnv;
}

/** Runs fn, expects a ConfigError, returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

describe("parseSettings defaults", () => {
  it("fills every optional setting with its documented default", () => {
    const s = parseSettings(env());
    expect(s).toMatchObject({
      NODE_ENV: "development",
      PGLITE_DIR: ".data/pglite",
      DATABASE_POOL_MAX: 10,
      APP_URL: "http://localhost:3000",
      ENCRYPTION_KEY_ID: "k1",
      ADMIN_USERNAME: "admin",
      SEED_DEMO_DATA: true,
      TELEGRAM_USERNAME: "cryptocheckout_store",
      STORE_NAME: "Bedrock Account Store",
      SIGNIN_MAX_FAILURES: 5,
      SIGNIN_LOCK_SECONDS: 60,
    });
    expect(s.DATABASE_URL).toBeUndefined();
    expect(s.ADMIN_PASSWORD).toBeUndefined();
    expect(s.AUTH_SECRET).toBe(AUTH_SECRET);
    expect(s.ENCRYPTION_KEY).toBe(ENCRYPTION_KEY);
    // Supplied secrets: nothing is generated.
    expect(existsSync(secretsFile)).toBe(false);
  });

  it("accepts and coerces supplied values", () => {
    const s = parseSettings(
      env({
        NODE_ENV: "production",
        DATABASE_URL: "postgresql://u:p@db:5432/app",
        DATABASE_POOL_MAX: "25",
        SIGNIN_LOCK_SECONDS: "120",
        TELEGRAM_USERNAME: "my_shop_bot",
      }),
    );
    expect(s.NODE_ENV).toBe("production");
    expect(s.DATABASE_URL).toBe("postgresql://u:p@db:5432/app");
    expect(s.DATABASE_POOL_MAX).toBe(25);
    expect(s.SIGNIN_LOCK_SECONDS).toBe(120);
    expect(s.TELEGRAM_USERNAME).toBe("my_shop_bot");
  });

  it("ignores variables that are not settings", () => {
    const s = parseSettings(env({ PATH: "/usr/bin", HOME: "/root" }));
    expect(s).not.toHaveProperty("PATH");
    expect(s).not.toHaveProperty("LOCAL_SECRETS_FILE");
  });
});

describe("parseSettings validation", () => {
  it("rejects a non-postgres DATABASE_URL, naming the variable", () => {
    const error = configError(() => parseSettings(env({ DATABASE_URL: "mysql://x" })));
    expect(error.message).toContain("DATABASE_URL");
    expect(error.message).toContain("postgres://");
    expect(error.issues.map((i) => i.variable)).toEqual(["DATABASE_URL"]);
  });

  it.each([
    ["too short", Buffer.alloc(16, 1).toString("base64")],
    ["too long", Buffer.alloc(33, 1).toString("base64")],
    ["not base64 at all", "not-a-key"],
  ])("rejects an ENCRYPTION_KEY that is %s, naming the variable", (_label, key) => {
    const error = configError(() => parseSettings(env({ ENCRYPTION_KEY: key })));
    expect(error.message).toContain("ENCRYPTION_KEY");
    expect(error.message).toContain("32 bytes");
    expect(error.issues.map((i) => i.variable)).toEqual(["ENCRYPTION_KEY"]);
  });

  it("rejects a TELEGRAM_USERNAME written with @", () => {
    const error = configError(() => parseSettings(env({ TELEGRAM_USERNAME: "@my_shop_bot" })));
    expect(error.issues.map((i) => i.variable)).toEqual(["TELEGRAM_USERNAME"]);
    expect(error.message).toContain("without @");
  });

  it("reports every bad variable at once", () => {
    const error = configError(() =>
      parseSettings(env({ DATABASE_URL: "mysql://x", APP_URL: "not a url", DATABASE_POOL_MAX: "0" })),
    );
    expect(error.issues.map((i) => i.variable).sort()).toEqual(["APP_URL", "DATABASE_POOL_MAX", "DATABASE_URL"]);
  });

  it.each([
    ["false", false],
    ["0", false],
    ["no", false],
    ["true", true],
    ["1", true],
    ["yes", true],
  ])("SEED_DEMO_DATA=%s parses to %s", (raw, expected) => {
    expect(parseSettings(env({ SEED_DEMO_DATA: raw })).SEED_DEMO_DATA).toBe(expected);
  });

  it("rejects an unrecognised SEED_DEMO_DATA instead of treating it as true or false", () => {
    const error = configError(() => parseSettings(env({ SEED_DEMO_DATA: "maybe" })));
    expect(error.issues.map((i) => i.variable)).toEqual(["SEED_DEMO_DATA"]);
  });

  it("treats an empty string as unset", () => {
    const s = parseSettings(
      env({ DATABASE_URL: "", TELEGRAM_USERNAME: "", SEED_DEMO_DATA: "", NODE_ENV: "", ADMIN_PASSWORD: "" }),
    );
    expect(s.DATABASE_URL).toBeUndefined();
    expect(s.ADMIN_PASSWORD).toBeUndefined();
    expect(s.TELEGRAM_USERNAME).toBe("cryptocheckout_store");
    expect(s.SEED_DEMO_DATA).toBe(true);
    expect(s.NODE_ENV).toBe("development");
  });
});

describe("parseSettings secrets", () => {
  it("in production, requires AUTH_SECRET and ENCRYPTION_KEY and names both", () => {
    const error = configError(() =>
      parseSettings(env({ NODE_ENV: "production", AUTH_SECRET: undefined, ENCRYPTION_KEY: undefined })),
    );
    expect(error.message).toContain("AUTH_SECRET");
    expect(error.message).toContain("ENCRYPTION_KEY");
    expect(error.message).toMatch(/required/);
    expect(error.issues.map((i) => i.variable)).toEqual(["AUTH_SECRET", "ENCRYPTION_KEY"]);
    for (const issue of error.issues) expect(issue.message).toMatch(/required in production/);
    expect(existsSync(secretsFile)).toBe(false);
  });

  it("in production, empty-string secrets count as missing", () => {
    const error = configError(() => parseSettings(env({ NODE_ENV: "production", AUTH_SECRET: "" })));
    expect(error.issues.map((i) => i.variable)).toEqual(["AUTH_SECRET"]);
    expect(existsSync(secretsFile)).toBe(false);
  });

  it("in development, generates missing secrets once into LOCAL_SECRETS_FILE and reuses them", () => {
    const devEnv = env({ NODE_ENV: "development", AUTH_SECRET: undefined, ENCRYPTION_KEY: "" });
    const first = parseSettings(devEnv);

    expect(existsSync(secretsFile)).toBe(true);
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(first.ENCRYPTION_KEY, "base64")).toHaveLength(32);

    const stored = JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>;
    expect(stored).toEqual({ AUTH_SECRET: first.AUTH_SECRET, ENCRYPTION_KEY: first.ENCRYPTION_KEY });
    const contentBefore = readFileSync(secretsFile, "utf8");

    const second = parseSettings(devEnv);
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
    expect(second.ENCRYPTION_KEY).toBe(first.ENCRYPTION_KEY);
    expect(readFileSync(secretsFile, "utf8")).toBe(contentBefore);
  });

  it.skipIf(process.platform === "win32")("writes the generated secrets file with mode 0600", () => {
    parseSettings(env({ AUTH_SECRET: undefined, ENCRYPTION_KEY: undefined }));
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
  });

  it("in development, only fills the secret that is missing", () => {
    const s = parseSettings(env({ AUTH_SECRET: undefined }));
    expect(s.ENCRYPTION_KEY).toBe(ENCRYPTION_KEY);
    const stored = JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>;
    expect(s.AUTH_SECRET).toBe(stored.AUTH_SECRET);
    expect(s.AUTH_SECRET).not.toBe(AUTH_SECRET);
  });

  it("generates different secrets for different secrets files", () => {
    const a = parseSettings(env({ AUTH_SECRET: undefined, ENCRYPTION_KEY: undefined }));
    const b = parseSettings(
      env({ AUTH_SECRET: undefined, ENCRYPTION_KEY: undefined, LOCAL_SECRETS_FILE: path.join(dir, "other.json") }),
    );
    expect(b.AUTH_SECRET).not.toBe(a.AUTH_SECRET);
    expect(b.ENCRYPTION_KEY).not.toBe(a.ENCRYPTION_KEY);
  });
});
