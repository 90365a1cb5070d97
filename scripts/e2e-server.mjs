// Starts the production build for the browser tests on a fresh database: a temporary PGlite
// directory, or (when DATABASE_URL is set) a new database on that PostgreSQL server, dropped again
// when the server stops. A guard refuses anything but a local server.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

const port = process.argv[2] ?? "3210";
const env = {
  ...process.env,
  NODE_ENV: "production",
  PORT: port,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  ADMIN_USERNAME: "admin",
  ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password",
  APP_URL: `http://127.0.0.1:${port}`,
  TELEGRAM_USERNAME: "bedrock_store_demo",
  // A local anvil chain for "Pay with test wallet", polled every second by the in-process watcher.
  DEV_CHAIN: "true",
  DEV_CHAIN_PORT: String(Number(port) + 1000),
  WATCH_POLL_INTERVAL_SECONDS: "1",
  WATCHER: "in-process",
};

let cleanup = async () => {};
if (process.env.DATABASE_URL) {
  const server = new URL(process.env.DATABASE_URL);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(server.hostname)) {
    console.error(`Refusing to run browser tests against a non-local database (${server.hostname}).`);
    process.exit(1);
  }
  const name = `e2e_${randomBytes(5).toString("hex")}`;
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  server.pathname = `/${name}`;
  env.DATABASE_URL = server.toString();
  cleanup = async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  };
} else {
  const dir = mkdtempSync(path.join(tmpdir(), "e2e-pglite-"));
  env.PGLITE_DIR = dir;
  delete env.DATABASE_URL;
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
}

// A local AWS stand-in (STS, Service Quotas, Bedrock) that quota refreshes are sent to.
const awsPort = String(Number(port) + 2000);
const aws = spawn(process.execPath, ["--import", "tsx", "scripts/local-aws.ts", "--port", awsPort], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise((resolve, reject) => {
  aws.stdout.on("data", (chunk) => (String(chunk).includes("listening") ? resolve() : undefined));
  aws.once("exit", (code) => reject(new Error(`the local AWS stand-in exited (${code})`)));
});
env.QUOTA_SOURCE = "aws";
env.QUOTA_AWS_ENDPOINT_URL = `http://127.0.0.1:${awsPort}`;
const stopAws = () => aws.exitCode === null && aws.kill("SIGTERM");
const cleanupDatabase = cleanup;
cleanup = async () => {
  stopAws();
  await cleanupDatabase();
};

const child = spawn(process.execPath, ["scripts/server.mjs", "-p", port, "-H", "127.0.0.1"], { env, stdio: "inherit" });
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
  await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  await cleanup().catch((e) => console.error("cleanup failed:", e.message));
  process.exit(code);
};
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
child.on("exit", (code) => {
  if (!stopping) cleanup().finally(() => process.exit(code ?? 1));
});
