import { expect, test } from "@playwright/test";

test("the storefront lists the seeded accounts with prices, quota levels and Telegram links", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Claude quotas");
  const cards = page.getByTestId("account-card");
  await expect(cards).toHaveCount(12);
  await expect(page.getByTestId("stock-summary")).toHaveText("9 of 12 accounts in stock");

  const opus = cards.filter({ hasText: "Opus 4 Enterprise — us-east-1" });
  await expect(opus).toContainText("$899.00");
  await expect(opus).toContainText("High quota");
  await expect(opus).toContainText("Claude Opus 4");
  const link = opus.getByRole("link", { name: "Ask on Telegram" });
  const href = await link.getAttribute("href");
  const url = new URL(href!);
  expect(url.origin + url.pathname).toBe("https://t.me/bedrock_store_demo");
  expect(url.searchParams.get("text")).toMatch(/^ACC-[0-9A-F]{8}\n/);

  await expect(cards.filter({ hasText: "Opus 4 Enterprise II" })).toContainText("Sold");
});

test("the health endpoint reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: { status: "up" } });
});
