import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifyWebhook } from "../../lib/webhooks/signature";

/**
 * A merchant adds a webhook endpoint pointing at a receiver on this machine, sends a test event,
 * reads the delivery in the log, then sees a failing answer recorded and retried on redelivery.
 * (The e2e server runs with the local test chain, which allows webhooks to localhost.)
 */

type Received = { headers: IncomingHttpHeaders; body: string };
let server: Server;
let port: number;
let status = 200;
const received: Received[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "thanks" : "receiver is down");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test("a merchant creates a webhook, sends a test event and reads its delivery in the log", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.goto("/merchant/sign-up");
  await page.getByLabel("Business name").fill("Webhook Bakery");
  await page.getByLabel("Email").fill(`hooks-${info.project.name}-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("a-long-merchant-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/merchant$/, { timeout: 20_000 });

  await page.getByRole("link", { name: "Webhooks" }).first().click();
  await expect(page.getByRole("heading", { name: "Webhooks", exact: true })).toBeVisible();
  await expect(page.getByText("No endpoints yet.")).toBeVisible();

  // Bad input is named on its field; nothing is created.
  await page.getByLabel("Endpoint URL").fill("ftp://example.com/hooks");
  await page.getByLabel("Retries").fill("11");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.locator("#url-error")).toBeVisible();
  await expect(page.locator("#maxRetries-error")).toHaveText("At most 10 retries.");

  const url = `http://127.0.0.1:${port}/hooks`;
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByLabel("Retries").fill("3");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = (await page.getByTestId("new-webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

  await page.getByRole("link", { name: /Open the endpoint/ }).click();
  await expect(page.getByRole("heading", { name: url })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(secret);
  await expect(page.getByText(`Signing secret …${secret.slice(-4)}`)).toBeVisible();

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("form-success")).toContainText("The endpoint answered HTTP 200");
  expect(received).toHaveLength(1);
  const [first] = received;
  expect(JSON.parse(first!.body)).toMatchObject({ type: "WebhookTest" });
  expect(verifyWebhook(secret, first!.body, String(first!.headers["cryptocheckout-signature"])).ok).toBe(true);

  // The log lists it; its page shows the attempt and the exact body sent.
  await page.reload();
  const log = page.getByTestId("delivery-log");
  await expect(log).toContainText("WebhookTest");
  await expect(log).toContainText("succeeded");
  await log.getByRole("link", { name: "WebhookTest" }).click();
  await expect(page.getByRole("heading", { name: "Attempts (1)" })).toBeVisible();
  await expect(page.getByTestId("attempts")).toContainText("HTTP 200");
  await expect(page.getByTestId("attempts")).toContainText("thanks");
  const eventId = String(first!.headers["cryptocheckout-event-id"]);
  await expect(page.getByText(eventId).first()).toBeVisible();

  // The receiver fails: a redelivery is recorded with its status and will be retried.
  status = 503;
  await page.getByRole("button", { name: "Redeliver" }).click();
  await expect(page.getByTestId("form-error")).toContainText("It failed: HTTP 503. It will be retried.");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Attempts (2)" })).toBeVisible();
  await expect(page.getByTestId("attempts")).toContainText("HTTP 503");
  await expect(page.getByTestId("attempts")).toContainText("receiver is down");
  expect(received).toHaveLength(2);
  expect(received[1]!.headers["cryptocheckout-event-id"]).toBe(eventId);
});
