import { expect, test, type Page } from "@playwright/test";

const PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password";

async function signIn(page: Page, to: string) {
  await page.goto(to);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${to.replace(/[/?]/g, "\\$&")}$`));
}

test("an admin verifies, suspends with a reason and reactivates a merchant, whose API key follows; then changes a system setting", async ({ browser, page }) => {
  // A merchant of its own, with a test API key.
  const email = `e2e-merchant-${Date.now()}@example.com`;
  const merchantContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.77" } });
  const merchantPage = await merchantContext.newPage();
  await merchantPage.goto("/merchant/sign-up");
  await merchantPage.getByLabel("Business name").fill("E2E Tea Merchants");
  await merchantPage.getByLabel("Email").fill(email);
  await merchantPage.getByLabel("Password").fill("a-long-merchant-password");
  await merchantPage.getByRole("button", { name: "Create account" }).click();
  await merchantPage.waitForURL((url) => url.pathname === "/merchant");
  await merchantPage.goto("/merchant/api-keys");
  await merchantPage.getByLabel("Name").fill("E2E key");
  await merchantPage.getByRole("button", { name: "Create API key" }).click();
  const apiKey = (await merchantPage.getByTestId("new-api-key").textContent())!.trim();
  const listInvoices = () => page.request.get("/api/v1/invoices", { headers: { authorization: `Bearer ${apiKey}` } });

  // The admin finds it by email and opens it.
  await signIn(page, "/admin/merchants");
  await page.getByLabel("Search").fill(email);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\/admin\/merchants\?q=/);
  await expect(page.getByTestId("merchants-total")).toHaveText("1 merchant match");
  await page.getByRole("link", { name: "E2E Tea Merchants" }).click();
  await expect(page.getByRole("heading", { name: "E2E Tea Merchants" })).toBeVisible();
  await expect(page.getByTestId("merchant-status")).toHaveText("Pending verification");
  await expect(page.getByTestId("merchant-keys")).toContainText(apiKey.slice(0, 14));
  await expect(page.locator("body")).not.toContainText(apiKey);

  await page.getByRole("button", { name: "Verify merchant" }).click();
  await expect(page.getByTestId("merchant-status")).toHaveText("Active");
  expect((await listInvoices()).status()).toBe(200);

  // Suspending needs a reason, named at its field.
  const actions = page.getByTestId("merchant-status-actions");
  await actions.getByRole("button", { name: "Suspend merchant" }).click();
  await expect(actions.getByText("Give a reason for the suspension (at least 3 characters).")).toBeVisible();
  await expect(page.getByTestId("merchant-status")).toHaveText("Active");
  await actions.getByLabel("Reason for suspension").fill("Card testing pattern on the live key");
  await actions.getByRole("button", { name: "Suspend merchant" }).click();
  await expect(actions.getByTestId("form-success")).toHaveText("The merchant is now suspended (was active).");
  await expect(page.getByTestId("merchant-status")).toHaveText("Suspended");
  await expect(page.getByTestId("merchant-history")).toContainText("Card testing pattern on the live key");

  // Its API key is refused, and its dashboard says so.
  const refused = await listInvoices();
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("merchant.inactive");
  await merchantPage.goto("/merchant");
  await expect(merchantPage.locator("header")).toContainText("suspended");

  await actions.getByRole("button", { name: "Reactivate merchant" }).click();
  await expect(page.getByTestId("merchant-status")).toHaveText("Active");
  expect((await listInvoices()).status()).toBe(200);
  await merchantContext.close();

  // A system setting: a bad value is named, a good one is saved and still there after a reload.
  await page.goto("/admin/settings");
  const payment = page.getByTestId("payment-settings-form");
  const expiry = payment.getByLabel("Default invoice expiry (minutes)");
  await expect(expiry).toHaveValue("30");
  await expiry.fill("2");
  await payment.getByRole("button", { name: "Save payment settings" }).click();
  await expect(payment.getByText("The default expiry must be at least 5.")).toBeVisible();
  await expect(expiry).toHaveValue("2");
  await expiry.fill("45");
  await payment.getByRole("button", { name: "Save payment settings" }).click();
  await expect(payment.getByTestId("form-success")).toContainText("Saved.");
  await page.reload();
  await expect(page.getByTestId("payment-settings-form").getByLabel("Default invoice expiry (minutes)")).toHaveValue("45");

  // Put it back for the tests that follow on this server.
  await page.getByTestId("payment-settings-form").getByLabel("Default invoice expiry (minutes)").fill("30");
  await page.getByTestId("payment-settings-form").getByRole("button", { name: "Save payment settings" }).click();
  await expect(page.getByTestId("payment-settings-form").getByTestId("form-success")).toContainText("Saved.");
});
