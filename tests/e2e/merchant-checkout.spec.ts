import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";

// BIP84 test-network account keys (m/84'/1'/20' and m/84'/1'/21') of the BIP39 test mnemonic
// "abandon … about": one per browser project, since a key may belong to one merchant only.
const VPUBS: Record<string, string> = {
  desktop:
    "vpub5Y6cjg78GGuPDYb9N7j6oZVaxM11cwQytJdtNKzbYfheMotf9qvvRMNfVuXRSbonrw2Fd4hE72nMPun5or61XbQfhLSiU9U4SEcXmzbXQHZ",
  mobile:
    "vpub5Y6cjg78GGuPGZbWeHCykWDt63vYYaM57DkFM3QfFzAekdvohkh5T9v9AHTNjd8CJ3bC9S73J3Umk9Wmt9VjRdxAU9zovq51NA3ansMat3H",
};

test("a merchant signs up, adds a key, creates an invoice through the API and opens its checkout", async ({ page, request, context }, info) => {
  test.setTimeout(90_000);
  const email = `shop-${info.project.name}-${Date.now()}@example.com`;

  // Sign up: bad input is named per field, then the account is created and signed in.
  await page.goto("/merchant/sign-up");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your business name (at least 2 characters).")).toBeVisible();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await page.getByLabel("Business name").fill("Espresso Supply Co");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await page.getByLabel("Password").fill("a-long-merchant-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/merchant$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("merchant-name")).toHaveText("Espresso Supply Co");

  // Wallets: a private key is refused; the test-network account key is accepted.
  await page.getByRole("link", { name: "Wallets" }).first().click();
  await page.getByLabel("Extended public key").fill("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi");
  await page.getByRole("button", { name: "Save key" }).click();
  await expect(page.locator("#extendedPublicKey-error")).toContainText(/private/i);
  await page.getByLabel("Extended public key").fill(VPUBS[info.project.name]!);
  await page.getByRole("button", { name: "Save key" }).click();
  await expect(page.getByTestId("form-success")).toContainText("tb1q");
  await expect(page.getByTestId("wallet-list")).toContainText("Bitcoin");

  // API keys: a test key is shown once.
  await page.getByRole("link", { name: "API keys" }).first().click();
  await page.getByLabel("Name").fill("E2E server");
  await page.getByRole("button", { name: "Create API key" }).click();
  const keyText = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(keyText).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("api-key-list")).toContainText("E2E server");
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(keyText);

  // The merchant's server creates an invoice.
  const created = await request.post("/api/v1/invoices", {
    headers: { authorization: `Bearer ${keyText}`, "idempotency-key": `e2e-${Date.now()}` },
    data: {
      title: "Espresso beans, 1 kg",
      currency: "USD",
      items: [{ description: "Espresso beans, 1 kg", quantity: 2, unit_price: "24.50" }],
      crypto_currency: "BTC",
      redirect_url: "https://shop.example.com/thanks",
    },
  });
  expect(created.status()).toBe(201);
  const invoice = await created.json();
  expect(invoice.total).toBe("49.00");
  expect(invoice.payment_address).toMatch(/^tb1q/);

  // The buyer opens the hosted checkout.
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(new URL(invoice.hosted_url).pathname);
  await expect(page.getByRole("heading", { name: "Espresso beans, 1 kg" })).toBeVisible();
  await expect(page.getByText(invoice.payment_address).first()).toBeVisible();
  await expect(page.getByText(invoice.crypto.amount).first()).toBeVisible();
  await expect(page.getByRole("img", { name: /QR code/i })).toBeVisible();
  const timer = page.getByRole("timer");
  await expect(timer).toHaveText(/^(29|30):\d\d$/);
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first!, { timeout: 5000 });
  const copy = page.getByRole("button", { name: "Copy address" });
  await copy.click();
  await expect(page.getByRole("button", { name: "Copied address" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(invoice.payment_address);

  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // The page follows the invoice live: cancelling it through the API shows without a reload.
  const cancel = await request.post(`/api/v1/invoices/${invoice.id}/cancel`, {
    headers: { authorization: `Bearer ${keyText}` },
    data: { reason: "e2e" },
  });
  expect(cancel.status()).toBe(200);
  await expect(page.getByText(/was cancelled/i).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(invoice.payment_address)).toHaveCount(0);
});

test("an unknown checkout id is a 404 page, and the status endpoint answers 404 JSON", async ({ page, request }) => {
  const res = await page.goto("/pay/00000000-0000-4000-8000-000000000000");
  expect(res?.status()).toBe(404);
  const api = await request.get("/api/pay/00000000-0000-4000-8000-000000000000/status");
  expect(api.status()).toBe(404);
  expect((await api.json()).error.code).toBe("invoice.not_found");
});

test("the OpenAPI document is served", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/invoices", "/invoices/{id}", "/customers"]));
});

test("a payment link mints a fresh invoice for each visitor", async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  // A Tron account key of the BIP39 test mnemonic at an account number no other run uses.
  const account = 1000 + (Date.now() % 1_000_000) + (info.project.name === "mobile" ? 1 : 0);
  const seed = mnemonicToSeedSync("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
  const tronKey = HDKey.fromMasterSeed(seed).derive(`m/44'/195'/${account}'`).publicExtendedKey;

  await page.goto("/merchant/sign-up");
  await page.getByLabel("Business name").fill("Tea Traders");
  await page.getByLabel("Email").fill(`tea-${account}@example.com`);
  await page.getByLabel("Password").fill("a-long-merchant-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/merchant$/, { timeout: 20_000 });

  await page.goto("/merchant/wallets");
  await page.getByLabel("Network").selectOption("tron");
  await page.getByLabel("Extended public key").fill(tronKey);
  await page.getByRole("button", { name: "Save key" }).click();
  await expect(page.getByTestId("form-success")).toContainText("T");

  await page.goto("/merchant/payment-links");
  await page.getByRole("button", { name: "Create link" }).click();
  await expect(page.locator("#title-error")).toBeVisible();
  await expect(page.locator("#price-error")).toBeVisible();
  await page.getByLabel("Product").fill("Oolong, 250 g");
  await page.getByLabel("Price").fill("12.50");
  await page.getByRole("button", { name: "Create link" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  const href = await page.locator('a[href*="/pay/link/"]').first().getAttribute("href");
  const linkPath = new URL(href!).pathname;

  const addresses: string[] = [];
  for (let visitor = 0; visitor < 2; visitor++) {
    const context = await browser.newContext();
    const buyer = await context.newPage();
    await buyer.goto(linkPath);
    await expect(buyer.getByRole("heading", { name: "Oolong, 250 g" })).toBeVisible();
    await buyer.getByRole("button", { name: "Continue to payment" }).click();
    await expect(buyer).toHaveURL(/\/pay\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    await expect(buyer.getByRole("img", { name: /QR code/i })).toBeVisible();
    await expect(buyer.getByText("12.50").first()).toBeVisible();
    addresses.push((await buyer.getByTestId("pay-address").textContent())!.trim());
    await context.close();
  }
  expect(addresses[0]).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
  expect(addresses[1]).not.toBe(addresses[0]);
});
