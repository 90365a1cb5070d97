import { expect, test } from "@playwright/test";

test("the storefront lists the seeded accounts with prices, quota levels and Telegram links", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Claude quotas");
  const cards = page.getByTestId("account-card");
  await expect(cards).toHaveCount(12);
  // Other browser tests buy and add accounts, so only the seeded shape is fixed: some sold or held.
  const summary = (await page.getByTestId("stock-summary").textContent()) ?? "";
  const [, inStock, total] = /^(\d+) of (\d+) accounts in stock$/.exec(summary) ?? [];
  expect(Number(total)).toBeGreaterThanOrEqual(12);
  expect(Number(inStock)).toBeGreaterThan(0);
  expect(Number(inStock)).toBeLessThan(Number(total));

  const opus = cards.filter({ hasText: "Opus 4 Enterprise — us-east-1" });
  await expect(opus).toContainText("$899.00");
  await expect(opus).toContainText("High quota");
  await expect(opus).toContainText("Claude Opus 4");
  const link = opus.getByRole("link", { name: "Ask on Telegram" });
  const href = await link.getAttribute("href");
  const url = new URL(href!);
  expect(url.origin + url.pathname).toBe("https://t.me/bedrock_store_demo");
  expect(url.searchParams.get("text")).toMatch(/^ACC-[0-9A-F]{8}\n/);

  await page.goto(`/?q=${encodeURIComponent("Opus 4 Enterprise II")}`);
  await expect(cards.filter({ hasText: "Opus 4 Enterprise II" })).toContainText("Sold");
});

test("the health endpoint reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: { status: "up" } });
});

test("the catalog filters by level, stock, price and text, keeps the filters in the URL, and names a bad one", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Quota level").selectOption("HIGH");
  await page.getByLabel("In stock only").check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/level=HIGH/);
  await expect(page).toHaveURL(/stock=1/);
  const cards = page.getByTestId("account-card");
  await expect(cards.first()).toBeVisible();
  for (const text of await cards.allTextContents()) {
    expect(text).toContain("High quota");
    expect(text).not.toContain("Sold");
  }
  await expect(page.getByTestId("result-count")).toContainText("match these filters");

  await page.goto("/?sort=price_asc&max=300");
  const prices = (await page.getByTestId("account-card").allTextContents()).map((t) => Number(/\$([\d,]+\.\d\d)/.exec(t)![1]!.replace(",", "")));
  expect(prices.length).toBeGreaterThan(0);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  expect(prices.every((p) => p <= 300)).toBe(true);

  await page.goto("/?q=nothing-matches-this");
  await expect(page.getByTestId("no-results")).toContainText("No account matches these filters");

  await page.goto("/?level=huge&min=abc");
  await expect(page.getByTestId("form-error")).toContainText("level");
  await expect(page.getByTestId("form-error")).toContainText("min");
  await expect(page.getByTestId("account-card")).toHaveCount(12);
});

test("an account's page shows its per-model quotas and a Telegram link that names it", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Opus 4 Enterprise — us-east-1" }).click();
  await expect(page).toHaveURL(/\/accounts\/[0-9a-f-]{36}$/);
  const accountId = page.url().split("/accounts/")[1]!;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Opus 4 Enterprise — us-east-1");
  await expect(page.getByTestId("account-price")).toHaveText("$899.00");
  const table = page.getByTestId("quota-table");
  await expect(table.getByRole("columnheader")).toHaveText(["Model", "RPM", "TPM", "TPD", "Available"]);
  await expect(table.getByRole("row", { name: /Claude Opus 4/ })).toBeVisible();
  await expect(page.getByTestId("quota-updated")).toContainText("AWS Service Quotas");
  const href = await page.getByRole("link", { name: "Ask on Telegram" }).getAttribute("href");
  const text = new URL(href!).searchParams.get("text")!;
  expect(text.split("\n")[0]).toMatch(/^ACC-[0-9A-F]{8}$/);
  expect(text).toContain("Opus 4 Enterprise — us-east-1");
  expect(text).toContain(`/accounts/${accountId}`);
  expect(text).toContain("$899.00");

  const missing = await page.goto("/accounts/00000000-0000-4000-8000-000000000000");
  expect(missing!.status()).toBe(404);
});
