import { expect, test, type Page } from "@playwright/test";

const PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password";

/**
 * Seeded accounts this test may buy, cheapest first (its retry needs a second one, since the
 * first try may have sold or reserved the first). Buying one leaves one fewer in stock.
 */
const CANDIDATES = ["Starter — us-west-2", "3.5 Sonnet v2 Standard — eu-west-1"];

/** Opens the first candidate that can still be bought, from the storefront. */
async function openBuyableAccount(page: Page): Promise<string> {
  for (const name of CANDIDATES) {
    await page.goto("/");
    await page.getByRole("link", { name }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    if (await page.getByTestId("buy-form").isVisible()) return name;
  }
  throw new Error("no seeded account is left to buy");
}

// The purchase, end to end: Buy on an account page reserves it with a store invoice, the hosted
// checkout is paid with the local chain's test wallet, the in-process watcher confirms it, and the
// checkout's "Return to merchant" leads to the order page, which shows the credentials.
test("a buyer buys an account with the test wallet and sees its credentials on the order page", async ({ page }) => {
  test.setTimeout(120_000);
  const name = await openBuyableAccount(page);
  const accountUrl = page.url();
  await page.getByLabel("Pay with").selectOption({ label: "USDT on Ethereum (test network)" });
  await page.getByLabel("Email for your order link (optional)").fill("e2e-buyer@example.com");
  await page.getByRole("button", { name: "Buy with crypto" }).click();
  await expect(page).toHaveURL(/\/pay\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: `AWS account: ${name}` })).toBeVisible();

  // While the invoice is open the account is held: its page says so and offers no Buy.
  const held = await page.context().newPage();
  await held.goto(accountUrl);
  await expect(held.getByTestId("reserved-note")).toBeVisible();
  await expect(held.getByTestId("buy-form")).toHaveCount(0);
  await held.close();

  await page.getByRole("button", { name: "Pay with test wallet" }).click();
  await expect(page.getByText(/Transaction 0x[0-9a-f]{64} sent/)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("checkout-status-paid")).toBeVisible({ timeout: 60_000 });
  await page.getByRole("link", { name: "Return to merchant" }).click();

  await expect(page).toHaveURL(/\/orders\/[A-Za-z0-9_-]{43}$/);
  const orderUrl = page.url();
  await expect(page.getByTestId("order-paid")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("access-key-id")).toHaveText(/^AKIA[A-Z0-9]{12,}$/);
  await expect(page.getByTestId("secret-access-key")).toHaveText(/^[A-Za-z0-9/+=]{20,}$/);
  await expect(page.getByRole("button", { name: "Copy secret access key" })).toBeVisible();
  await expect(page.getByTestId("instructions")).toContainText("rotate the key pair");
  await expect(page.getByText("Purchased")).toBeVisible();

  // The page is private: not cached, not indexed, no referrer.
  const response = await page.goto(orderUrl);
  expect(response!.status()).toBe(200);
  expect(response!.headers()["cache-control"]).toContain("no-store");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");

  // A wrong token is a 404 that reveals nothing.
  const token = orderUrl.split("/orders/")[1]!;
  const wrong = await page.goto(`/orders/${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`);
  expect(wrong!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Order not found" })).toBeVisible();

  // The account is sold now.
  await page.goto(accountUrl);
  await expect(page.getByText("This account has been sold.")).toBeVisible();
  await expect(page.getByTestId("buy-form")).toHaveCount(0);

  // The admin sees the order, paid, with its invoice.
  await page.goto("/admin/orders");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/orders$/);
  const row = page.getByTestId("admin-order").filter({ hasText: name }).filter({ hasText: "e2e-buyer@example.com" });
  await expect(row.first()).toContainText("Paid");
  await expect(row.first()).toContainText("paid (test)");
});
