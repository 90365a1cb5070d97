import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTesting, type Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { accountModelQuotas, accounts, outboxEvents, quotaRefreshRuns } from "@/db/schema";
import { buildDemoAccounts } from "@/db/seed/demo-accounts";
import { sealCredentials, type AwsCredentials } from "@/lib/accounts/credentials";
import { createAwsQuotaSource } from "@/lib/quotas/aws";
import { createCommandQuotaSource } from "@/lib/quotas/command";
import { listAccountsNeedingReview, listAccountsWithQuotaErrors, listQuotaRuns } from "@/lib/quotas/queries";
import { refreshAllQuotas, startQuotaRefreshRun } from "@/lib/quotas/refresh-all";
import { AccountNotFoundError, refreshAccountQuotas } from "@/lib/quotas/service";
import type { QuotaSource } from "@/lib/quotas/types";
import { HEALTHY_SETUP, setupFromModelQuotas, startAwsServer, type AwsServer } from "../helpers/aws-server";
import { createTestDatabase } from "../helpers/test-db";

const CRON_SECRET = "quota-cron-secret-0123456789abcdef";
const ADMIN = { type: "admin" as const, id: randomUUID() };
let h: DatabaseHandle;
let db: Db;
let aws: AwsServer;
let source: QuotaSource;
let keyCounter = 0;

/** A fresh, valid-looking key pair the stand-in does not know yet. */
function newCredentials(prefix = "AKIASVC"): AwsCredentials {
  return { accessKeyId: `${prefix}${String(++keyCounter).padStart(20 - prefix.length, "0")}`, secretAccessKey: randomBytes(30).toString("base64") };
}

async function insertAccount(options: {
  credentials?: AwsCredentials | null;
  status?: "AVAILABLE" | "MAINTENANCE" | "SOLD";
  regions?: string[];
  currency?: "USD" | "EUR" | "CNY";
  priceMinor?: bigint;
}): Promise<string> {
  const id = randomUUID();
  const status = options.status ?? "AVAILABLE";
  await db.insert(accounts).values({
    id,
    name: `acct-${id.slice(0, 8)}`,
    displayName: `Account ${id.slice(0, 8)}`,
    status,
    soldAt: status === "SOLD" ? new Date() : null,
    priceMinor: options.priceMinor ?? 10_000n,
    priceCurrency: options.currency ?? "USD",
    regions: options.regions ?? ["us-east-1"],
    ...(options.credentials ? sealCredentials(id, options.credentials) : {}),
  });
  return id;
}

const quotaRows = (accountId: string) =>
  db
    .select({ model: accountModelQuotas.model, rpm: accountModelQuotas.rpm, tpm: accountModelQuotas.tpm, tpd: accountModelQuotas.tpd, available: accountModelQuotas.available })
    .from(accountModelQuotas)
    .where(eq(accountModelQuotas.accountId, accountId))
    .orderBy(asc(accountModelQuotas.model));

const accountRow = async (id: string) => (await db.select().from(accounts).where(eq(accounts.id, id)))[0]!;

const eventsOf = (accountId: string) =>
  db.select().from(outboxEvents).where(and(eq(outboxEvents.aggregateType, "account"), eq(outboxEvents.aggregateId, accountId))).orderBy(asc(outboxEvents.sequence));

beforeAll(async () => {
  [h, aws] = await Promise.all([createTestDatabase(), startAwsServer({ fallback: null })]);
  db = h.db;
  // Read once by settings(): the keys that seal credentials, the cron secret, the AWS stand-in.
  process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
  process.env.AUTH_SECRET = randomBytes(32).toString("base64url");
  process.env.CRON_SECRET = CRON_SECRET;
  process.env.QUOTA_SOURCE = "aws";
  process.env.QUOTA_AWS_ENDPOINT_URL = aws.url;
  setDatabaseForTesting(h);
  source = createAwsQuotaSource({ endpoint: aws.url, requestTimeoutMs: 2_000 });
}, 60_000);

afterAll(async () => {
  await aws?.close();
  await h?.close();
});

