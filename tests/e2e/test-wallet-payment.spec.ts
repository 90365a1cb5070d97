import { expect, test } from "@playwright/test";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";

// The demo payment, end to end: a test-mode USDT (ERC-20) invoice on the local anvil chain the
// server started, paid with "Pay with test wallet" (a real transaction), then followed live by the
// checkout through confirming to paid as the in-process watcher sees the blocks.
test("a test-mode checkout is paid with the test wallet and moves by itself to paid", async ({ page, request }, info) => {
  test.setTimeout(120_000);
  const account = 3000 + (Date.now() % 1_000_000) + (info.project.name === "mobile" ? 1 : 0);
  const seed = mnemonicToSeedSync("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
  const ethKey = HDKey.fromMasterSeed(seed).derive(`m/44'/60'/${account}'`).publicExtendedKey;

  await page.goto("/merchant/sign-up");
  await page.getByLabel("Business name").fill("Anvil Goods");
  await page.getByLabel("Email").fill(`anvil-${account}@example.com`);
  await page.getByLabel("Password").fill("a-long-merchant-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/merchant$/, { timeout: 20_000 });

  await page.goto("/merchant/wallets");
  await page.getByLabel("Network").selectOption("ethereum");
  await page.getByLabel("Mode").selectOption("test");
  await page.getByLabel("Extended public key").fill(ethKey);
  await page.getByRole("button", { name: "Save key" }).click();
  await expect(page.getByTestId("form-success")).toContainText("0x");

  await page.goto("/merchant/api-keys");
  await page.getByLabel("Name").fill("Demo");
  await page.getByRole("button", { name: "Create API key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();

  const created = await request.post("/api/v1/invoices", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      title: "Sample pack",
      currency: "USD",
      items: [{ description: "Sample pack", quantity: 1, unit_price: "5.00" }],
      crypto_currency: "USDT",
      network: "ethereum",
    },
  });
  expect(created.status()).toBe(201);
  const invoice = await created.json();

  await page.goto(new URL(invoice.hosted_url).pathname);
  await expect(page.getByText("local test chain").first()).toBeVisible();
  await page.getByRole("button", { name: "Pay with test wallet" }).click();
  await expect(page.getByText(/Transaction 0x[0-9a-f]{64} sent/)).toBeVisible({ timeout: 15_000 });
  // Blocks come every second; 6 confirmations are required for this amount.
  await expect(page.getByTestId("checkout-status-confirming")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("checkout-status-paid")).toBeVisible({ timeout: 40_000 });

  const paid = await request.get(`/api/v1/invoices/${invoice.id}`, { headers: { authorization: `Bearer ${key}` } });
  const body = await paid.json();
  expect(body.status).toBe("paid");
  expect(body.crypto.received).toBe(body.crypto.amount);
  expect(body.exception).toBe("none");
});
