import { expect, test, type Page } from "@playwright/test";

const PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password";
const ACCESS_KEY = "AKIAE2ETESTACCOUNT01";
const SECRET_KEY = "e2eSecretAccessKey/0123456789abcdefGHIJKL";

async function signIn(page: Page, to: string) {
  await page.goto(to);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${to.replace(/[/?]/g, "\\$&")}$`));
}

test("an admin creates an account, edits it, puts it on sale, and reads the activity", async ({ page }) => {
  const name = `E2E Opus account ${Date.now()}`;
  await signIn(page, "/admin/accounts/new");

  // Bad input is named field by field, and the typed secret is not sent back.
  await page.getByLabel("Price").fill("12.345");
  await page.getByLabel("Secret access key").fill(SECRET_KEY);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter an internal name.")).toBeVisible();
  await expect(page.getByText("Enter the price as a number with at most 2 decimals")).toBeVisible();
  await expect(page.getByText("The access key id must be an AWS access key id")).toBeVisible();
  await expect(page.getByLabel("Internal name")).toBeFocused();
  await expect(page.getByLabel("Secret access key")).toHaveValue("");

  await page.getByLabel("Internal name").fill("e2e-opus");
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Price").fill("199.00");
  await page.getByLabel("Features").fill("Opus 4 enabled\nCross-region inference");
  await page.getByLabel("Access key id").fill(ACCESS_KEY);
  await page.getByLabel("Secret access key").fill(SECRET_KEY);
  await page.getByLabel("Regions").fill("us-east-1, us-west-2");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/admin\/accounts\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("access-key-last4")).toHaveText("NT01");
  const accountUrl = page.url().replace(/\?created=1$/, "");
  // Neither the page nor its server-rendered payload carries the credentials.
  const html = await (await page.request.get(accountUrl)).text();
  expect(html).not.toContain(SECRET_KEY);
  expect(html).not.toContain(ACCESS_KEY);
  expect(await page.content()).not.toContain(ACCESS_KEY);

  // Quotas are read through the AWS SDK from the local AWS stand-in (QUOTA_AWS_ENDPOINT_URL).
  await page.getByRole("button", { name: "Refresh quotas" }).click();
  await expect(page.getByTestId("quota-refresh-result")).toContainText("models usable, suggested price");
  await expect(page.getByTestId("admin-quota-table").getByRole("row")).not.toHaveCount(0);
  await expect(page.getByTestId("admin-quota-table")).toContainText("Claude");
  await expect(page.getByText("Never read from AWS")).toHaveCount(0);
  await expect(page.getByText(/Suggested from the quotas: \$/)).toBeVisible();

  // Edit: only the price changes, and the form says so.
  const details = page.locator("form").filter({ has: page.getByRole("button", { name: "Save changes" }) });
  await details.getByLabel("Price").fill("189.50");
  await details.getByRole("button", { name: "Save changes" }).click();
  await expect(details.getByTestId("form-success")).toHaveText("Saved: price.");
  await details.getByRole("button", { name: "Save changes" }).click();
  await expect(details.getByTestId("form-success")).toHaveText("Nothing changed.");

  // Not on sale yet: the storefront lists it as unavailable, and serves that page from its cache.
  const shopUrl = `/?q=${encodeURIComponent(name)}`;
  expect((await page.request.get(shopUrl)).headers()["x-catalog-cache"]).toMatch(/^(hit|miss)$/);
  const cached = await page.request.get(shopUrl);
  expect(cached.headers()["x-catalog-cache"]).toBe("hit");
  expect(await cached.text()).toContain(">Maintenance</span>");

  // On sale, by the domain's rules.
  await page.getByRole("button", { name: "Put on sale (available)" }).click();
  await expect(page.getByText("Status changed from maintenance to available.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Take off sale (maintenance)" })).toBeVisible();

  // The activity names each change and the admin who made it.
  const activity = page.getByTestId("activity");
  await expect(activity.getByText("Account status changed")).toBeVisible();
  await expect(activity.getByText("maintenance → available")).toBeVisible();
  await expect(activity.getByText("Changed price")).toBeVisible();
  await expect(activity.getByText("Account created")).toBeVisible();
  await expect(activity.getByText("Quota updated")).toBeVisible();
  await page.getByRole("link", { name: "All" }).click();
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  await expect(page.getByTestId("activity").getByText("by admin").first()).toBeVisible();

  // The storefront lists it at once: the change moved the catalog version, so the cached page is stale.
  const fresh = await page.request.get(shopUrl);
  expect(fresh.headers()["x-catalog-cache"]).toBe("miss");
  await page.goto(shopUrl);
  await expect(page.getByTestId("account-card").filter({ hasText: name })).toContainText("In stock");

  // And the admin list finds it by name.
  await page.goto(`/admin/accounts?q=${encodeURIComponent("e2e-opus")}`);
  await expect(page.getByTestId("admin-accounts").getByRole("link", { name })).toBeVisible();

  // A buyer (no admin session) buys it with the test wallet and gets exactly the key pair the
  // admin typed: sealed at rest, opened only for the paid order.
  test.setTimeout(120_000);
  const buyer = await page.context().browser()!.newContext();
  const shop = await buyer.newPage();
  await shop.goto(`/?q=${encodeURIComponent(name)}`);
  await shop.getByRole("link", { name }).first().click();
  await shop.getByLabel("Pay with").selectOption({ label: "ETH on Ethereum (test network)" });
  await shop.getByRole("button", { name: "Buy with crypto" }).click();
  await expect(shop).toHaveURL(/\/pay\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  await shop.getByRole("button", { name: "Pay with test wallet" }).click();
  await expect(shop.getByTestId("checkout-status-paid")).toBeVisible({ timeout: 60_000 });
  await shop.getByRole("link", { name: "Return to merchant" }).click();
  await expect(shop).toHaveURL(/\/orders\/[A-Za-z0-9_-]{43}$/);
  await expect(shop.getByTestId("access-key-id")).toHaveText(ACCESS_KEY);
  await expect(shop.getByTestId("secret-access-key")).toHaveText(SECRET_KEY);
  await buyer.close();

  // The admin sees it sold, by the system, in the activity.
  await page.goto(accountUrl);
  await expect(page.getByText("available → sold")).toBeVisible();
});