describe("refreshAccountQuotas", () => {
  it("replaces the profile and recomputes level, suggested price and review flag; leaves the price alone", async () => {
    const credentials = newCredentials();
    aws.setAccount(credentials.accessKeyId, {
      secretAccessKey: credentials.secretAccessKey,
      models: {
        "claude-4.0-sonnet-4-v1": { onDemand: { rpm: 200, tpm: 200_000 }, crossRegion: { rpm: 1_000, tpm: 2_000_000 }, tpd: 1_000_000_000, available: true },
        "claude-3.5-haiku": { onDemand: { rpm: 1_000, tpm: 2_000_000 }, crossRegion: { rpm: 1_000, tpm: 2_000_000 }, tpd: 2_880_000_000, available: true },
      },
    });
    const id = await insertAccount({ credentials, regions: ["us-west-2", "us-east-1"], currency: "CNY", priceMinor: 50_000n });
    await db.insert(accountModelQuotas).values({ accountId: id, model: "claude-4.0-opus-4-v1", rpm: 1, tpm: 999, tpd: 9_999, available: true });
    await db.update(accounts).set({ quotaError: "old failure", quotaErrorAt: new Date(0), needsReview: true }).where(eq(accounts.id, id));
    aws.requests.length = 0;
    const now = new Date("2025-06-01T10:00:00Z");

    const result = await refreshAccountQuotas(db, id, { source, actor: ADMIN, now });

    expect(result).toMatchObject({ ok: true, quotaLevel: "HIGH", needsReview: false, suggestedPrice: { amount: 234_500n, asset: "CNY" } });
    expect(await quotaRows(id)).toEqual([
      { model: "claude-4.0-sonnet-4-v1", rpm: 1_000, tpm: 2_000_000, tpd: 2_000_000_000, available: true },
      { model: "claude-3.5-haiku", rpm: 1_000, tpm: 2_000_000, tpd: 2_880_000_000, available: true },
    ]);
    const account = await accountRow(id);
    // HIGH (Sonnet 4 at 10× its default): (300.00 + 30.00 + 5.00) USD × 7 as CNY minor units.
    expect(account).toMatchObject({ quotaLevel: "HIGH", suggestedPriceMinor: 234_500n, priceMinor: 50_000n, quotaError: null, quotaErrorAt: null, needsReview: false });
    expect(account.quotaUpdatedAt).toEqual(now);
    // The account's first region, for every call.
    expect(new Set(aws.requests.map((r) => r.region))).toEqual(new Set(["us-west-2"]));

    const [event] = await eventsOf(id);
    expect(event).toMatchObject({ eventType: "QuotaUpdated", actorType: "admin", actorId: ADMIN.id, occurredAt: now });
    expect(event!.payload).toEqual({
      accountId: id,
      quotaProfile: { lastUpdated: now.toISOString(), modelQuotas: result.ok ? result.modelQuotas : [] },
      timestamp: now.toISOString(),
    });
    expect(JSON.stringify(event!.payload)).not.toContain(credentials.secretAccessKey);
  });

  it("a failure keeps the last good profile and records the error, its time and an event", async () => {
    const credentials = newCredentials();
    aws.setAccount(credentials.accessKeyId, { ...HEALTHY_SETUP, secretAccessKey: credentials.secretAccessKey });
    const id = await insertAccount({ credentials });
    expect((await refreshAccountQuotas(db, id, { source, actor: { type: "system" } })).ok).toBe(true);
    const before = { rows: await quotaRows(id), account: await accountRow(id) };

    aws.setAccount(credentials.accessKeyId, { ...HEALTHY_SETUP, failure: { kind: "expired" } });
    const failedAt = new Date(Date.now() + 60_000);
    const result = await refreshAccountQuotas(db, id, { source, actor: { type: "system" }, now: failedAt });

    expect(result).toMatchObject({ ok: false, accountId: id, code: "expired_credentials", failedAt });
    expect(await quotaRows(id)).toEqual(before.rows);
    const after = await accountRow(id);
    expect(after).toMatchObject({
      quotaLevel: before.account.quotaLevel,
      quotaUpdatedAt: before.account.quotaUpdatedAt,
      suggestedPriceMinor: before.account.suggestedPriceMinor,
      quotaError: result.ok ? null : result.message,
      quotaErrorAt: failedAt,
    });
    const events = await eventsOf(id);
    expect(events.map((e) => e.eventType)).toEqual(["QuotaUpdated", "QuotaRefreshFailed"]);
    expect(events[1]).toMatchObject({ actorType: "system", payload: { accountId: id, code: "expired_credentials", message: after.quotaError } });
    expect(JSON.stringify(events[1]!.payload)).not.toMatch(new RegExp(`${credentials.accessKeyId}|${credentials.secretAccessKey.replace(/[+/]/g, ".")}`));

    // Listed among failures until a refresh succeeds.
    expect((await listAccountsWithQuotaErrors(db)).map((a) => a.id)).toContain(id);
    aws.setAccount(credentials.accessKeyId, HEALTHY_SETUP);
    expect((await refreshAccountQuotas(db, id, { source, actor: { type: "system" } })).ok).toBe(true);
    expect((await listAccountsWithQuotaErrors(db)).map((a) => a.id)).not.toContain(id);
  });

  it("flags an account whose applied quotas are all zero for review, and clears it when they are not", async () => {
    const credentials = newCredentials();
    aws.setAccount(credentials.accessKeyId, {
      models: { "claude-4.0-sonnet-4-v1": { onDemand: { rpm: 0, tpm: 0 }, crossRegion: { rpm: 0, tpm: 0 }, tpd: 0, available: true } },
    });
    const id = await insertAccount({ credentials, status: "MAINTENANCE" });

    const zero = await refreshAccountQuotas(db, id, { source, actor: { type: "system" } });
    expect(zero).toMatchObject({ ok: true, needsReview: true, quotaLevel: "LOW" });
    expect(await quotaRows(id)).toEqual([{ model: "claude-4.0-sonnet-4-v1", rpm: 0, tpm: 0, tpd: 0, available: true }]);
    expect((await accountRow(id)).needsReview).toBe(true);
    expect((await listAccountsNeedingReview(db)).map((a) => a.id)).toContain(id);

    aws.setAccount(credentials.accessKeyId, HEALTHY_SETUP);
    expect(await refreshAccountQuotas(db, id, { source, actor: { type: "system" } })).toMatchObject({ ok: true, needsReview: false });
    expect((await listAccountsNeedingReview(db)).map((a) => a.id)).not.toContain(id);
  });

  it("an account without credentials records missing_credentials; an unknown account throws", async () => {
    const id = await insertAccount({ credentials: null });
    expect(await refreshAccountQuotas(db, id, { source, actor: { type: "system" } })).toMatchObject({ ok: false, code: "missing_credentials" });
    expect((await accountRow(id)).quotaError).toContain("no AWS credentials");
    await expect(refreshAccountQuotas(db, randomUUID(), { source, actor: { type: "system" } })).rejects.toBeInstanceOf(AccountNotFoundError);
  });

  it("works the same through the external command source", async () => {
    const id = await insertAccount({ credentials: newCredentials(), regions: ["eu-central-1"] });
    const script = (name: string) => createCommandQuotaSource({ argv: [process.execPath, path.join(process.cwd(), "tests/fixtures/quota-commands", name)], timeoutMs: 5_000 });

    expect(await refreshAccountQuotas(db, id, { source: script("good.mjs"), actor: { type: "system" } })).toMatchObject({ ok: true, quotaLevel: "HIGH" });
    const rows = await quotaRows(id);
    expect(rows.find((r) => r.model === "claude-4.0-sonnet-4-v1")?.tpm).toBe(3_000_000);

    const crash = await refreshAccountQuotas(db, id, { source: script("crash.mjs"), actor: { type: "system" } });
    expect(crash).toMatchObject({ ok: false, code: "command_failed" });
    expect(await quotaRows(id)).toEqual(rows);
  });

  it("a seeded demo account refreshes from the stand-in to the profile it was seeded with", async () => {
    const demo = buildDemoAccounts(new Date()).find((d) => d.account.name === "opus-enterprise-use1")!;
    const credentials = { accessKeyId: demo.accessKeyId, secretAccessKey: demo.secretAccessKey };
    aws.setAccount(credentials.accessKeyId, setupFromModelQuotas(demo.profile.modelQuotas));
    const id = await insertAccount({ credentials, regions: demo.account.regions });

    const result = await refreshAccountQuotas(db, id, { source, actor: { type: "system" } });
    expect(result).toMatchObject({ ok: true, quotaLevel: demo.quotaLevel, suggestedPrice: { amount: demo.suggestedPriceMinor } });
    expect(result.ok && result.modelQuotas).toEqual(demo.profile.modelQuotas);
  });
});

