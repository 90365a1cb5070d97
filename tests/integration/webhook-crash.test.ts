import { spawn, type ChildProcess } from "node:child_process";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { systemConfiguration, webhookDeliveries } from "@/db/schema";
import { recordEvent } from "@/lib/events/outbox";
import { DEFAULT_SYSTEM_CONFIG } from "@/lib/system-config";
import { webhookEndpointSchema } from "@/lib/webhooks/endpoint-input";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { testKek } from "../helpers/keys";
import { createTestMerchant, MERCHANT_AUDIT } from "../helpers/merchant-fixtures";
import { createTestDatabase } from "../helpers/test-db";
import { answer, startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

/**
 * At-least-once across a crash, with real processes: a worker is killed with SIGKILL while a
 * delivery is in flight (its receiver holds the request open), a new worker starts, and every
 * event still reaches the receiver. Needs two processes on one database, so PostgreSQL only; the
 * lease itself is also covered on PGlite in webhook-delivery.test.ts.
 */

const onPostgres = Boolean(process.env.DATABASE_URL);
let h: DatabaseHandle;
let receiver: WebhookReceiver;
let databaseUrl: string;
const children: ChildProcess[] = [];
const kek = testKek();

beforeAll(async () => {
  if (!onPostgres) return;
  h = await createTestDatabase();
  await h.db.insert(systemConfiguration).values({ ...DEFAULT_SYSTEM_CONFIG, securitySettings: { ...DEFAULT_SYSTEM_CONFIG.securitySettings, allowPrivateWebhookTargets: true } });
  const [{ name }] = (await queryRows<{ name: string }>(h.db, sql`select current_database() as name`)) as [{ name: string }];
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  receiver = await startWebhookReceiver();
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await receiver?.close();
  await h?.close();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/delivery-worker-process.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, TEST_KEK: `${kek.id}:${kek.key.toString("base64")}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!onPostgres)("webhook delivery across a worker crash (postgres)", () => {
  it("delivers every event at least once after the worker is killed mid-delivery", async () => {
    const { merchantId } = await createTestMerchant(h.db, { wallets: false });
    const input = webhookEndpointSchema({ allowHttpToLocalhost: true }).parse({ url: receiver.url(), events: ["InvoicePaid"], timeoutSeconds: 5 });
    const { endpoint } = await createWebhookEndpoint(h.db, merchantId, input, MERCHANT_AUDIT, kek);
    const eventIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      eventIds.push(await recordEvent(h.db, { aggregateType: "merchant", aggregateId: merchantId, merchantId, eventType: "InvoicePaid", payload: { n: i } }));
    }

    // The 4th request is held open: the worker is in the middle of delivering it when it dies.
    let held: string | null = null;
    receiver.respond((request, res) => {
      if (receiver.received.length === 4) {
        held = String(request.headers["cryptocheckout-event-id"]);
        return;
      }
      answer(200, "ok")(request, res);
    });
    const first = startWorker();
    await until(() => held !== null, 30_000, "the held request");
    first.kill("SIGKILL");
    await new Promise((r) => (first.exitCode !== null || first.signalCode !== null ? r(null) : first.once("exit", r)));
    // The dead worker's claim is still on the held delivery: nothing recorded it as sent.
    const [inFlight] = await h.db
      .select({ status: webhookDeliveries.status, attemptCount: webhookDeliveries.attemptCount })
      .from(webhookDeliveries)
      .where(sql`${webhookDeliveries.eventId} = ${held}::uuid`);
    expect(inFlight).toEqual({ status: "delivering", attemptCount: 0 });

    receiver.respond(answer(200, "ok"));
    const second = startWorker();
    await until(
      async () => {
        const rows = await h.db.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
        return rows.length === 10 && rows.every((r) => r.status === "succeeded");
      },
      40_000,
      "every delivery to succeed after the restart",
    );
    second.kill("SIGTERM");

    const received = receiver.received.map((r) => String(r.headers["cryptocheckout-event-id"]));
    expect(new Set(received)).toEqual(new Set(eventIds));
    // The delivery that was in flight was sent again by the new worker.
    expect(received.filter((id) => id === held).length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
