import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTesting, type Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { chainCursors, invoices, payments } from "@/db/schema";
import { SYSTEM_AUDIT } from "@/lib/audit";
import { createInvoiceRecord } from "@/lib/invoices/create-invoice";
import { refuseUnlessCron } from "@/lib/jobs/cron";
import { startEvmChain, type EvmChain } from "../helpers/evm-chain";
import { preparePaymentDatabase } from "../helpers/payment-flow";
import { createTestMerchant } from "../helpers/merchant-fixtures";
import { createTestDatabase } from "../helpers/test-db";

const SECRET = "cron-secret-for-tests-0123456789abcdef";
let h: DatabaseHandle;
let db: Db;
let chain: EvmChain;

beforeAll(async () => {
  [h, chain] = await Promise.all([createTestDatabase(), startEvmChain()]);
  db = h.db;
  // The routes read their settings from the environment once; set it before the first request.
  process.env.CRON_SECRET = SECRET;
  process.env.ETHEREUM_TEST_RPC_URL = chain.url;
  process.env.ETHEREUM_TEST_USDT_CONTRACT = chain.token;
  setDatabaseForTesting(h);
  // No live networks in this test: only the local chain is watched.
  await preparePaymentDatabase(db);
}, 60_000);

afterAll(async () => {
  await chain?.stop();
  await h?.close();
});

const call = (path: string, authorization?: string) =>
  new Request(`http://localhost${path}`, { method: "POST", headers: authorization ? { authorization } : {} });

describe("cron guard", () => {
  it("fails closed without a secret, refuses a wrong or missing bearer, admits the right one", async () => {
    const unset = refuseUnlessCron(call("/x", `Bearer ${SECRET}`), undefined)!;
    expect(unset.status).toBe(503);
    expect(await unset.json()).toMatchObject({ error: { code: "cron.not_configured" } });
    for (const header of [undefined, "Bearer wrong", `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(0, -1)}`, SECRET, `Basic ${SECRET}`]) {
      const refused = refuseUnlessCron(call("/x", header), SECRET)!;
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: "cron.unauthorized" } });
    }
    expect(refuseUnlessCron(call("/x", `Bearer ${SECRET}`), SECRET)).toBeNull();
  });
});

describe("cron routes", () => {
  it("poll-chains records a payment on the configured chain; expire-invoices expires overdue ones", async () => {
    const { POST: poll } = await import("@/app/api/cron/poll-chains/route");
    const { POST: expire } = await import("@/app/api/cron/expire-invoices/route");
    expect((await poll(call("/api/cron/poll-chains"))).status).toBe(401);

    const { merchantId } = await createTestMerchant(db);
    const { invoice } = await createInvoiceRecord(
      db,
      { merchantId, mode: "test", title: "Cron", currency: "USD", items: [{ description: "x", quantity: 1n, unitPriceMinor: 500n }], cryptoCurrency: "USDT", network: "ethereum" },
      SYSTEM_AUDIT,
    );
    // The first poll starts the cursor at the head; the payment comes after it.
    const first = await poll(call("/api/cron/poll-chains", `Bearer ${SECRET}`));
    expect(first.status).toBe(200);
    await chain.wait(await chain.sendUsdt(invoice.paymentAddress, invoice.cryptoAmount));
    const res = await poll(call("/api/cron/poll-chains", `Bearer ${SECRET}`));
    const body = (await res.json()) as { polls: { source: string; paymentsRecorded: number; error?: string }[] };
    expect(body.polls).toEqual([expect.objectContaining({ source: "ethereum:test", paymentsRecorded: 1 })]);
    const [payment] = await db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    expect(payment).toMatchObject({ amount: invoice.cryptoAmount, status: "confirming" });
    const [cursor] = await db.select().from(chainCursors).where(eq(chainCursors.source, "ethereum:test"));
    expect(cursor!.lastError).toBeNull();

    const { invoice: overdue } = await createInvoiceRecord(
      db,
      { merchantId, mode: "test", title: "Late", currency: "USD", items: [{ description: "x", quantity: 1n, unitPriceMinor: 500n }], cryptoCurrency: "ETH", network: "ethereum", expiresInMinutes: 5, now: new Date(Date.now() - 10 * 60_000) },
      SYSTEM_AUDIT,
    );
    const expired = await expire(call("/api/cron/expire-invoices", `Bearer ${SECRET}`));
    expect(expired.status).toBe(200);
    expect(((await expired.json()) as { expiry: { changed: number } }).expiry.changed).toBeGreaterThanOrEqual(1);
    const [row] = await db.select({ status: invoices.status }).from(invoices).where(eq(invoices.id, overdue.id));
    expect(row!.status).toBe("expired");
  });

  it("deliver-webhooks relays the outbox once per event", async () => {
    const { POST: deliver } = await import("@/app/api/cron/deliver-webhooks/route");
    expect((await deliver(call("/api/cron/deliver-webhooks"))).status).toBe(401);
    const first = await deliver(call("/api/cron/deliver-webhooks", `Bearer ${SECRET}`));
    expect(first.status).toBe(200);
    const relayed = ((await first.json()) as { events: number }).events;
    expect(relayed).toBeGreaterThanOrEqual(2); // at least the invoices created above
    const again = (await (await deliver(call("/api/cron/deliver-webhooks", `Bearer ${SECRET}`))).json()) as { events: number; deliveries: { claimed: number } };
    expect(again).toMatchObject({ events: 0, deliveries: { claimed: 0 } });
  });
});