describe("refreshAllQuotas", () => {
  /** Wraps a source: counts calls in flight, and can hold calls after the first `free` until released. */
  function instrumented(inner: QuotaSource, free = Infinity) {
    let inFlight = 0;
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stats = { maxInFlight: 0 };
    const wrapped: QuotaSource = {
      kind: inner.kind,
      fetchQuotas: async (request) => {
        inFlight += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
        try {
          if (++calls > free) await gate;
          await new Promise((r) => setTimeout(r, 30));
          return await inner.fetchQuotas(request);
        } finally {
          inFlight -= 1;
        }
      },
    };
    return { source: wrapped, stats, release };
  }

  async function resetAccounts(): Promise<void> {
    await db.delete(accounts).where(sql`true`);
    await db.delete(quotaRefreshRuns).where(sql`true`);
  }

  it("refreshes every account with credentials that is not sold, at most `concurrency` at once, and counts them", async () => {
    await resetAccounts();
    const healthy: string[] = [];
    for (let i = 0; i < 4; i++) {
      const credentials = newCredentials("AKIAOK");
      aws.setAccount(credentials.accessKeyId, HEALTHY_SETUP);
      healthy.push(await insertAccount({ credentials }));
    }
    const failing = await insertAccount({ credentials: newCredentials("AKIAEXPIRED") });
    const sold = await insertAccount({ credentials: newCredentials("AKIAOK"), status: "SOLD" });
    const bare = await insertAccount({ credentials: null });
    const probe = instrumented(source);

    const report = await refreshAllQuotas(db, { trigger: "admin", adminId: ADMIN.id, concurrency: 2, source: probe.source });

    expect(report).toMatchObject({ started: true, total: 5, succeeded: 4, failed: 1 });
    expect(probe.stats.maxInFlight).toBe(2);
    const [run] = await db.select().from(quotaRefreshRuns).where(eq(quotaRefreshRuns.id, report.runId));
    expect(run).toMatchObject({ trigger: "admin", adminId: ADMIN.id, total: 5, succeeded: 4, failed: 1 });
    expect(run!.finishedAt).not.toBeNull();
    for (const id of healthy) expect((await accountRow(id)).quotaUpdatedAt).not.toBeNull();
    expect((await accountRow(failing)).quotaError).toContain("expired");
    expect((await accountRow(sold)).quotaUpdatedAt).toBeNull();
    expect((await accountRow(bare)).quotaError).toBeNull();
    expect((await eventsOf(healthy[0]!))[0]).toMatchObject({ actorType: "admin", actorId: ADMIN.id });
  });

  it("shows progress while it runs and is not started twice", async () => {
    await resetAccounts();
    for (let i = 0; i < 3; i++) {
      const credentials = newCredentials("AKIAPROG");
      aws.setAccount(credentials.accessKeyId, HEALTHY_SETUP);
      await insertAccount({ credentials });
    }
    const probe = instrumented(source, 1);
    const running = refreshAllQuotas(db, { trigger: "cron", concurrency: 1, source: probe.source });

    let [current] = await listQuotaRuns(db);
    for (let i = 0; i < 100 && current?.succeeded !== 1; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [current] = await listQuotaRuns(db);
    }
    expect(current).toMatchObject({ trigger: "cron", total: 3, succeeded: 1, failed: 0, finishedAt: null, inProgress: true });
    expect(await startQuotaRefreshRun(db, { trigger: "admin", adminId: ADMIN.id })).toEqual({ started: false, runId: current!.id });
    expect(await refreshAllQuotas(db, { trigger: "cron", source })).toEqual({ started: false, runId: current!.id });

    probe.release();
    expect(await running).toEqual({ started: true, runId: current!.id, total: 3, succeeded: 3, failed: 0 });
    const [done] = await listQuotaRuns(db);
    expect(done).toMatchObject({ succeeded: 3, inProgress: false });
    expect(done!.finishedAt).not.toBeNull();
  });

  it("a run left unfinished for over 15 minutes does not block a new one", async () => {
    await resetAccounts();
    const now = new Date();
    const [stale] = await db
      .insert(quotaRefreshRuns)
      .values({ trigger: "cron", total: 3, startedAt: new Date(now.getTime() - 16 * 60_000) })
      .returning({ id: quotaRefreshRuns.id });
    const start = await startQuotaRefreshRun(db, { trigger: "cron", now });
    expect(start.started).toBe(true);
    const runs = await listQuotaRuns(db, { now });
    expect(runs.find((r) => r.id === stale!.id)?.inProgress).toBe(false);
  });
});

describe("cron route /api/cron/refresh-quotas", () => {
  const call = (method: "GET" | "POST", authorization?: string) =>
    new Request("http://localhost/api/cron/refresh-quotas", { method, headers: authorization ? { authorization } : {} });

  it("needs the bearer secret, then refreshes every account through the configured source", async () => {
    await db.delete(quotaRefreshRuns).where(sql`true`);
    await db.delete(accounts).where(sql`true`);
    const credentials = newCredentials("AKIACRON");
    aws.setAccount(credentials.accessKeyId, HEALTHY_SETUP);
    const id = await insertAccount({ credentials });
    const { GET, POST } = await import("@/app/api/cron/refresh-quotas/route");

    expect((await POST(call("POST"))).status).toBe(401);
    expect((await GET(call("GET", "Bearer wrong"))).status).toBe(401);
    const res = await POST(call("POST", `Bearer ${CRON_SECRET}`));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ quotaRefresh: { started: true, total: 1, succeeded: 1, failed: 0 } });
    expect((await accountRow(id)).quotaLevel).toBe("HIGH");
    const [event] = await eventsOf(id);
    expect(event).toMatchObject({ eventType: "QuotaUpdated", actorType: "system" });
  });
});
